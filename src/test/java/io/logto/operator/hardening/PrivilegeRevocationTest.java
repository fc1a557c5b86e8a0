package io.logto.operator.hardening;

import static io.logto.operator.reconciler.OperatorHarness.apiResource;
import static io.logto.operator.reconciler.OperatorHarness.app;
import static io.logto.operator.reconciler.OperatorHarness.indicatorPermission;
import static io.logto.operator.reconciler.OperatorHarness.logtoRole;
import static io.logto.operator.reconciler.OperatorHarness.permission;
import static io.logto.operator.reconciler.OperatorHarness.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.logto.operator.crd.common.ConnectionRef;
import io.logto.operator.crd.connection.AllowedNamespaces;
import io.logto.operator.crd.connection.ClusterCredentialsSecretRef;
import io.logto.operator.crd.connection.ClusterLogtoConnection;
import io.logto.operator.crd.connection.ClusterLogtoConnectionSpec;
import io.logto.operator.logto.LogtoClient;
import io.logto.operator.logto.LogtoClientOptions;
import io.logto.operator.logto.LogtoConnection;
import io.logto.operator.logto.model.Role;
import io.logto.operator.reconciler.OperatorHarness;
import io.logto.operator.simulator.LogtoSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Taking privilege away takes it away in Logto: when an object stops being allowed what it was
 * granted (a restart with a smaller PRIVILEGED_NAMESPACES, a ClusterLogtoConnection's
 * privilegedNamespaces or allowedNamespaces that leave its namespace out), the operator takes the
 * grant back and says so, and the Secret's credentials no longer obtain a Management API token
 * that the Management API accepts.
 */
class PrivilegeRevocationTest {

  private static final String TRUSTED = "trusted";
  private static final String MANAGEMENT_ROLE = "Logto Management API access";
  private static final String MANAGEMENT_API = LogtoSimulator.MANAGEMENT_API_RESOURCE;

  private OperatorHarness h;
  private LogtoSimulator second;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
    if (second != null) {
      second.close();
    }
  }

  @Test
  void aRestartWithASmallerPrivilegedListTakesTheManagementApiBack() throws Exception {
    h = OperatorHarness.start(TRUSTED);
    namespace(TRUSTED);
    var admin = in(TRUSTED, app("admin"));
    admin.getSpec().getRoles().add(logtoRole(MANAGEMENT_ROLE));
    h.create(admin);
    h.create(in(TRUSTED, role("mgmt-granting", indicatorPermission(MANAGEMENT_API, "all"))));
    h.create(in(TRUSTED, app("by-role", "mgmt-granting")));
    String adminId = appId(TRUSTED, "admin");
    String byRoleId = appId(TRUSTED, "by-role");
    assertThat(managementApiAnswers(h.simulator, adminId, secretOf(TRUSTED, "admin")))
        .as("while privileged").isEqualTo(200);
    assertThat(managementApiAnswers(h.simulator, byRoleId, secretOf(TRUSTED, "by-role")))
        .isEqualTo(200);

    h.stopOperator();
    h.startOperator(h.client, Set.of());

    assertThat(awaitReason(admin, "Forbidden")).contains(
        "namespace trusted is not in the operator's PRIVILEGED_NAMESPACES (none)",
        "application " + adminId + " holds none of them in Logto");
    assertThat(h.client.listApplicationRoles(adminId)).extracting(Role::name)
        .doesNotContain(MANAGEMENT_ROLE);
    assertThat(awaitReason(in(TRUSTED, role("mgmt-granting")), "Forbidden")).contains(
        "namespace trusted is not in the operator's PRIVILEGED_NAMESPACES (none)",
        "holds none of their scopes in Logto");
    String roleId = h.client.findRoleByName("mgmt-granting").orElseThrow().id();
    assertThat(h.client.listRoleScopes(roleId)).isEmpty();
    assertThat(h.client.listRoleScopes(h.client.findRoleByName(MANAGEMENT_ROLE).orElseThrow()
        .id())).as("Logto's own role is never touched").hasSize(1);

    assertThat(managementApiAnswers(h.simulator, adminId, secretOf(TRUSTED, "admin")))
        .as("the app's Secret after the revocation").isEqualTo(403);
    assertThat(managementApiAnswers(h.simulator, byRoleId, secretOf(TRUSTED, "by-role")))
        .as("an app holding the role after the revocation").isEqualTo(403);
    assertThat(h.k8s.v1().events().inNamespace(TRUSTED).list().getItems())
        .filteredOn(e -> "PrivilegeRevoked".equals(e.getReason()))
        .extracting(e -> e.getType() + " " + e.getMessage())
        .anySatisfy(m -> assertThat(m).startsWith("Warning Unassigned role '" + MANAGEMENT_ROLE
            + "' from application " + adminId))
        .anySatisfy(m -> assertThat(m).startsWith("Warning Removed " + MANAGEMENT_API
            + " all from role " + roleId));
  }

  @Test
  void aClusterConnectionThatStopsPrivilegingOrAllowingANamespaceTakesItsGrantsBack()
      throws Exception {
    h = OperatorHarness.startWithoutOperator();
    second = LogtoSimulator.start();
    h.startOperatorWithConnections(Set.of(), Duration.ofSeconds(1));
    namespace("team-a");
    clusterConnection("shared", List.of("team-a"), List.of("team-a"));
    ConnectionRef shared = new ConnectionRef(ConnectionRef.Kind.ClusterLogtoConnection, "shared");

    var admin = in("team-a", app("admin"));
    admin.getSpec().setConnectionRef(shared);
    admin.getSpec().getRoles().add(logtoRole(MANAGEMENT_ROLE));
    h.create(admin);
    var resource = in("team-a", apiResource("orders", "https://orders.api", "read"));
    resource.getSpec().setConnectionRef(shared);
    h.create(resource);
    var reader = in("team-a", role("orders-reader", permission("orders", "read")));
    reader.getSpec().setConnectionRef(shared);
    h.create(reader);
    var client = in("team-a", app("client", "orders-reader"));
    client.getSpec().setConnectionRef(shared);
    h.create(client);
    String adminId = appId("team-a", "admin");
    String clientId = appId("team-a", "client");
    try (LogtoClient tenant = clientOf(second)) {
      assertThat(managementApiAnswers(second, adminId, secretOf("team-a", "admin")))
          .isEqualTo(200);

      editConnection("shared", spec -> spec.setPrivilegedNamespaces(List.of("team-b")));
      assertThat(awaitReason(admin, "Forbidden")).contains("namespace team-a is not in"
          + " ClusterLogtoConnection shared's privilegedNamespaces [team-b]",
          "application " + adminId + " holds none of them in Logto");
      assertThat(tenant.listApplicationRoles(adminId)).isEmpty();
      assertThat(managementApiAnswers(second, adminId, secretOf("team-a", "admin")))
          .isEqualTo(403);
      assertThat(grantedScopes(tenant, clientId, secretOf("team-a", "client")))
          .as("an app without privileged roles keeps its grants").containsExactly("read");

      editConnection("shared", spec -> spec.getAllowedNamespaces().setNames(List.of("team-b")));
      assertThat(awaitReason(client, "Forbidden")).contains("ClusterLogtoConnection shared"
          + " does not allow namespace team-a", "application " + clientId
          + " holds no role in this tenant");
      assertThat(tenant.listApplicationRoles(clientId)).isEmpty();
      assertThat(grantedScopes(tenant, clientId, secretOf("team-a", "client")))
          .as("the Secret of an app whose namespace may no longer use the tenant").isEmpty();
      assertThat(tenant.findRoleByName("orders-reader")).as("the role itself stays")
          .isPresent();
    }
  }

  // Helpers

  private void namespace(String name) {
    h.k8s.resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata()
        .build()).create();
  }

  private void clusterConnection(String name, List<String> allowed, List<String> privileged) {
    h.k8s.resource(new SecretBuilder().withMetadata(new ObjectMetaBuilder()
            .withName(name + "-credentials").withNamespace(OperatorHarness.OPERATOR_NAMESPACE)
            .build())
        .addToStringData("appId", second.bootstrapAppId())
        .addToStringData("appSecret", second.bootstrapAppSecret()).build()).create();
    ClusterLogtoConnection connection = new ClusterLogtoConnection();
    connection.setMetadata(new ObjectMetaBuilder().withName(name).build());
    ClusterLogtoConnectionSpec spec = new ClusterLogtoConnectionSpec();
    spec.setEndpoint(second.endpoint().toString());
    ClusterCredentialsSecretRef ref = new ClusterCredentialsSecretRef();
    ref.setName(name + "-credentials");
    spec.setCredentialsSecretRef(ref);
    AllowedNamespaces namespaces = new AllowedNamespaces();
    namespaces.setNames(allowed);
    spec.setAllowedNamespaces(namespaces);
    spec.setPrivilegedNamespaces(privileged);
    connection.setSpec(spec);
    h.k8s.resource(connection).create();
  }

  private void editConnection(String name,
      java.util.function.Consumer<ClusterLogtoConnectionSpec> change) {
    h.k8s.resources(ClusterLogtoConnection.class).withName(name).edit(c -> {
      change.accept(c.getSpec());
      return c;
    });
  }

  private static <T extends CustomResource<?, ?>> T in(String namespace, T object) {
    object.getMetadata().setNamespace(namespace);
    return object;
  }

  private String appId(String namespace, String name) {
    return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
        .until(() -> {
          var app = h.k8s.resources(io.logto.operator.crd.app.LogtoM2MApp.class)
              .inNamespace(namespace).withName(name).get();
          boolean synced = app != null && app.getStatus() != null
              && io.logto.operator.reconciler.common.Conditions.find(
                  app.getStatus().getConditions(), "Ready")
              .filter(c -> "Synced".equals(c.getReason())).isPresent();
          return synced ? app.getStatus().getAppId() : null;
        }, id -> id != null);
  }

  private String secretOf(String namespace, String app) {
    return OperatorHarness.decoded(h.k8s.secrets().inNamespace(namespace)
        .withName(app + "-logto-credentials").get()).get("LOGTO_APP_SECRET");
  }

  private String awaitReason(HasMetadata object, String reason) {
    return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
        .until(() -> CrObjects.ready(CrObjects.raw(h.k8s, object).get()).orElse(null),
            r -> r != null && reason.equals(r.reason())).message();
  }

  private static LogtoClient clientOf(LogtoSimulator simulator) {
    return new LogtoClient(new LogtoConnection(simulator.endpoint(), MANAGEMENT_API,
        simulator.bootstrapAppId(), simulator.bootstrapAppSecret()),
        LogtoClientOptions.defaults());
  }

  private static List<String> grantedScopes(LogtoClient client, String appId, String secret) {
    return List.copyOf(client.requestToken(appId, secret, "https://orders.api",
        List.of("read")).grantedScopes());
  }

  /**
   * What the Management API answers a workload holding these credentials: a token asked with
   * scope "all", then {@code GET /api/applications} with it (a token without the scope is 403).
   */
  private static int managementApiAnswers(LogtoSimulator logto, String appId, String secret)
      throws Exception {
    try (LogtoClient client = clientOf(logto)) {
      String token = client.requestToken(appId, secret, MANAGEMENT_API, List.of("all"))
          .accessToken();
      HttpResponse<Void> answer = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(logto.endpoint() + "/api/applications"))
              .header("Authorization", "Bearer " + token).build(),
          HttpResponse.BodyHandlers.discarding());
      return answer.statusCode();
    }
  }
}
