package io.logto.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.app.CredentialsSecret;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.app.SecretRotation;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.logto.LogtoClient;
import io.logto.operator.logto.LogtoException;
import io.logto.operator.logto.model.ApplicationSecret;
import io.logto.operator.logto.model.ApplicationUpdate;
import io.logto.operator.logto.model.Scope;
import io.logto.operator.reconciler.OperatorHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Changes made by hand in the real Logto 1.37.1 through its Management API, behind the back of
 * the image's jar running on the real API server with a 5 s resync: a scope removed from a role,
 * the role unassigned from its app, the app renamed, the app's secret deleted. Each is made on
 * its own, once the previous one is corrected, so that each must be found by the resync itself
 * (not repaired by the reconcile another drift caused). Each must be undone in Logto within
 * about one resync, and the app's Secret must then obtain a token with exactly the role's
 * scopes: the API resource has a third scope the role does not grant, so "exactly" can fail.
 */
@ExtendWith({RealCluster.class, RealLogto.class})
@Execution(ExecutionMode.CONCURRENT)
class RealLogtoDriftIT {

  private static final String NS = "e2e-real-drift";
  private static final Duration RESYNC = Duration.ofSeconds(5);
  /** One resync interval, plus the reconcile it queues, on a loaded 2-core machine. */
  private static final Duration CORRECTED_WITHIN = RESYNC.multipliedBy(2).plusSeconds(10);
  private static final String RUN = Long.toString(System.currentTimeMillis() % 2_000_000_000L, 36);

  private final String indicator = "https://drift-" + RUN + ".api";
  private final String roleName = "drift-reader-writer-" + RUN;
  private final Set<String> granted = Set.of("read", "write");
  private final List<String> timings = new ArrayList<>();

  @Test
  void driftMadeByHandInLogtoIsCorrectedAtTheNextResync(RealApiServer server,
      RealLogtoServer real) throws IOException {
    LogtoInstance logto = real.instance();
    try (KubernetesClient admin = server.adminClient(); LogtoClient client = logto.client()) {
      RealCluster.createNamespaces(admin, NS);
      Path work = Files.createDirectories(Path.of("target", "e2e", "real-drift"));
      int port = RealApiServer.freePort();
      Map<String, String> env = new HashMap<>(logto.operatorEnvironment());
      env.putAll(OperatorProcess.clusterEnvironment(server, NS, NS, port));
      // Other classes' ClusterLogtoConnections, on the same API server, are not this one's.
      env.put("CLUSTER_CONNECTIONS_ENABLED", "false");
      env.put("RESYNC_INTERVAL_SECONDS", Long.toString(RESYNC.toSeconds()));
      long started = System.nanoTime();
      try (OperatorProcess operator = OperatorProcess.start(env, work.resolve("operator.log"))) {
        operator.awaitReady(port, Duration.ofSeconds(90));
        try {
          new Drift(admin, client).run();
        } catch (AssertionError | RuntimeException e) {
          throw new AssertionError(e.getMessage() + "\noperator log:\n" + tail(operator.output()),
              e);
        }
        System.out.printf("RealLogtoDriftIT: %.1f s in all; drift corrected after %s%n",
            (System.nanoTime() - started) / 1e9, String.join(", ", timings));
      } finally {
        ClusterObjects.release(admin, List.of(NS), E2eKinds.ALL);
        purge(client);
      }
    }
  }

  /** The steps, with the ids Logto gave the objects. */
  private final class Drift {
    private final KubernetesClient admin;
    private final LogtoClient client;
    private String roleId;
    private String appId;

    Drift(KubernetesClient admin, LogtoClient client) {
      this.admin = admin;
      this.client = client;
    }

    void run() {
      create(OperatorHarness.apiResource("drift-api", indicator, "read", "write", "admin"));
      LogtoRole role = OperatorHarness.role("drift-reader-writer",
          OperatorHarness.permission("drift-api", "read", "write"));
      role.getSpec().setName(roleName);
      create(role);
      // A rotation period, so that the resync watches the app's secrets (README, Rotating).
      LogtoM2MApp app = OperatorHarness.app("drift-app", "drift-reader-writer");
      SecretRotation rotation = new SecretRotation();
      rotation.setPeriod("720h");
      CredentialsSecret secret = new CredentialsSecret();
      secret.setRotation(rotation);
      app.getSpec().setSecret(secret);
      create(app);
      ClusterObjects.awaitReady(admin, LogtoApiResource.class, NS, "drift-api", "Synced");
      ClusterObjects.awaitReady(admin, LogtoRole.class, NS, "drift-reader-writer", "Synced");
      String uid = ClusterObjects.awaitReady(admin, LogtoM2MApp.class, NS, "drift-app",
          "Synced").getMetadata().getUid();

      roleId = InLogto.roles(client, roleName).stream().findFirst().orElseThrow().id();
      appId = InLogto.applications(client, uid).stream().findFirst().orElseThrow().id();
      assertThat(InLogto.roleGrants(client, roleId)).isEqualTo(Map.of(indicator, granted));
      assertThat(InLogto.roleNames(client, appId)).containsExactly(roleName);
      assertSecretObtainsExactlyTheRolesScopes();

      scopeRemovedFromTheRole();
      roleUnassignedFromTheApp();
      appRenamed();
      appSecretDeleted();
    }

    private void scopeRemovedFromTheRole() {
      Scope write = client.listRoleScopes(roleId).stream().filter(s -> s.name().equals("write"))
          .findFirst().orElseThrow();
      client.removeRoleScope(roleId, write.id());
      awaitCorrected("a scope removed from the role",
          () -> InLogto.roleGrants(client, roleId).equals(Map.of(indicator, granted)));
      assertSecretObtainsExactlyTheRolesScopes();
    }

    private void roleUnassignedFromTheApp() {
      client.removeApplicationRole(appId, roleId);
      awaitCorrected("the role unassigned from the app",
          () -> InLogto.roleNames(client, appId).equals(Set.of(roleName)));
      assertSecretObtainsExactlyTheRolesScopes();
    }

    private void appRenamed() {
      client.updateApplication(appId, new ApplicationUpdate("renamed by hand", null, null));
      awaitCorrected("the app renamed",
          () -> client.getApplication(appId).name().equals("drift-app"));
      assertSecretObtainsExactlyTheRolesScopes();
    }

    /** The secret the Secret holds, deleted: a new one must reach the Secret, same app. */
    private void appSecretDeleted() {
      String held = credentials().get("LOGTO_APP_SECRET");
      ApplicationSecret current = client.listApplicationSecrets(appId).stream()
          .filter(s -> held.equals(s.value())).findFirst()
          .orElseThrow(() -> new AssertionError("the Secret's secret is not among the app's"));
      client.deleteApplicationSecret(appId, current.name());
      assertThat(obtainsToken(held)).as("a token with the deleted secret").isFalse();
      awaitCorrected("the app's secret deleted", () -> {
        Map<String, String> now = credentials();
        return !held.equals(now.get("LOGTO_APP_SECRET"))
            && client.listApplicationSecrets(appId).stream()
                .anyMatch(s -> s.value().equals(now.get("LOGTO_APP_SECRET")));
      });
      assertThat(credentials()).containsEntry("LOGTO_APP_ID", appId);
      assertSecretObtainsExactlyTheRolesScopes();
    }

    /** Asking for every scope of the resource, the Secret gets the role's: no more, no less. */
    private void assertSecretObtainsExactlyTheRolesScopes() {
      Map<String, String> data = credentials();
      assertThat(data).containsEntry("LOGTO_APP_ID", appId);
      assertThat(InLogto.grantedOfEveryScope(client, appId, data.get("LOGTO_APP_SECRET"),
          indicator)).as("scopes granted to the Secret's credentials").isEqualTo(granted);
    }

    private boolean obtainsToken(String secret) {
      try {
        client.requestToken(appId, secret, indicator, List.of("read"));
        return true;
      } catch (LogtoException refused) {
        return false;
      }
    }

    private Map<String, String> credentials() {
      return ClusterObjects.decoded(admin.secrets().inNamespace(NS)
          .withName("drift-app-logto-credentials").get());
    }

    private void awaitCorrected(String drift, Callable<Boolean> corrected) {
      long made = System.nanoTime();
      await().atMost(CORRECTED_WITHIN).pollInterval(Duration.ofMillis(250))
          .alias(drift + ": corrected in Logto").until(corrected);
      timings.add(String.format("%s %.1f s", drift, (System.nanoTime() - made) / 1e9));
    }

    private <T extends CustomResource<?, ?>> void create(T object) {
      object.getMetadata().setNamespace(NS);
      admin.resource(object).create();
    }
  }

  /** What the run left in Logto (nothing once the objects are deleted; a failed run's). */
  private void purge(LogtoClient client) {
    try {
      for (var app : client.listApplications()) {
        if (app.customData() != null
            && app.customData().get("logtoOperator") instanceof Map<?, ?> identity
            && NS.equals(identity.get("namespace"))) {
          client.deleteApplication(app.id());
        }
      }
      InLogto.roles(client, roleName).forEach(r -> client.deleteRole(r.id()));
      InLogto.resources(client, indicator).forEach(r -> client.deleteApiResource(r.id()));
    } catch (LogtoException e) {
      System.err.println(NS + ": cleaning Logto failed: " + e.getMessage());
    }
  }

  private static String tail(String text) {
    List<String> lines = text.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
