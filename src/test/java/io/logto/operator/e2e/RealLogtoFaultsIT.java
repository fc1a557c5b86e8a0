package io.logto.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.logto.LogtoClient;
import io.logto.operator.logto.model.Application;
import io.logto.operator.logto.model.ApplicationSecret;
import io.logto.operator.logto.model.Role;
import io.logto.operator.reconciler.OperatorHarness;
import io.logto.operator.reconciler.common.Conditions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Faults of a real Logto in the middle of a convergence, with the image's jar on the real API
 * server: 30 LogtoM2MApps sharing one role, while Logto is (1) stopped with SIGSTOP for longer
 * than the operator's call timeout and then continued, (2) killed with SIGKILL and started again
 * on its data, (3) reached through a proxy that loses the answers of creates Logto did (an
 * application, a role assignment, an application secret). Afterwards Logto, asked by the test's
 * own client, must hold exactly one application per LogtoM2MApp (by the identity the operator
 * writes in customData), no other application, the role on each, and every Secret must obtain a
 * token with its scope. The faults hit a Logto of this class's own (the suite's instance serves
 * classes running beside this one); each fault has its namespace and its operator.
 */
@ExtendWith({RealCluster.class, RealLogto.class})
@Execution(ExecutionMode.CONCURRENT)
class RealLogtoFaultsIT {

  private static final int APPS = 30;
  /** Created before the fault; the others while Logto is stopped, dead or losing answers. */
  private static final int FIRST = 20;
  /** The fault comes once Logto holds this many of the first apps, the rest still converging. */
  private static final int FAULT_AT = 5;
  /**
   * The longest pause: the operator's calls time out after 30 s, and Logto stays stopped until
   * one has given up on it, so that Logto does that call after the operator stopped waiting.
   */
  private static final Duration MAX_STOPPED = Duration.ofSeconds(75);
  private static final Duration CONVERGE = Duration.ofSeconds(90);
  private static final String ROTATE = "m2m.logto.io/rotate";

  private RealLogtoServer logto;
  private final List<OperatorProcess> operators = new ArrayList<>();
  private final Map<String, Long> timings = new LinkedHashMap<>();

  @Test
  void thirtyAppsEndWithOneApplicationEachThroughAPauseAKillAndLostAnswers(RealApiServer server)
      throws Exception {
    RealLogto.requireAvailable();
    long began = System.nanoTime();
    logto = RealLogtoServer.startOwn("faults");
    mark("own Logto started", began);
    Scenario stop = new Scenario("e2e-faults-stop");
    Scenario kill = new Scenario("e2e-faults-kill");
    Scenario lost = new Scenario("e2e-faults-lost");
    List<Scenario> all = List.of(stop, kill, lost);
    try (KubernetesClient admin = server.adminClient();
        LogtoClient check = logto.instance().client();
        AnswerLosingProxy proxy = new AnswerLosingProxy(logto.instance().endpoint())) {
      Set<String> before = check.listApplications().stream().map(Application::id)
          .collect(Collectors.toSet());
      for (Scenario s : all) {
        RealCluster.createNamespaces(admin, s.ns);
      }
      try {
        long t = System.nanoTime();
        // One operator reaches Logto directly (the pause and the kill, one after the other), one
        // through the proxy.
        int directPort = RealApiServer.freePort();
        int proxiedPort = RealApiServer.freePort();
        OperatorProcess direct = operator(server, stop.ns + "," + kill.ns, directPort,
            logto.instance().endpoint().toString());
        operators.add(direct);
        OperatorProcess proxied = operator(server, lost.ns, proxiedPort,
            proxy.endpoint().toString());
        operators.add(proxied);
        direct.awaitReady(directPort, Duration.ofSeconds(90));
        proxied.awaitReady(proxiedPort, Duration.ofSeconds(90));
        mark("two operators ready", t);
        paused(admin, check, stop);
        killed(admin, check, kill);
        answersLost(admin, check, lost, proxy);
        // Late writes (a request Logto held through the pause, say) show up by now.
        List<Application> made = check.listApplications().stream()
            .filter(a -> !before.contains(a.id())).toList();
        assertThat(made).as("applications created in Logto by the three runs")
            .hasSize(all.size() * APPS)
            .allMatch(a -> namespaceOf(a) != null);
        for (Scenario s : all) {
          s.verifyOneApplicationEach(admin, check);
        }
      } catch (AssertionError | RuntimeException e) {
        StringBuilder logs = new StringBuilder();
        for (OperatorProcess operator : operators) {
          logs.append("\noperator log:\n").append(tail(operator.output(), 60));
        }
        throw new AssertionError(e.getMessage() + logs, e);
      } finally {
        operators.forEach(OperatorProcess::close);
        ClusterObjects.release(admin, all.stream().map(s -> s.ns).toList(), E2eKinds.ALL);
      }
    } finally {
      logto.close();
      mark("whole class", began);
      System.out.println("RealLogtoFaultsIT timings (s): " + timings.entrySet().stream()
          .map(e -> e.getKey() + " " + String.format("%.1f", e.getValue() / 1e9))
          .collect(Collectors.joining(", ")));
    }
  }

  /**
   * SIGSTOP once the convergence is under way, the other apps created while stopped, SIGCONT once
   * the operator gave up waiting for a call that Logto holds (and will do when it resumes: a
   * create among them, as a rule, since creates are most of what is in flight).
   */
  private void paused(KubernetesClient admin, LogtoClient check, Scenario s) {
    s.createBase(admin);
    s.createApps(admin, 1, FIRST);
    int atFault = s.awaitInLogto(check, FAULT_AT);
    logto.signal("STOP");
    long stoppedAt = System.nanoTime();
    try {
      s.createApps(admin, FIRST + 1, APPS);
      // "no answer" is a call that timed out; "not sent" one the circuit breaker held back.
      s.awaitAny(admin, "a call timed out", MAX_STOPPED, a -> a.getStatus() != null
          && Conditions.find(a.getStatus().getConditions(), Conditions.READY)
              .filter(c -> "LogtoUnavailable".equals(c.getReason())
                  && c.getMessage().contains(": no answer from Logto"))
              .isPresent());
    } finally {
      logto.signal("CONT");
    }
    mark("paused at " + atFault + "/" + APPS + " apps, until a call timed out", stoppedAt);
    long resumed = System.nanoTime();
    s.awaitAllReady(admin);
    mark("pause: converged after SIGCONT", resumed);
    System.out.println("RealLogtoFaultsIT pause: creates that timed out while Logto was stopped"
        + ": " + operators.get(0).output().lines()
            .filter(l -> l.contains(s.ns + "/") && l.contains("POST /api/applications: no answer"))
            .count());
    s.verify(admin, check);
  }

  /** SIGKILL once the convergence is under way, the other apps created while dead, start.sh. */
  private void killed(KubernetesClient admin, LogtoClient check, Scenario s) throws Exception {
    s.createBase(admin);
    s.createApps(admin, 1, FIRST);
    int atFault = s.awaitInLogto(check, FAULT_AT);
    long pid = logto.pid();
    logto.signal("KILL");
    long killedAt = System.nanoTime();
    ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
    s.createApps(admin, FIRST + 1, APPS);
    logto = logto.restart();
    assertThat(logto.pid()).as("Logto's pid after the restart").isNotEqualTo(pid);
    mark("killed at " + atFault + "/" + APPS + " apps, restarted", killedAt);
    long restarted = System.nanoTime();
    s.awaitAllReady(admin);
    mark("kill: converged after the restart", restarted);
    s.verify(admin, check);
  }

  /**
   * The proxy loses Logto's answers to the 4th and 11th application created and to the 7th role
   * assignment, then to the first two secrets created by rotations asked of three apps.
   */
  private void answersLost(KubernetesClient admin, LogtoClient check, Scenario s,
      AnswerLosingProxy proxy) {
    s.createBase(admin);
    proxy.loseAnswer("POST", "/api/applications", 4);
    proxy.loseAnswer("POST", "/api/applications", 11);
    proxy.loseAnswer("POST", "/api/applications/[^/]+/roles", 7);
    long t = System.nanoTime();
    s.createApps(admin, 1, APPS);
    s.awaitAllReady(admin);
    mark("lost answers: 30 apps converged", t);
    s.verify(admin, check);

    proxy.loseAnswer("POST", "/api/applications/[^/]+/secrets", 1);
    proxy.loseAnswer("POST", "/api/applications/[^/]+/secrets", 2);
    List<String> rotated = List.of(s.appName(1), s.appName(2), s.appName(3));
    t = System.nanoTime();
    for (String name : rotated) {
      ClusterObjects.edit(admin, LogtoM2MApp.class, s.ns, name, a -> {
        a.getMetadata().getAnnotations().put(ROTATE, "e2e-lost-answer");
        return a;
      });
    }
    s.awaitAll(admin, "rotated by the request", a -> !rotated.contains(a.getMetadata().getName())
        || (a.getStatus() != null && a.getStatus().getCredentials() != null
            && "e2e-lost-answer".equals(a.getStatus().getCredentials().getRotateRequest())
            && ready(a)));
    mark("lost answers: 3 rotations done", t);
    assertThat(proxy.lost()).as("answers lost (Logto did each write)").hasSize(5)
        .allMatch(l -> l.status() / 100 == 2);
    System.out.println("RealLogtoFaultsIT lost answers: " + proxy.lost());
    s.verify(admin, check);
    for (String name : rotated) {
      s.verifyRotated(admin, check, name);
    }
  }

  /** One fault's namespace, its objects and its operator. */
  private final class Scenario {
    private final String ns;
    private final String indicator;
    private final String roleName;

    Scenario(String ns) {
      this.ns = ns;
      this.indicator = "https://" + ns + ".api";
      this.roleName = ns + "-reader";
    }

    String appName(int i) {
      return String.format("app-%02d", i);
    }

    void createBase(KubernetesClient admin) {
      LogtoApiResource resource = OperatorHarness.apiResource("api", indicator, "read");
      create(admin, resource);
      LogtoRole role = OperatorHarness.role("reader", OperatorHarness.permission("api", "read"));
      role.getSpec().setName(roleName);
      create(admin, role);
      ClusterObjects.awaitReady(admin, LogtoRole.class, ns, "reader", "Synced");
    }

    void createApps(KubernetesClient admin, int from, int to) {
      for (int i = from; i <= to; i++) {
        create(admin, OperatorHarness.app(appName(i), "reader"));
      }
    }

    private void create(KubernetesClient admin, CustomResource<?, ?> object) {
      object.getMetadata().setNamespace(ns);
      object.getMetadata().setAnnotations(new HashMap<>());
      admin.resource(object).create();
    }

    /** Waits until Logto holds at least {@code count} of this namespace's applications. */
    int awaitInLogto(LogtoClient check, int count) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        int held = mine(check.listApplications()).size();
        if (held >= count) {
          return held;
        }
        sleep(Duration.ofMillis(50));
      }
      throw new AssertionError(ns + ": Logto did not get " + count + " applications in 60 s");
    }

    void awaitAny(KubernetesClient admin, String what, Duration within,
        Predicate<LogtoM2MApp> seen) {
      long deadline = System.nanoTime() + within.toNanos();
      while (System.nanoTime() < deadline) {
        if (admin.resources(LogtoM2MApp.class).inNamespace(ns).list().getItems().stream()
            .anyMatch(seen)) {
          return;
        }
        sleep(Duration.ofMillis(250));
      }
      throw new AssertionError(ns + ": not seen within " + within + ": " + what);
    }

    void awaitAllReady(KubernetesClient admin) {
      awaitAll(admin, "Ready", RealLogtoFaultsIT::ready);
    }

    void awaitAll(KubernetesClient admin, String what, Predicate<LogtoM2MApp> done) {
      long deadline = System.nanoTime() + CONVERGE.toNanos();
      List<LogtoM2MApp> waiting;
      do {
        waiting = admin.resources(LogtoM2MApp.class).inNamespace(ns).list().getItems().stream()
            .filter(done.negate()).toList();
        if (waiting.isEmpty()) {
          return;
        }
        sleep(Duration.ofMillis(250));
      } while (System.nanoTime() < deadline);
      throw new AssertionError(ns + ": " + waiting.size() + " apps not " + what + " within "
          + CONVERGE + ", e.g. " + waiting.get(0).getMetadata().getName() + ": "
          + (waiting.get(0).getStatus() == null ? "no status"
              : waiting.get(0).getStatus().getConditions()));
    }

    /**
     * What Logto holds for this namespace, by the test's own client: one application per
     * LogtoM2MApp and none else, the role on each, and credentials in each Secret that obtain a
     * token with the role's scope.
     */
    void verify(KubernetesClient admin, LogtoClient check) {
      Map<String, String> appIds = verifyOneApplicationEach(admin, check);
      assertThat(check.findApiResourceByIndicator(indicator)).as(ns + ": the API resource")
          .isPresent();
      List<Role> roles = check.listRoles().stream().filter(r -> r.name().equals(roleName))
          .toList();
      assertThat(roles).as(ns + ": roles named " + roleName).hasSize(1);
      String roleId = roles.get(0).id();
      ExecutorService pool = Executors.newFixedThreadPool(6);
      try {
        List<CompletableFuture<String>> checks = appIds.entrySet().stream()
            .map(e -> CompletableFuture.supplyAsync(
                () -> problemOf(admin, check, e.getKey(), e.getValue(), roleId), pool))
            .toList();
        List<String> problems = checks.stream().map(CompletableFuture::join)
            .filter(Objects::nonNull).toList();
        assertThat(problems).as(ns + ": what Logto holds").isEmpty();
      } finally {
        pool.shutdownNow();
      }
    }

    /**
     * Exactly one application in Logto per LogtoM2MApp, by the identity in its customData, and
     * none of this namespace that no LogtoM2MApp made; their ids by LogtoM2MApp name.
     */
    Map<String, String> verifyOneApplicationEach(KubernetesClient admin, LogtoClient check) {
      List<LogtoM2MApp> crs = admin.resources(LogtoM2MApp.class).inNamespace(ns).list()
          .getItems();
      assertThat(crs).hasSize(APPS);
      Map<String, List<Application>> byUid = mine(check.listApplications()).stream()
          .collect(Collectors.groupingBy(a -> String.valueOf(identity(a).get("uid"))));
      Set<String> uids = crs.stream().map(a -> a.getMetadata().getUid())
          .collect(Collectors.toSet());
      assertThat(byUid.keySet()).as(ns + ": applications in Logto not of any LogtoM2MApp")
          .isSubsetOf(uids);
      Map<String, String> ids = new TreeMap<>();
      List<String> problems = new ArrayList<>();
      for (LogtoM2MApp cr : crs) {
        List<Application> apps = byUid.getOrDefault(cr.getMetadata().getUid(), List.of());
        if (apps.size() == 1) {
          ids.put(cr.getMetadata().getName(), apps.get(0).id());
        } else {
          problems.add(cr.getMetadata().getName() + ": " + apps.size()
              + " applications in Logto " + apps.stream().map(Application::id).toList());
        }
      }
      assertThat(problems).as(ns + ": applications per LogtoM2MApp").isEmpty();
      return ids;
    }

    /** What is wrong with one app in Logto and its Secret, or null. */
    private String problemOf(KubernetesClient admin, LogtoClient check, String name,
        String appId, String roleId) {
      if (!check.listApplicationRoles(appId).stream().map(Role::id).toList()
          .equals(List.of(roleId))) {
        return name + ": application " + appId + " does not hold exactly the role";
      }
      Map<String, String> secret = secret(admin, name);
      if (!appId.equals(secret.get("LOGTO_APP_ID"))) {
        return name + ": Secret names application " + secret.get("LOGTO_APP_ID")
            + ", Logto holds " + appId;
      }
      if (!check.requestToken(appId, secret.get("LOGTO_APP_SECRET"), indicator,
          List.of("read")).grantedScopes().contains("read")) {
        return name + ": the Secret's credentials obtain no token with scope read";
      }
      return null;
    }

    /**
     * A rotation whose secret's creation lost its answer: one secret of the operator's own in
     * Logto, not two, and it is the one the Secret holds, with Logto's Default secret beside it
     * for the grace period.
     */
    void verifyRotated(KubernetesClient admin, LogtoClient check, String name) {
      Map<String, String> secret = secret(admin, name);
      List<ApplicationSecret> inLogto = check.listApplicationSecrets(secret.get("LOGTO_APP_ID"));
      List<ApplicationSecret> operatorMade = inLogto.stream()
          .filter(x -> x.name().startsWith("logto-operator-")).toList();
      assertThat(operatorMade).as(ns + "/" + name + ": secrets the rotation created")
          .hasSize(1);
      // Compared, never shown: a failing assertion must not print a secret.
      assertThat(operatorMade.get(0).value().equals(secret.get("LOGTO_APP_SECRET")))
          .as(ns + "/" + name + ": the Secret's LOGTO_APP_SECRET is that secret").isTrue();
      assertThat(inLogto.stream().filter(x -> x.name().equals("Default secret"))
          .anyMatch(x -> x.value().equals(secret.get("LOGTO_APP_SECRET_PREVIOUS"))))
          .as(ns + "/" + name + ": LOGTO_APP_SECRET_PREVIOUS is Logto's Default secret, kept for"
              + " its grace period").isTrue();
    }

    private Map<String, String> secret(KubernetesClient admin, String app) {
      Secret secret = admin.secrets().inNamespace(ns).withName(app + "-logto-credentials").get();
      assertThat(secret).as(ns + "/" + app + "-logto-credentials").isNotNull();
      return ClusterObjects.decoded(secret);
    }

    private List<Application> mine(List<Application> apps) {
      return apps.stream().filter(a -> ns.equals(namespaceOf(a))).toList();
    }
  }

  private static boolean ready(LogtoM2MApp app) {
    if (app.getStatus() == null) {
      return false;
    }
    return Conditions.find(app.getStatus().getConditions(), Conditions.READY)
        .filter(c -> "True".equals(c.getStatus()))
        .map(Condition::getObservedGeneration)
        .filter(g -> Objects.equals(g, app.getMetadata().getGeneration()))
        .isPresent();
  }

  /** The identity the operator writes in an application's customData, or an empty map. */
  private static Map<?, ?> identity(Application app) {
    Object identity = app.customData() == null ? null : app.customData().get("logtoOperator");
    return identity instanceof Map<?, ?> map ? map : Map.of();
  }

  private static String namespaceOf(Application app) {
    Object ns = identity(app).get("namespace");
    return ns == null ? null : ns.toString();
  }

  /** The image's jar for the namespaces {@code watched}, reaching Logto at {@code endpoint}. */
  private OperatorProcess operator(RealApiServer server, String watched, int port,
      String endpoint) throws java.io.IOException {
    String first = watched.split(",")[0];
    Path work = Files.createDirectories(Path.of("target", "e2e", first));
    Map<String, String> env = new HashMap<>(logto.instance().operatorEnvironment());
    env.put("LOGTO_ENDPOINT", endpoint);
    env.putAll(OperatorProcess.clusterEnvironment(server, watched, first, port));
    // Every operator serving ClusterLogtoConnections reconciles all of them in the cluster,
    // those of classes running beside this one too; these need none.
    env.put("CLUSTER_CONNECTIONS_ENABLED", "false");
    return OperatorProcess.start(env, work.resolve("operator.log"));
  }

  private void mark(String what, long since) {
    timings.put(what, System.nanoTime() - since);
  }

  private static String tail(String text, int lines) {
    List<String> all = text.lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  private static void sleep(Duration time) {
    try {
      Thread.sleep(time.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
