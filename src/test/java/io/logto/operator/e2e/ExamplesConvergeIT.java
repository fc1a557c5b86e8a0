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
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.logto.model.TokenGrant;
import io.logto.operator.packaging.Project;
import io.logto.operator.reconciler.common.Conditions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * examples/ applied to a real API server in three orders converges to the same result: every
 * object Ready, the Secrets' credentials obtain tokens with the declared scopes, the ConfigMap is
 * written, Events are recorded, and Logto holds each object once.
 */
@ExtendWith(RealCluster.class)
class ExamplesConvergeIT {

  private static final Path EXAMPLES = Project.path("examples");
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
    List<GenericKubernetesResource> all = new ArrayList<>();
    for (Path file : Project.list(EXAMPLES, ".yaml")) {
      all.addAll(ClusterObjects.manifests(file, namespace));
    }
    return all;
  }

  private static int rank(GenericKubernetesResource object) {
    return List.of("LogtoApiResource", "LogtoRole", "LogtoM2MApp").indexOf(object.getKind());
  }

  @Test
  void inTheOrderOfTheFiles() {
    convergesWhenApplied("e2e-examples-files", List::copyOf);
  }

  @Test
  void dependentsFirst() {
    convergesWhenApplied("e2e-examples-reverse", objects -> objects.stream()
        .sorted(Comparator.comparing(ExamplesConvergeIT::rank).reversed()).toList());
  }

  /** Apps, then roles, then resources, each kind only once the previous one waits for it. */
  @Test
  void dependenciesLastAfterTheOthersWait() {
    String ns = "e2e-examples-waiting";
    RealCluster.createNamespaces(admin, ns);
    try (InProcessOperator operator = InProcessOperator.start(server, Set.of(ns), Set.of(ns))) {
      List<GenericKubernetesResource> objects = examples(ns);
      for (String kind : List.of("LogtoM2MApp", "LogtoRole", "LogtoApiResource")) {
        objects.stream().filter(o -> o.getKind().equals(kind)).forEach(this::create);
        if (kind.equals("LogtoM2MApp")) {
          awaitReady(admin, LogtoM2MApp.class, ns, "order-stats", "WaitingForDependency");
        } else if (kind.equals("LogtoRole")) {
          awaitReady(admin, LogtoRole.class, ns, "shopping-reader-writer", "WaitingForDependency");
        }
      }
      assertConverged(ns, operator);
    } finally {
      ClusterObjects.release(admin, List.of(ns), E2eKinds.ALL);
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
