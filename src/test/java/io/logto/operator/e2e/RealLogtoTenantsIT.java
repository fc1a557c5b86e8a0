package io.logto.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.common.ConnectedSpec;
import io.logto.operator.crd.common.ConnectionRef;
import io.logto.operator.crd.connection.AllowedNamespaces;
import io.logto.operator.crd.connection.ClusterCredentialsSecretRef;
import io.logto.operator.crd.connection.ClusterLogtoConnection;
import io.logto.operator.crd.connection.ClusterLogtoConnectionSpec;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.logto.LogtoClient;
import io.logto.operator.logto.LogtoException;
import io.logto.operator.logto.model.Application;
import io.logto.operator.logto.model.Role;
import io.logto.operator.reconciler.OperatorHarness;
import io.logto.operator.reconciler.common.Conditions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Two real Logto tenants behind one operator (the image's jar on the real API server): the
 * suite's Logto as the operator's own connection, and a second instance reached through a
 * ClusterLogtoConnection whose credentials Secret is in the operator's namespace. Each tenant,
 * asked by the test's own client, holds exactly the objects that name its connection and none of
 * the other's, and each app's credentials work on their tenant only. Wrong credentials in a
 * connection's Secret make it {@code Ready=False, Unauthorized} and create nothing; correcting
 * them connects it and its objects land; breaking a working connection's Secret makes it
 * Unauthorized too, and leaves what it made in Logto alone.
 */
@ExtendWith({RealCluster.class, RealLogto.class})
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(InProcessOperator.CLUSTER_CONNECTIONS)
class RealLogtoTenantsIT {

  private static final String NS = "e2e-tenants";
  private static final String OPERATOR_NS = "e2e-tenants-operator";
  /** Cluster-scoped: the names are the class's own. */
  private static final String TENANT_B = "e2e-tenants-b";
  private static final String LATE = "e2e-tenants-b-late";
  /** The connections read their Secret again every 60 s (README), plus the time to act. */
  private static final Duration RECHECK = Duration.ofSeconds(75);

  /** Unique in the suite's Logto, which is not wiped between classes. */
  private final String suffix = Long.toString(System.nanoTime(), 36);
  private final Map<String, Long> timings = new LinkedHashMap<>();

  /** One API resource, role and app of a tenant, through one connection (null: the default). */
  private final class Trio {
    final String prefix;
    final ConnectionRef ref;
    final String indicator;
    final String roleName;

    Trio(String prefix, String connection) {
      this.prefix = prefix;
      this.ref = connection == null ? null
          : new ConnectionRef(ConnectionRef.Kind.ClusterLogtoConnection, connection);
      this.indicator = "https://" + NS + "-" + prefix + "-" + suffix + ".api";
      this.roleName = NS + "-" + prefix + "-reader-" + suffix;
    }

    void create(KubernetesClient admin) {
      LogtoApiResource api = OperatorHarness.apiResource(prefix + "-api", indicator, "read");
      put(admin, api, api.getSpec());
      LogtoRole role = OperatorHarness.role(prefix + "-reader",
          OperatorHarness.permission(prefix + "-api", "read"));
      role.getSpec().setName(roleName);
      put(admin, role, role.getSpec());
      LogtoM2MApp app = OperatorHarness.app(prefix + "-app", prefix + "-reader");
      put(admin, app, app.getSpec());
    }

    private void put(KubernetesClient admin, CustomResource<?, ?> object, ConnectedSpec spec) {
      object.getMetadata().setNamespace(NS);
      spec.setConnectionRef(ref);
      admin.resource(object).create();
    }

    void awaitReady(KubernetesClient admin) {
      ClusterObjects.awaitReady(admin, LogtoApiResource.class, NS, prefix + "-api", "Synced");
      ClusterObjects.awaitReady(admin, LogtoRole.class, NS, prefix + "-reader", "Synced");
      ClusterObjects.awaitReady(admin, LogtoM2MApp.class, NS, prefix + "-app", "Synced");
    }

    String uid(KubernetesClient admin) {
      return admin.resources(LogtoM2MApp.class).inNamespace(NS).withName(prefix + "-app").get()
          .getMetadata().getUid();
    }

    Map<String, String> secret(KubernetesClient admin) {
      Secret secret = admin.secrets().inNamespace(NS).withName(prefix + "-app-logto-credentials")
          .get();
      assertThat(secret).as(prefix + "-app's Secret").isNotNull();
      return ClusterObjects.decoded(secret);
    }

    /** What a tenant holds of this trio: the resource, the role, the app (by its identity). */
    boolean[] heldBy(LogtoClient tenant, KubernetesClient admin) {
      String uid = uid(admin);
      return new boolean[] {
          tenant.findApiResourceByIndicator(indicator).isPresent(),
          tenant.listRoles().stream().map(Role::name).anyMatch(roleName::equals),
          tenant.listApplications().stream().anyMatch(a -> uid.equals(identity(a).get("uid")))};
    }
  }

  @Test
  void eachTenantHoldsOnlyWhatNamesItsConnectionAndWrongCredentialsAreUnauthorized(
      RealApiServer server, RealLogtoServer suiteLogto) throws Exception {
    long began = System.nanoTime();
    CompletableFuture<RealLogtoServer> starting =
        CompletableFuture.supplyAsync(() -> RealLogtoServer.startOwn("tenants"));
    LogtoInstance a = suiteLogto.instance();
    RealLogtoServer second = null;
    try (KubernetesClient admin = server.adminClient(); LogtoClient tenantA = a.client()) {
      RealCluster.createNamespaces(admin, NS, OPERATOR_NS);
      Path work = Files.createDirectories(Path.of("target", "e2e", NS));
      int port = RealApiServer.freePort();
      Map<String, String> env = new HashMap<>(a.operatorEnvironment());
      env.putAll(OperatorProcess.clusterEnvironment(server, NS, OPERATOR_NS, port));
      env.put("CLUSTER_CONNECTIONS_ENABLED", "true");
      try (OperatorProcess operator = OperatorProcess.start(env, work.resolve("operator.log"))) {
        try {
          operator.awaitReady(port, Duration.ofSeconds(90));
          Trio own = new Trio("a", null);
          own.create(admin);
          second = starting.join();
          mark("second Logto and the operator ready", began);
          try (LogtoClient tenantB = second.instance().client()) {
            run(admin, own, tenantA, tenantB, a, second.instance());
          }
        } catch (AssertionError | RuntimeException e) {
          throw new AssertionError(e.getMessage() + "\noperator log:\n"
              + tail(operator.output()), e);
        }
      } finally {
        ClusterObjects.release(admin, List.of(NS), E2eKinds.ALL);
        for (String name : List.of(TENANT_B, LATE)) {
          var connection = ClusterObjects.named(admin, ClusterLogtoConnection.class, null, name);
          if (connection.get() != null) {
            ClusterObjects.edit(admin, ClusterLogtoConnection.class, null, name, c -> {
              c.getMetadata().setFinalizers(List.of());
              return c;
            });
            connection.delete();
          }
        }
      }
    } finally {
      if (second == null) {
        second = starting.handle((started, failed) -> started).join();
      }
      if (second != null) {
        second.close();
      }
      mark("whole class", began);
      System.out.println("RealLogtoTenantsIT timings (s): " + timings.entrySet().stream()
          .map(e -> e.getKey() + " " + String.format("%.1f", e.getValue() / 1e9))
          .collect(Collectors.joining(", ")));
    }
  }

  private void run(KubernetesClient admin, Trio own, LogtoClient tenantA, LogtoClient tenantB,
      LogtoInstance a, LogtoInstance b) {
    long t = System.nanoTime();
    credentials(admin, TENANT_B + "-credentials", b.appId(), b.appSecret());
    credentials(admin, LATE + "-credentials", b.appId(), "not-" + b.appSecret());
    connection(admin, TENANT_B, b);
    connection(admin, LATE, b);
    awaitConnection(admin, TENANT_B, "Connected", ClusterObjects.WAIT);
    awaitConnection(admin, LATE, "Unauthorized", ClusterObjects.WAIT);
    mark("connections Connected and Unauthorized", t);

    Trio remote = new Trio("b", TENANT_B);
    Trio late = new Trio("late", LATE);
    remote.create(admin);
    late.create(admin);
    own.awaitReady(admin);
    remote.awaitReady(admin);
    mark("objects of both tenants Ready", t);

    assertThat(own.heldBy(tenantA, admin)).as("the suite's Logto holds the default's objects")
        .containsExactly(true, true, true);
    assertThat(own.heldBy(tenantB, admin)).as("the second Logto holds none of the default's")
        .containsExactly(false, false, false);
    assertThat(remote.heldBy(tenantB, admin)).as("the second Logto holds the connection's")
        .containsExactly(true, true, true);
    assertThat(remote.heldBy(tenantA, admin)).as("the suite's Logto holds none of the"
        + " connection's").containsExactly(false, false, false);
    assertThat(ourApplications(tenantA)).as("apps of " + NS + " in the suite's Logto")
        .containsExactly(own.uid(admin));
    assertThat(ourApplications(tenantB)).as("apps of " + NS + " in the second Logto")
        .containsExactly(remote.uid(admin));
    credentialsWorkOnTheirTenantOnly(admin, own, tenantA, tenantB, "suite's Logto");
    credentialsWorkOnTheirTenantOnly(admin, remote, tenantB, tenantA, "second Logto");
    assertThat(own.secret(admin).get("LOGTO_TOKEN_ENDPOINT")).isEqualTo(tokenEndpoint(a));
    assertThat(remote.secret(admin).get("LOGTO_TOKEN_ENDPOINT")).isEqualTo(tokenEndpoint(b));

    // The unauthorized connection's objects wait and nothing of theirs is in either tenant.
    awaitNotReady(admin, late, "late-api");
    assertThat(late.heldBy(tenantB, admin)).as("the second Logto, through wrong credentials")
        .containsExactly(false, false, false);
    assertThat(late.heldBy(tenantA, admin)).containsExactly(false, false, false);

    // Correct the late connection's Secret and break the working one's, at once: both are
    // read again within the connections' recheck.
    t = System.nanoTime();
    credentials(admin, LATE + "-credentials", b.appId(), b.appSecret());
    credentials(admin, TENANT_B + "-credentials", b.appId(), "not-" + b.appSecret());
    awaitConnection(admin, LATE, "Connected", RECHECK);
    awaitConnection(admin, TENANT_B, "Unauthorized", RECHECK);
    mark("Secrets changed: late Connected, " + TENANT_B + " Unauthorized", t);
    late.awaitReady(admin);
    mark("late objects Ready", t);
    assertThat(late.heldBy(tenantB, admin)).as("the second Logto, once the credentials are"
        + " right").containsExactly(true, true, true);
    assertThat(late.heldBy(tenantA, admin)).containsExactly(false, false, false);
    assertThat(ourApplications(tenantB)).as("apps of " + NS + " in the second Logto")
        .containsExactlyInAnyOrder(remote.uid(admin), late.uid(admin));
    credentialsWorkOnTheirTenantOnly(admin, late, tenantB, tenantA, "second Logto");
    // Logto keeps what the broken connection made, and its app's credentials still work there.
    assertThat(remote.heldBy(tenantB, admin)).containsExactly(true, true, true);
    credentialsWorkOnTheirTenantOnly(admin, remote, tenantB, tenantA, "second Logto");
  }

  private void credentialsWorkOnTheirTenantOnly(KubernetesClient admin, Trio trio,
      LogtoClient home, LogtoClient other, String homeName) {
    Map<String, String> secret = trio.secret(admin);
    String appId = secret.get("LOGTO_APP_ID");
    String appSecret = secret.get("LOGTO_APP_SECRET");
    assertThat(home.requestToken(appId, appSecret, trio.indicator, List.of("read"))
        .grantedScopes()).as(trio.prefix + "-app's credentials on the " + homeName)
        .contains("read");
    assertThatThrownBy(() -> other.requestToken(appId, appSecret, trio.indicator,
        List.of("read"))).as(trio.prefix + "-app's credentials on the other tenant")
        .isInstanceOfSatisfying(LogtoException.class, e -> {
          // The other tenant has no such client: 400 (a wrong secret of one it has is 401).
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.code()).isEqualTo("oidc.invalid_client");
        });
  }

  /** The uids of the LogtoM2MApps of this class's namespace that a tenant has applications of. */
  private static List<String> ourApplications(LogtoClient tenant) {
    return tenant.listApplications().stream()
        .filter(app -> NS.equals(identity(app).get("namespace")))
        .map(app -> String.valueOf(identity(app).get("uid")))
        .toList();
  }

  private static String tokenEndpoint(LogtoInstance tenant) {
    return tenant.endpoint().toString().replaceAll("/$", "") + "/oidc/token";
  }

  private static Map<?, ?> identity(Application app) {
    Object identity = app.customData() == null ? null : app.customData().get("logtoOperator");
    return identity instanceof Map<?, ?> map ? map : Map.of();
  }

  /** The credentials Secret of a connection, in the operator's namespace (created or replaced). */
  private static void credentials(KubernetesClient admin, String name, String appId,
      String appSecret) {
    admin.resource(new SecretBuilder().withNewMetadata().withName(name)
        .withNamespace(OPERATOR_NS).endMetadata()
        .addToStringData("appId", appId).addToStringData("appSecret", appSecret).build())
        .createOr(existing -> existing.update());
  }

  private static void connection(KubernetesClient admin, String name, LogtoInstance tenant) {
    ClusterLogtoConnection connection = new ClusterLogtoConnection();
    connection.setMetadata(new ObjectMetaBuilder().withName(name).build());
    ClusterLogtoConnectionSpec spec = new ClusterLogtoConnectionSpec();
    spec.setEndpoint(tenant.endpoint().toString());
    ClusterCredentialsSecretRef secret = new ClusterCredentialsSecretRef();
    secret.setName(name + "-credentials");
    // Said explicitly, though it is the operator's namespace: any other operator of the suite
    // that serves ClusterLogtoConnections reads the same Secret.
    secret.setNamespace(OPERATOR_NS);
    spec.setCredentialsSecretRef(secret);
    AllowedNamespaces allowed = new AllowedNamespaces();
    allowed.setNames(List.of(NS));
    spec.setAllowedNamespaces(allowed);
    connection.setSpec(spec);
    admin.resource(connection).create();
  }

  private static void awaitConnection(KubernetesClient admin, String name, String reason,
      Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    Optional<io.fabric8.kubernetes.api.model.Condition> ready = Optional.empty();
    while (System.nanoTime() < deadline) {
      ClusterLogtoConnection current =
          ClusterObjects.named(admin, ClusterLogtoConnection.class, null, name).get();
      ready = current == null || current.getStatus() == null ? Optional.empty()
          : Conditions.find(current.getStatus().getConditions(), Conditions.READY);
      if (ready.filter(c -> reason.equals(c.getReason())
          && c.getStatus().equals(reason.equals("Connected") ? "True" : "False")).isPresent()) {
        return;
      }
      sleep(Duration.ofMillis(200));
    }
    throw new AssertionError("ClusterLogtoConnection " + name + " not " + reason + " within "
        + within + ": " + ready);
  }

  private static void awaitNotReady(KubernetesClient admin, Trio trio, String apiName) {
    long deadline = System.nanoTime() + ClusterObjects.WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      var condition = ClusterObjects.condition(admin, LogtoApiResource.class, NS, apiName,
          Conditions.READY);
      if (condition.filter(c -> "False".equals(c.getStatus())).isPresent()) {
        return;
      }
      sleep(Duration.ofMillis(200));
    }
    throw new AssertionError(trio.prefix + ": " + apiName + " has no Ready=False");
  }

  private void mark(String what, long since) {
    timings.put(what, System.nanoTime() - since);
  }

  private static String tail(String text) {
    List<String> lines = text.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
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
