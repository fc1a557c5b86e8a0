package io.logto.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.logto.operator.crd.app.CredentialsSecret;
import io.logto.operator.crd.app.CredentialsStatus;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.app.SecretRotation;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.logto.LogtoClient;
import io.logto.operator.logto.LogtoException;
import io.logto.operator.logto.model.ApplicationSecret;
import io.logto.operator.reconciler.OperatorHarness;
import io.logto.operator.simulator.LogtoSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Scheduled rotation in real time, with the image's jar ({@code run}) on the real API server: a
 * LogtoM2MApp rotating every minute with a 20 s grace period, and a rotate request made during a
 * grace period. A workload's view is sampled four times a second throughout three rotations: it
 * reads the Secret and obtains a token with each secret it holds. Every sample must get its
 * tokens, a replaced secret must stay in the Secret and valid for its whole grace period, the
 * request must wait in status until the previous secret retires, and Logto must see one secret
 * created per rotation. Run on the simulator and, when there is one, on the real Logto, side by
 * side, and beside the suite's other classes (it mostly waits for the clock).
 */
@ExtendWith({RealCluster.class, RealLogto.class})
@Execution(ExecutionMode.CONCURRENT)
class RotationIT {

  private static final Duration PERIOD = Duration.ofMinutes(1);
  private static final Duration GRACE = Duration.ofSeconds(20);
  /** The sampling interval, and how late the operator may act on its own timers. */
  private static final Duration SAMPLE = Duration.ofMillis(250);
  private static final Duration SLACK = Duration.ofSeconds(3);

  @Test
  void aWorkloadHoldingTheSecretIsNeverRefusedThroughScheduledAndRequestedRotations(
      RealApiServer server) throws Exception {
    try (LogtoSimulator simulator = LogtoSimulator.start()) {
      List<CompletableFuture<Void>> runs = new ArrayList<>();
      runs.add(CompletableFuture.runAsync(() ->
          new Scenario(server, LogtoInstance.of(simulator), "e2e-rotation-sim").run()));
      if (RealLogtoServer.available() || "true".equalsIgnoreCase(System.getenv("CI"))) {
        // Resolved here rather than as a parameter, so that the simulator's run goes on alone
        // where there is no real Logto.
        runs.add(CompletableFuture.runAsync(() -> new Scenario(server,
            RealLogto.shared().instance(), "e2e-rotation-real").run()));
      }
      CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).join();
    }
  }

  @Test
  void onDemandRotationKeepsThePreviousSecretAndRevokePreviousDeletesItAtOnce(
      RealApiServer server) throws Exception {
    try (LogtoSimulator simulator = LogtoSimulator.start()) {
      List<CompletableFuture<Void>> runs = new ArrayList<>();
      runs.add(CompletableFuture.runAsync(() -> new Scenario(server,
          LogtoInstance.of(simulator), "e2e-revoke-sim").onDemandThenRevoke()));
      if (RealLogtoServer.available() || "true".equalsIgnoreCase(System.getenv("CI"))) {
        runs.add(CompletableFuture.runAsync(() -> new Scenario(server,
            RealLogto.shared().instance(), "e2e-revoke-real").onDemandThenRevoke()));
      }
      CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).join();
    }
  }

  /** One LogtoM2MApp rotating on one Logto, and the workload's view of it. */
  private static final class Scenario {
    private final RealApiServer server;
    private final LogtoInstance logto;
    private final String ns;
    private final String indicator;
    private final List<String> log = new ArrayList<>();
    private final Map<String, String> labels = new HashMap<>();

    Scenario(RealApiServer server, LogtoInstance logto, String ns) {
      this.server = server;
      this.logto = logto;
      this.ns = ns;
      this.indicator = "https://" + ns + "-" + System.nanoTime() + ".api";
    }

    void run() {
      withOperator(this::rotateAndSample);
    }

    void onDemandThenRevoke() {
      withOperator(this::requestThenRevoke);
    }

    private interface Steps {
      void run(KubernetesClient admin, LogtoClient client);
    }

    /** The image's jar watching this scenario's namespace, for the steps. */
    private void withOperator(Steps steps) {
      try (KubernetesClient admin = server.adminClient(); LogtoClient client = logto.client()) {
        RealCluster.createNamespaces(admin, ns);
        Path work = Files.createDirectories(Path.of("target", "e2e", ns));
        int port = RealApiServer.freePort();
        Map<String, String> env = new HashMap<>(logto.operatorEnvironment());
        env.putAll(OperatorProcess.clusterEnvironment(server, ns, ns, port));
        // Other classes' ClusterLogtoConnections, on the same API server, are not this one's.
        env.put("CLUSTER_CONNECTIONS_ENABLED", "false");
        try (OperatorProcess operator = OperatorProcess.start(env, work.resolve("operator.log"))) {
          operator.awaitReady(port, Duration.ofSeconds(90));
          try {
            steps.run(admin, client);
            removeFromLogto(admin);
          } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(logto + ": " + e.getMessage() + "\nsamples:\n"
                + String.join("\n", log.subList(Math.max(0, log.size() - 30), log.size()))
                + "\noperator log:\n" + tail(operator.output()), e);
          }
        } finally {
          ClusterObjects.release(admin, List.of(ns), E2eKinds.ALL);
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    /** Deletes the objects (deletionPolicy Delete) while the operator runs: the tenant is shared. */
    private void removeFromLogto(KubernetesClient admin) {
      for (Class<? extends io.fabric8.kubernetes.client.CustomResource<?, ?>> kind : List.of(
          LogtoM2MApp.class, LogtoRole.class, io.logto.operator.crd.apiresource.LogtoApiResource.class)) {
        admin.resources(kind).inNamespace(ns).delete();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
            .until(() -> admin.resources(kind).inNamespace(ns).list().getItems().isEmpty());
      }
    }

    /** The API resource, the role and the app rotating by this policy; the app once Ready. */
    private LogtoM2MApp createRotatingApp(KubernetesClient admin, String period, String grace) {
      create(admin, OperatorHarness.apiResource("rotating-api", indicator, "read"));
      LogtoRole role = OperatorHarness.role("rotating-reader",
          OperatorHarness.permission("rotating-api", "read"));
      // Role names are unique in a tenant, which the suite's classes share.
      role.getSpec().setName(ns + "-reader");
      create(admin, role);
      LogtoM2MApp wanted = OperatorHarness.app("rotating", "rotating-reader");
      SecretRotation rotation = new SecretRotation();
      rotation.setPeriod(period);
      rotation.setGracePeriod(grace);
      CredentialsSecret secret = new CredentialsSecret();
      secret.setRotation(rotation);
      wanted.getSpec().setSecret(secret);
      create(admin, wanted);
      return ClusterObjects.awaitReady(admin, LogtoM2MApp.class, ns, "rotating", "Synced");
    }

    private Map<String, String> heldSecret(KubernetesClient admin) {
      return ClusterObjects.decoded(admin.secrets().inNamespace(ns)
          .withName("rotating-logto-credentials").get());
    }

    private void annotate(KubernetesClient admin, String key, String value) {
      ClusterObjects.edit(admin, LogtoM2MApp.class, ns, "rotating", a -> {
        a.getMetadata().getAnnotations().put(key, value);
        return a;
      });
    }

    /**
     * On demand: the new secret beside the old, both obtaining tokens; then revoke-previous with
     * a new request: the Secret holds only the newest, and Logto refuses both older ones.
     */
    private void requestThenRevoke(KubernetesClient admin, LogtoClient client) {
      String appId = createRotatingApp(admin, null, "1h").getStatus().getAppId();
      String first = heldSecret(admin).get("LOGTO_APP_SECRET");

      annotate(admin, "m2m.logto.io/rotate", "on-demand-1");
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .until(() -> first.equals(heldSecret(admin).get("LOGTO_APP_SECRET_PREVIOUS")));
      String second = heldSecret(admin).get("LOGTO_APP_SECRET");
      assertThat(obtainsToken(client, appId, second)).as("the new secret").isTrue();
      assertThat(obtainsToken(client, appId, first)).as("the old one, in its grace").isTrue();
      assertThat(client.listApplicationSecrets(appId)).hasSize(2);

      annotate(admin, "m2m.logto.io/revoke-previous", "true");
      annotate(admin, "m2m.logto.io/rotate", "leaked-2");
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .until(() -> {
            Map<String, String> held = heldSecret(admin);
            return !second.equals(held.get("LOGTO_APP_SECRET"))
                && !first.equals(held.get("LOGTO_APP_SECRET"))
                && held.get("LOGTO_APP_SECRET_PREVIOUS") == null
                && client.listApplicationSecrets(appId).size() == 1;
          });
      String third = heldSecret(admin).get("LOGTO_APP_SECRET");
      assertThat(obtainsToken(client, appId, third)).as("the newest secret").isTrue();
      assertThat(obtainsToken(client, appId, second)).as("the revoked secret").isFalse();
      assertThat(obtainsToken(client, appId, first)).as("the first secret").isFalse();
      assertThat(admin.v1().events().inNamespace(ns).list().getItems())
          .filteredOn(e -> "CredentialsRotated".equals(e.getReason()))
          .extracting(io.fabric8.kubernetes.api.model.Event::getMessage)
          .anySatisfy(m -> assertThat(m).contains("is deleted as soon as the new one obtains a"
              + " token (revoked by m2m.logto.io/revoke-previous)"))
          .noneSatisfy(m -> assertThat(m).contains("leaked-2", "stays valid until"));
      System.out.printf("%s: on demand, then revoke-previous: %d secret left in Logto%n", logto,
          client.listApplicationSecrets(appId).size());
    }

    private void rotateAndSample(KubernetesClient admin, LogtoClient client) {
      LogtoM2MApp ready = createRotatingApp(admin, "1m", "20s");
      String appId = ready.getStatus().getAppId();
      Instant start = Instant.now();

      Map<String, Instant> replacedAt = new LinkedHashMap<>();
      Set<String> createdByOperator = new LinkedHashSet<>();
      String current = null;
      boolean requested = false;
      int samples = 0;
      Instant deadline = start.plus(Duration.ofMinutes(4));
      while (replacedAt.size() < 3 || Instant.now().isBefore(
          replacedAt.values().stream().max(Instant::compareTo).orElseThrow().plus(GRACE)
              .plus(SLACK))) {
        assertThat(Instant.now()).as("three rotations within 4 minutes").isBefore(deadline);
        Instant now = Instant.now();
        Map<String, String> held = heldSecret(admin);
        String heldCurrent = held.get("LOGTO_APP_SECRET");
        String heldPrevious = held.get("LOGTO_APP_SECRET_PREVIOUS");
        log.add(now + " current " + label(heldCurrent) + " previous " + label(heldPrevious));
        if (current != null && !current.equals(heldCurrent)) {
          replacedAt.put(current, now);
        }
        current = heldCurrent;
        assertThat(obtainsToken(client, appId, heldCurrent)).as("a token with LOGTO_APP_SECRET at "
            + now).isTrue();
        if (heldPrevious != null && !obtainsToken(client, appId, heldPrevious)) {
          // Read just before its retirement and used just after: what a grace period ends.
          Instant replaced = replacedAt.get(heldPrevious);
          assertThat(replaced != null && !Instant.now().isBefore(replaced.plus(GRACE)
              .minus(SLACK))).as("LOGTO_APP_SECRET_PREVIOUS refused at " + now
              + " before its grace period was over (replaced at about " + replaced + ")")
              .isTrue();
        }
        for (var replaced : replacedAt.entrySet()) {
          // The Secret changed at most one sample before it was seen to change.
          if (now.isBefore(replaced.getValue().minus(SAMPLE).plus(GRACE).minus(SLACK))) {
            assertThat(replaced.getKey()).as("a secret replaced at about " + replaced.getValue()
                + " left the Secret before its grace period was over (at " + now + ")")
                .isEqualTo(heldPrevious);
          }
        }
        client.listApplicationSecrets(appId).stream().map(ApplicationSecret::name)
            .filter(n -> n.startsWith("logto-operator-")).forEach(createdByOperator::add);
        if (replacedAt.size() == 1 && !requested) {
          requested = true;
          requestDuringTheGracePeriod(admin);
        }
        samples++;
        sleep(SAMPLE);
      }
      Duration window = Duration.between(start, Instant.now());
      long allowed = 1 + 1 + window.toMillis() / PERIOD.toMillis();
      System.out.printf("%s: %d samples over %d s, %d rotations, %d secrets created in Logto"
          + " (the schedule and one request allow %d)%n", logto, samples, window.toSeconds(),
          replacedAt.size(), createdByOperator.size(), allowed);
      assertThat((long) createdByOperator.size()).as("secrets created in Logto")
          .isLessThanOrEqualTo(allowed);
      assertThat(obtainsToken(client, appId, replacedAt.keySet().iterator().next()))
          .as("the first secret, long retired").isFalse();
    }

    /**
     * A rotate request while the first rotation's previous secret is in its grace period: status
     * shows it waiting until that secret retires, and it then runs.
     */
    private void requestDuringTheGracePeriod(KubernetesClient admin) {
      annotate(admin, "m2m.logto.io/rotate", "e2e-request");
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
          .alias("the request waiting in status.credentials.queued")
          .until(() -> credentials(admin).getQueued() != null
              || "e2e-request".equals(credentials(admin).getRotateRequest()));
      CredentialsStatus state = credentials(admin);
      if (state.getQueued() != null) {
        assertThat(state.getQueued().getRequest()).isEqualTo("e2e-request");
        assertThat(state.getQueued().getRunsAt()).isEqualTo(state.getPrevious().getRetireAt());
        assertThat(state.getNextRotation()).isEqualTo(state.getPrevious().getRetireAt());
      } else {
        throw new AssertionError("the request ran during the grace period: " + state);
      }
    }

    /** S1, S2, ... in the order the secrets appeared: the sample log never shows a secret. */
    private String label(String secret) {
      return secret == null ? "-" : labels.computeIfAbsent(secret, s -> "S" + (labels.size() + 1));
    }

    private CredentialsStatus credentials(KubernetesClient admin) {
      return admin.resources(LogtoM2MApp.class).inNamespace(ns).withName("rotating").get()
          .getStatus().getCredentials();
    }

    private boolean obtainsToken(LogtoClient client, String appId, String secret) {
      try {
        return client.requestToken(appId, secret, indicator, List.of("read")).grantedScopes()
            .contains("read");
      } catch (LogtoException refused) {
        if (refused.status() != 400 && refused.status() != 401) {
          throw refused;
        }
        return false;
      }
    }

    private <T extends io.fabric8.kubernetes.client.CustomResource<?, ?>> void create(
        KubernetesClient admin, T object) {
      object.getMetadata().setNamespace(ns);
      if (object.getMetadata().getAnnotations() == null) {
        object.getMetadata().setAnnotations(new HashMap<>());
      }
      admin.resource(object).create();
    }
  }


  private static String tail(String text) {
    List<String> lines = text.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
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
