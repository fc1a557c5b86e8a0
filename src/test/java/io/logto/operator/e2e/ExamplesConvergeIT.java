package io.logto.operator.e2e;

import static io.logto.operator.e2e.ClusterObjects.awaitReady;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.connection.ClusterLogtoConnection;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.logto.LogtoClient;
import io.logto.operator.logto.LogtoClientOptions;
import io.logto.operator.logto.model.TokenGrant;
import io.logto.operator.reconciler.common.Conditions;
import io.logto.operator.sandbox.ExtraTenants;
import io.logto.operator.simulator.LogtoSimulator;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * examples/ applied to a real API server in three orders converges to the same result: every
 * object Ready, the Secrets' credentials obtain tokens with the declared scopes, the ConfigMap is
 * written, Events are recorded, and Logto holds each object once. examples/two-tenants converges
 * with the ClusterLogtoConnection that {@code sandbox --tenants 2} creates, each object in its
 * tenant.
 */
@ExtendWith(RealCluster.class)
class ExamplesConvergeIT {

  private static final Path EXAMPLES = Examples.FOLDER;
  private static final Path TWO_TENANTS = EXAMPLES.resolve("two-tenants");
  private static KubernetesClient admin;
  private static RealApiServer server;

  @BeforeAll
  static void connect(RealApiServer realServer) {
    server = realServer;
    admin = server.adminClient();
  }

  @AfterAll
  static void disconnect() {
    admin.close();
  }

  private static List<GenericKubernetesResource> examples(String namespace) {
    return Examples.load(EXAMPLES, namespace);
  }

  @Test
  void inTheOrderOfTheFiles() {
    convergesWhenApplied("e2e-examples-files", List::copyOf);
  }

  @Test
  void dependentsFirst() {
    convergesWhenApplied("e2e-examples-reverse", Examples::dependentsFirst);
  }

  /** Apps, then roles, then resources, each kind only once the previous one waits for it. */
  @Test
  void dependenciesLastAfterTheOthersWait() {
    String ns = "e2e-examples-waiting";
    RealCluster.createNamespaces(admin, ns);
    try (InProcessOperator operator = InProcessOperator.start(server, Set.of(ns), Set.of(ns))) {
      Examples.applyDependenciesLast(admin, examples(ns));
      assertConverged(ns, operator);
    } finally {
      ClusterObjects.release(admin, List.of(ns), E2eKinds.ALL);
    }
  }

  /**
   * The sandbox's own tenant-2 (a second simulator, its Secret in the operator's namespace, the
   * ClusterLogtoConnection allowing the examples' namespace) made on a real API server: the
   * folder's objects converge, those naming tenant-2 in the second simulator, the others in the
   * operator's own, and each app's credentials obtain a token from its own tenant.
   */
  @Test
  @ResourceLock(InProcessOperator.CLUSTER_CONNECTIONS)
  void twoTenantsFolderLandsEachObjectInItsTenant() {
    String ns = "e2e-examples-tenants";
    String operatorNs = "e2e-examples-operator";
    RealCluster.createNamespaces(admin, ns, operatorNs);
    try (InProcessOperator operator = InProcessOperator.withClusterConnections(server,
            Set.of(ns), Set.of(), operatorNs);
        ExtraTenants tenants = ExtraTenants.start(1, Duration.ZERO, 0)) {
      ExtraTenants.Tenant tenant2 = tenants.tenants().get(0);
      tenants.connect(admin, operatorNs, Set.of(ns));
      await().atMost(ClusterObjects.WAIT).alias("tenant-2 Connected")
          .until(() -> tenants.observe(admin).stream().allMatch(ExtraTenants.State::connected));
      Examples.load(TWO_TENANTS, ns).forEach(this::create);

      awaitReady(admin, LogtoApiResource.class, ns, "inventory-api", "Synced");
      awaitReady(admin, LogtoRole.class, ns, "inventory-reader", "Synced");
      LogtoM2MApp own = awaitReady(admin, LogtoM2MApp.class, ns, "stock-report", "Synced");
      awaitReady(admin, LogtoApiResource.class, ns, "billing-api", "Synced");
      awaitReady(admin, LogtoRole.class, ns, "invoice-reader", "Synced");
      LogtoM2MApp other = awaitReady(admin, LogtoM2MApp.class, ns, "invoice-export", "Synced");

      LogtoSimulator second = tenant2.logto().simulator().orElseThrow();
      assertThat(List.of(operator.simulator.applicationCount(), operator.simulator.roleCount(),
          operator.simulator.resourceCount())).containsExactly(1, 1, 1);
      assertThat(List.of(second.applicationCount(), second.roleCount(),
          second.resourceCount())).containsExactly(1, 1, 1);
      Map<String, String> ownSecret = ClusterObjects.decoded(admin.secrets().inNamespace(ns)
          .withName("stock-report-logto-credentials").get());
      Map<String, String> otherSecret = ClusterObjects.decoded(admin.secrets().inNamespace(ns)
          .withName("invoice-export-logto-credentials").get());
      assertThat(ownSecret).containsEntry("LOGTO_APP_ID", own.getStatus().getAppId())
          .containsEntry("LOGTO_ENDPOINT", operator.simulator.endpoint().toString());
      assertThat(otherSecret).containsEntry("LOGTO_APP_ID", other.getStatus().getAppId())
          .containsEntry("LOGTO_ENDPOINT", second.endpoint().toString());
      try (LogtoClient tenant2Client = new LogtoClient(tenant2.logto().connection(),
          LogtoClientOptions.defaults())) {
        assertThat(tenant2Client.requestToken(otherSecret.get("LOGTO_APP_ID"),
            otherSecret.get("LOGTO_APP_SECRET"), "https://billing.api",
            List.of("read:invoices")).grantedScopes()).containsExactly("read:invoices");
      }
      assertThat(operator.logto.requestToken(ownSecret.get("LOGTO_APP_ID"),
          ownSecret.get("LOGTO_APP_SECRET"), "https://inventory.api", List.of("read:stock"))
          .grantedScopes()).containsExactly("read:stock");

      // The connection goes while the operator runs, so that its finalizer is removed.
      admin.resources(ClusterLogtoConnection.class).withName(tenant2.connectionName()).delete();
      ClusterObjects.awaitGone(admin, ClusterLogtoConnection.class, null,
          tenant2.connectionName());
    } finally {
      ClusterObjects.release(admin, List.of(ns), E2eKinds.ALL);
      if (admin.resources(ClusterLogtoConnection.class).withName("tenant-2").get() != null) {
        ClusterObjects.edit(admin, ClusterLogtoConnection.class, null, "tenant-2", c -> {
          c.getMetadata().setFinalizers(List.of());
          return c;
        });
        admin.resources(ClusterLogtoConnection.class).withName("tenant-2").delete();
      }
      admin.secrets().inNamespace(operatorNs).withName("tenant-2-credentials").delete();
    }
  }

  private void convergesWhenApplied(String ns,
      java.util.function.UnaryOperator<List<GenericKubernetesResource>> order) {
    RealCluster.createNamespaces(admin, ns);
    try (InProcessOperator operator = InProcessOperator.start(server, Set.of(ns), Set.of(ns))) {
      order.apply(examples(ns)).forEach(this::create);
      assertConverged(ns, operator);
    } finally {
      ClusterObjects.release(admin, List.of(ns), E2eKinds.ALL);
    }
  }

  private void create(GenericKubernetesResource object) {
    admin.resource(object).create();
  }

  private void assertConverged(String ns, InProcessOperator operator) {
    LogtoApiResource api = awaitReady(admin, LogtoApiResource.class, ns, "shopping-api", "Synced");
    awaitReady(admin, LogtoRole.class, ns, "shopping-reader-writer", "Synced");
    LogtoM2MApp app = awaitReady(admin, LogtoM2MApp.class, ns, "order-stats", "Synced");
    LogtoM2MApp admin2 = awaitReady(admin, LogtoM2MApp.class, ns, "tenant-admin", "Synced");
    await().atMost(ClusterObjects.WAIT).until(() -> ClusterObjects.condition(admin,
        LogtoM2MApp.class, ns, "order-stats", Conditions.CREDENTIALS_VERIFIED)
        .filter(c -> "True".equals(c.getStatus())).isPresent());

    // The Secret's credentials obtain a token for the shopping API with both scopes.
    Secret secret = admin.secrets().inNamespace(ns).withName("order-stats-logto-credentials").get();
    Map<String, String> data = ClusterObjects.decoded(secret);
    assertThat(data.get("LOGTO_APP_ID")).isEqualTo(app.getStatus().getAppId());
    assertThat(data).containsEntry("LOGTO_RESOURCE", "https://shopping.api")
        .containsEntry("LOGTO_SCOPES", "read:products write:products");
    TokenGrant token = operator.logto.requestToken(data.get("LOGTO_APP_ID"),
        data.get("LOGTO_APP_SECRET"), "https://shopping.api",
        List.of("read:products", "write:products"));
    assertThat(token.grantedScopes()).containsExactlyInAnyOrder("read:products", "write:products");
    assertThat(secret.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(app.getMetadata().getUid()));
    assertThat(admin.secrets().inNamespace(ns).withName("tenant-admin-logto-credentials").get())
        .isNotNull();
    assertThat(admin2.getStatus().getAppId()).isNotBlank();

    ConfigMap configMap =
        admin.configMaps().inNamespace(ns).withName("shopping-api-logto-api").get();
    assertThat(configMap.getData()).containsEntry("LOGTO_AUDIENCE", "https://shopping.api");
    assertThat(api.getMetadata().getFinalizers()).contains("m2m.logto.io/finalizer");

    // Each object once in Logto (the counts leave out the operator's own app and the Management
    // API's resource and role).
    assertThat(operator.simulator.applicationCount()).isEqualTo(2);
    assertThat(operator.simulator.roleCount()).isEqualTo(1);
    assertThat(operator.simulator.resourceCount()).isEqualTo(1);

    List<Event> events = admin.v1().events().inNamespace(ns).list().getItems();
    assertThat(events).extracting(e -> e.getInvolvedObject().getName() + ":" + e.getReason())
        .contains("shopping-api:Created", "shopping-reader-writer:Created",
            "order-stats:Created", "tenant-admin:Created");
  }
}
