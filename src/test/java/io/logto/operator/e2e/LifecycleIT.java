package io.logto.operator.e2e;

import static io.logto.operator.e2e.ClusterObjects.awaitGone;
import static io.logto.operator.e2e.ClusterObjects.awaitReady;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.CustomResource;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.common.DeletionPolicy;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.reconciler.OperatorHarness;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What only a real API server shows about the objects' life: the status subresource and
 * generation, finalizers holding a deletion until the operator has cleaned up, the two deletion
 * policies, a Secret edited or deleted by hand, and an operator restarted mid-run.
 */
@ExtendWith(RealCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LifecycleIT {

  private static final String NS = "e2e-lifecycle";
  private RealApiServer server;
  private KubernetesClient admin;
  private InProcessOperator operator;

  @BeforeAll
  void connect(RealApiServer realServer) {
    server = realServer;
    admin = server.adminClient();
    RealCluster.createNamespaces(admin, NS);
  }

  @BeforeEach
  void startOperator() {
    operator = InProcessOperator.start(server, Set.of(NS), Set.of());
  }

  @AfterEach
  void stopOperator() {
    operator.close();
    ClusterObjects.release(admin, List.of(NS), E2eKinds.ALL);
  }

  @AfterAll
  void disconnect() {
    admin.close();
  }

  private <T extends CustomResource<?, ?>> T create(T object) {
    object.getMetadata().setNamespace(NS);
    return admin.resource(object).create();
  }

  @Test
  void statusIsASubresourceAndOnlySpecChangesBumpTheGeneration() {
    create(OperatorHarness.apiResource("status-api", "https://status.api", "read"));
    LogtoApiResource ready = awaitReady(admin, LogtoApiResource.class, NS, "status-api", "Synced");
    String resourceId = ready.getStatus().getResourceId();
    // The operator's status writes and its finalizer leave the generation alone.
    assertThat(ready.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(1L);

    // A client that sends status with the main resource does not change it.
    LogtoApiResource spoofed =
        ClusterObjects.edit(admin, LogtoApiResource.class, NS, "status-api", r -> {
          r.getStatus().setResourceId("spoofed");
          r.getMetadata().setLabels(Map.of("team", "a"));
          return r;
        });
    assertThat(spoofed.getStatus().getResourceId()).isEqualTo(resourceId);
    assertThat(spoofed.getMetadata().getGeneration()).as("a label is not spec").isEqualTo(1L);

    LogtoApiResource edited =
        ClusterObjects.edit(admin, LogtoApiResource.class, NS, "status-api", r -> {
          r.getSpec().setName("Status API");
          return r;
        });
    assertThat(edited.getMetadata().getGeneration()).isEqualTo(2L);
    LogtoApiResource updated = awaitReady(admin, LogtoApiResource.class, NS, "status-api",
        "Synced");
    assertThat(updated.getStatus().getObservedGeneration()).isEqualTo(2L);
    assertThat(operator.logto.getApiResource(resourceId).name()).isEqualTo("Status API");
  }

  @Test
  void theFinalizerHoldsTheObjectUntilTheOperatorHasDeletedItFromLogto() {
    create(OperatorHarness.apiResource("held-api", "https://held.api", "read"));
    LogtoApiResource ready = awaitReady(admin, LogtoApiResource.class, NS, "held-api", "Synced");
    assertThat(ready.getMetadata().getFinalizers()).containsExactly("m2m.logto.io/finalizer");

    operator.stop();
    admin.resources(LogtoApiResource.class).inNamespace(NS).withName("held-api").delete();
    LogtoApiResource terminating =
        admin.resources(LogtoApiResource.class).inNamespace(NS).withName("held-api").get();
    assertThat(terminating).as("held by the finalizer while the operator is away").isNotNull();
    assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(operator.logto.findApiResourceByIndicator("https://held.api")).isPresent();

    operator.start();
    awaitGone(admin, LogtoApiResource.class, NS, "held-api");
    assertThat(operator.logto.findApiResourceByIndicator("https://held.api")).isEmpty();
    assertThat(admin.configMaps().inNamespace(NS).withName("held-api-logto-api").get()).isNull();
  }

  @Test
  void deleteRemovesFromLogtoAndRetainKeeps() {
    for (DeletionPolicy policy : DeletionPolicy.values()) {
      String p = policy.name().toLowerCase();
      LogtoApiResource api =
          OperatorHarness.apiResource(p + "-api", "https://" + p + ".api", "read");
      api.getSpec().setDeletionPolicy(policy);
      LogtoRole role = OperatorHarness.role(p + "-role", OperatorHarness.permission(p + "-api",
          "read"));
      role.getSpec().setDeletionPolicy(policy);
      LogtoM2MApp app = OperatorHarness.app(p + "-app", p + "-role");
      app.getSpec().setDeletionPolicy(policy);
      create(api);
      create(role);
      create(app);
    }
    String deletedApp = awaitReady(admin, LogtoM2MApp.class, NS, "delete-app", "Synced")
        .getStatus().getAppId();
    String retainedApp = awaitReady(admin, LogtoM2MApp.class, NS, "retain-app", "Synced")
        .getStatus().getAppId();
    String deletedRole = awaitReady(admin, LogtoRole.class, NS, "delete-role", "Synced")
        .getStatus().getRoleId();
    String retainedRole = awaitReady(admin, LogtoRole.class, NS, "retain-role", "Synced")
        .getStatus().getRoleId();
    assertThat(admin.secrets().inNamespace(NS).withName("retain-app-logto-credentials").get())
        .isNotNull();

    for (String p : List.of("delete", "retain")) {
      admin.resources(LogtoM2MApp.class).inNamespace(NS).withName(p + "-app").delete();
      awaitGone(admin, LogtoM2MApp.class, NS, p + "-app");
      admin.resources(LogtoRole.class).inNamespace(NS).withName(p + "-role").delete();
      awaitGone(admin, LogtoRole.class, NS, p + "-role");
      admin.resources(LogtoApiResource.class).inNamespace(NS).withName(p + "-api").delete();
      awaitGone(admin, LogtoApiResource.class, NS, p + "-api");
      // The Secret goes with its app under either policy; the ConfigMap with its resource.
      assertThat(admin.secrets().inNamespace(NS).withName(p + "-app-logto-credentials").get())
          .isNull();
      assertThat(admin.configMaps().inNamespace(NS).withName(p + "-api-logto-api").get())
          .isNull();
    }
    assertThat(operator.simulator.applicationCount()).isEqualTo(1);
    assertThat(operator.logto.getApplication(retainedApp).id()).isEqualTo(retainedApp);
    assertThat(operator.logto.listApplications()).extracting(a -> a.id())
        .doesNotContain(deletedApp);
    assertThat(operator.logto.listRoles()).extracting(r -> r.id())
        .contains(retainedRole).doesNotContain(deletedRole);
    assertThat(operator.logto.findApiResourceByIndicator("https://retain.api")).isPresent();
    assertThat(operator.logto.findApiResourceByIndicator("https://delete.api")).isEmpty();
  }

  @Test
  void aSecretEditedOrDeletedByHandIsRestored() {
    create(OperatorHarness.apiResource("restore-api", "https://restore.api", "read"));
    create(OperatorHarness.role("restore-role", OperatorHarness.permission("restore-api",
        "read")));
    create(OperatorHarness.app("restore-app", "restore-role"));
    awaitReady(admin, LogtoM2MApp.class, NS, "restore-app", "Synced");
    String name = "restore-app-logto-credentials";
    Map<String, String> original =
        ClusterObjects.decoded(admin.secrets().inNamespace(NS).withName(name).get());

    ClusterObjects.edit(admin, io.fabric8.kubernetes.api.model.Secret.class, NS, name, s -> {
      s.getData().put("LOGTO_APP_SECRET",
          Base64.getEncoder().encodeToString("tampered".getBytes(StandardCharsets.UTF_8)));
      return s;
    });
    await().atMost(ClusterObjects.WAIT).until(() -> original.equals(
        ClusterObjects.decoded(admin.secrets().inNamespace(NS).withName(name).get())));

    admin.secrets().inNamespace(NS).withName(name).delete();
    await().atMost(ClusterObjects.WAIT).until(() -> {
      Secret secret = admin.secrets().inNamespace(NS).withName(name).get();
      return secret != null && secret.getMetadata().getDeletionTimestamp() == null
          && original.equals(ClusterObjects.decoded(secret));
    });
    assertThat(operator.simulator.applicationCount()).isEqualTo(1);
  }

  @Test
  void anOperatorRestartedMidRunConvergesWithoutDuplicates() throws InterruptedException {
    operator.simulator.setLatency(Duration.ofMillis(100));
    create(OperatorHarness.apiResource("restart-api", "https://restart.api", "read"));
    create(OperatorHarness.role("restart-role", OperatorHarness.permission("restart-api",
        "read")));
    List<String> apps = IntStream.range(0, 12).mapToObj(i -> "restart-app-" + i).toList();
    apps.forEach(name -> create(OperatorHarness.app(name, "restart-role")));
    // Stop while the apps are being created: some are, some are not, some are half-way.
    await().atMost(ClusterObjects.WAIT).until(() -> operator.simulator.applicationCount() >= 3);
    operator.stop();
    int createdBeforeRestart = operator.simulator.applicationCount();
    operator.start();

    for (String name : apps) {
      LogtoM2MApp app = awaitReady(admin, LogtoM2MApp.class, NS, name, "Synced");
      Map<String, String> secret = ClusterObjects.decoded(admin.secrets().inNamespace(NS)
          .withName(name + "-logto-credentials").get());
      assertThat(secret.get("LOGTO_APP_ID")).isEqualTo(app.getStatus().getAppId());
    }
    assertThat(operator.simulator.applicationCount()).as("one application per LogtoM2MApp"
        + " (%d existed at the restart)", createdBeforeRestart).isEqualTo(apps.size());
    assertThat(operator.simulator.roleCount()).isEqualTo(1);
    assertThat(operator.simulator.resourceCount()).isEqualTo(1);
    assertThat(createdBeforeRestart).isLessThan(apps.size());
  }
}
