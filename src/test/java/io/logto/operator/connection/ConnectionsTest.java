package io.logto.operator.connection;

import static io.logto.operator.reconciler.OperatorHarness.NS;
import static io.logto.operator.reconciler.OperatorHarness.apiResource;
import static io.logto.operator.reconciler.OperatorHarness.app;
import static io.logto.operator.reconciler.OperatorHarness.decoded;
import static io.logto.operator.reconciler.OperatorHarness.logtoRole;
import static io.logto.operator.reconciler.OperatorHarness.permission;
import static io.logto.operator.reconciler.OperatorHarness.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.common.ConnectionRef;
import io.logto.operator.crd.common.LogtoObjectStatus;
import io.logto.operator.crd.connection.AllowedNamespaces;
import io.logto.operator.crd.connection.ClusterCredentialsSecretRef;
import io.logto.operator.crd.connection.ClusterLogtoConnection;
import io.logto.operator.crd.connection.ClusterLogtoConnectionSpec;
import io.logto.operator.crd.connection.CredentialsSecretRef;
import io.logto.operator.crd.connection.LogtoConnection;
import io.logto.operator.crd.connection.LogtoConnectionSpec;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.logto.LogtoClient;
import io.logto.operator.logto.LogtoClientOptions;
import io.logto.operator.logto.model.ApplicationSecret;
import io.logto.operator.reconciler.OperatorHarness;
import io.logto.operator.reconciler.common.Conditions;
import io.logto.operator.simulator.LogtoSimulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two Logto tenants from one operator: the harness's simulator is the operator's own connection,
 * a second simulator is reached through a LogtoConnection (or a ClusterLogtoConnection). Objects
 * land in the tenant they name, ids never cross, and one tenant down does not hold up the other.
 */
class ConnectionsTest {

  private static final ConnectionRef TENANT_2 =
      new ConnectionRef(ConnectionRef.Kind.LogtoConnection, "tenant-2");

  private OperatorHarness h;
  private LogtoSimulator second;
  private LogtoClient secondClient;

  @BeforeEach
  void start() {
    h = OperatorHarness.startWithoutOperator();
    second = LogtoSimulator.start();
    secondClient = new LogtoClient(new io.logto.operator.logto.LogtoConnection(second.endpoint(),
        LogtoSimulator.MANAGEMENT_API_RESOURCE, second.bootstrapAppId(),
        second.bootstrapAppSecret()), LogtoClientOptions.defaults());
    h.startOperatorWithConnections(Set.of(), Duration.ofSeconds(1));
  }

  @AfterEach
  void stop() {
    h.close();
    secondClient.close();
    second.close();
  }

  private void credentialsSecret(String namespace, String name, String appId, String secret) {
    var existing = h.k8s.secrets().inNamespace(namespace).withName(name);
    if (existing.get() != null) {
      existing.edit(s -> new SecretBuilder(s).withData(null)
          .withStringData(Map.of("appId", appId, "appSecret", secret)).build());
    } else {
      h.k8s.resource(new SecretBuilder().withMetadata(new ObjectMetaBuilder().withName(name)
              .withNamespace(namespace).build())
          .addToStringData("appId", appId).addToStringData("appSecret", secret).build())
          .create();
    }
  }

  private LogtoConnection namespacedConnection(String name, LogtoSimulator target) {
    credentialsSecret(NS, name + "-credentials", target.bootstrapAppId(),
        target.bootstrapAppSecret());
    LogtoConnection connection = new LogtoConnection();
    connection.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    LogtoConnectionSpec spec = new LogtoConnectionSpec();
    spec.setEndpoint(target.endpoint().toString());
    CredentialsSecretRef ref = new CredentialsSecretRef();
    ref.setName(name + "-credentials");
    spec.setCredentialsSecretRef(ref);
    connection.setSpec(spec);
    return h.k8s.resource(connection).create();
  }

  private Optional<Condition> ready(CustomResource<?, ?> connection) {
    CustomResource<?, ?> current = h.k8s.resource(connection).get();
    if (current == null || !(current.getStatus()
        instanceof io.logto.operator.crd.connection.LogtoConnectionStatus status)) {
      return Optional.empty();
    }
    return Conditions.find(status.getConditions(), Conditions.READY);
  }

  private void awaitConnection(CustomResource<?, ?> connection, String reason) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
        .until(() -> ready(connection).map(Condition::getReason).filter(reason::equals)
            .isPresent());
  }

  private static <T extends CustomResource<?, ?>> T in(T object, ConnectionRef ref) {
    Object spec = object.getSpec();
    if (spec instanceof io.logto.operator.crd.apiresource.LogtoApiResourceSpec s) {
      s.setConnectionRef(ref);
    } else if (spec instanceof io.logto.operator.crd.role.LogtoRoleSpec s) {
      s.setConnectionRef(ref);
    } else if (spec instanceof io.logto.operator.crd.app.LogtoM2MAppSpec s) {
      s.setConnectionRef(ref);
    }
    return object;
  }

  @Test
  void objectsLandInTheTenantTheyNameAndIdsNeverCross() {
    LogtoConnection connection = namespacedConnection("tenant-2", second);
    awaitConnection(connection, "Connected");
    assertThat(h.k8s.resource(connection).get().getStatus().getLastTokenTime()).isNotNull();

    // The same names in both tenants: unique per tenant, not across them.
    for (ConnectionRef ref : java.util.Arrays.asList(null, TENANT_2)) {
      String suffix = ref == null ? "-1" : "-2";
      h.create(in(apiResource("shop" + suffix, "https://shop.api", "read"), ref));
      LogtoRole reader = role("reader" + suffix, permission("shop" + suffix, "read"));
      reader.getSpec().setName("reader");
      h.create(in(reader, ref));
      h.create(in(app("client" + suffix, "reader" + suffix), ref));
    }
    LogtoM2MApp one = h.awaitReady(h.get(app("client-1")));
    LogtoM2MApp two = h.awaitReady(h.get(app("client-2")));

    assertThat(h.simulator.applicationCount()).isEqualTo(1);
    assertThat(second.applicationCount()).isEqualTo(1);
    assertThat(second.roleCount()).isEqualTo(1);
    assertThat(second.resourceCount()).isEqualTo(1);
    assertThat(h.client.listApplications()).extracting(a -> a.id())
        .contains(one.getStatus().getAppId()).doesNotContain(two.getStatus().getAppId());
    assertThat(secondClient.listApplications()).extracting(a -> a.id())
        .contains(two.getStatus().getAppId());
    // The Secret of the tenant-2 app points workloads at tenant 2, and its credentials work there.
    Map<String, String> secret = decoded(h.secret("client-2-logto-credentials"));
    assertThat(secret).containsEntry("LOGTO_ENDPOINT", second.endpoint().toString());
    assertThat(secondClient.requestToken(secret.get("LOGTO_APP_ID"),
        secret.get("LOGTO_APP_SECRET"), "https://shop.api", List.of("read")).grantedScopes())
        .containsExactly("read");
  }

  /**
   * A restart judges no object before its connection is registered again: the controllers of the
   * objects start as fast as the connections', and "does not exist" would be a false alarm.
   */
  @Test
  void aRestartChangesNoReadyConditionAndEmitsNoWarning() {
    LogtoConnection connection = namespacedConnection("tenant-2", second);
    awaitConnection(connection, "Connected");
    h.create(in(apiResource("shop", "https://shop.api", "read"), TENANT_2));
    h.create(in(role("reader", permission("shop", "read")), TENANT_2));
    h.create(in(app("client", "reader"), TENANT_2));
    h.awaitReady(h.get(app("client")));
    await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
    Map<String, Condition> before = readyConditions();
    long warningsBefore = warnings();

    for (int restart = 1; restart <= 3; restart++) {
      h.stopOperator();
      h.startOperatorWithConnections(Set.of(), Duration.ofSeconds(1));
      await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
      assertThat(readyConditions()).as("after restart %d", restart).isEqualTo(before);
      assertThat(warnings()).as("Warning Events after restart %d: %s", restart,
          h.k8s.v1().events().inNamespace(NS).list().getItems().stream()
              .filter(e -> "Warning".equals(e.getType()))
              .map(e -> e.getInvolvedObject().getName() + " " + e.getReason() + ": "
                  + e.getMessage()).toList())
          .isEqualTo(warningsBefore);
    }
  }

  private Map<String, Condition> readyConditions() {
    Map<String, Condition> conditions = new java.util.TreeMap<>();
    for (var kind : List.of(io.logto.operator.crd.apiresource.LogtoApiResource.class,
        LogtoRole.class, LogtoM2MApp.class)) {
      for (var object : h.k8s.resources(kind).inNamespace(NS).list().getItems()) {
        conditions.put(kind.getSimpleName() + "/" + object.getMetadata().getName(),
            Conditions.find(((LogtoObjectStatus) object.getStatus()).getConditions(),
                Conditions.READY).orElse(null));
      }
    }
    return conditions;
  }

  private long warnings() {
    return h.k8s.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType())).count();
  }

  @Test
  void referencesCannotCrossConnections() {
    awaitConnection(namespacedConnection("tenant-2", second), "Connected");
    h.awaitReady(h.create(apiResource("shop", "https://shop.api", "read")));
    LogtoRole crossing = h.create(in(role("crossing", permission("shop", "read")), TENANT_2));

    h.awaitReady(crossing, "InvalidSpec");
    assertThat(h.readyReasonMessage(crossing)).contains("spec.permissions: resourceRef shop",
        "LogtoApiResource default/shop uses the operator's own connection",
        "this LogtoRole uses LogtoConnection default/tenant-2");
    assertThat(second.roleCount()).isZero();
  }

  @Test
  void oneTenantDownDoesNotHoldUpTheOther() {
    awaitConnection(namespacedConnection("tenant-2", second), "Connected");
    second.setFailureRate(1.0, 503);
    second.setLatency(Duration.ofMillis(200));
    for (int i = 0; i < 10; i++) {
      h.create(in(app("down-" + i), TENANT_2));
    }
    long start = System.nanoTime();
    for (int i = 0; i < 5; i++) {
      h.create(app("up-" + i));
    }
    for (int i = 0; i < 5; i++) {
      h.awaitReadyWithin(h.get(app("up-" + i)), "Synced", Duration.ofSeconds(15));
    }
    long seconds = (System.nanoTime() - start) / 1_000_000_000;
    System.out.printf("5 apps of the healthy tenant Ready in %d s beside 10 of a failing one%n",
        seconds);
    await().atMost(Duration.ofSeconds(20)).until(() -> h.readyReason(h.get(app("down-0")))
        .filter("LogtoUnavailable"::equals).isPresent());
    // (That the breaker stops calls to the failing tenant: LogtoClientResilienceTest.)

    // A longer outage: each object's own backoff grows to 8 to 16 s.
    await().pollDelay(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(11)).until(() -> true);

    // Back up: the first answer wakes every object of the tenant, whatever its own backoff.
    second.clearFaults();
    second.setLatency(Duration.ZERO);
    long back = System.nanoTime();
    await().atMost(Duration.ofSeconds(6)).until(() -> java.util.stream.IntStream.range(0, 10)
        .allMatch(i -> h.readyReason(h.get(app("down-" + i))).filter("Synced"::equals)
            .isPresent()));
    System.out.printf("10 apps of the tenant that came back Ready %.1f s after it did%n",
        (System.nanoTime() - back) / 1e9);
  }

  @Test
  void theOperatorsOwnAppInATenantGetsNewCredentialsWithoutARestart() {
    LogtoConnection connection = namespacedConnection("tenant-2", second);
    awaitConnection(connection, "Connected");
    h.awaitReady(h.create(in(apiResource("before", "https://before.api", "read"), TENANT_2)));

    // The operator's own app in tenant 2 gets a new secret, written to the connection's Secret;
    // once the connection has looked again (every second here), the old secret is deleted and
    // every token issued before is revoked: only the new secret can work from then on.
    ApplicationSecret fresh = secondClient.createApplicationSecret(second.bootstrapAppId(),
        "rotated", null);
    credentialsSecret(NS, "tenant-2-credentials", second.bootstrapAppId(), fresh.value());
    await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
    secondClient.deleteApplicationSecret(second.bootstrapAppId(), "Default secret");
    second.expireAllTokens();

    h.awaitReady(h.create(in(apiResource("after", "https://after.api", "read"), TENANT_2)));
    assertThat(ready(connection).map(Condition::getReason)).contains("Connected");
  }

  @Test
  void aDeletedConnectionLeavesItsObjectsWaitingAndDeletesNothingInLogto() {
    LogtoConnection connection = namespacedConnection("tenant-2", second);
    awaitConnection(connection, "Connected");
    LogtoApiResource shop = h.awaitReady(h.create(in(apiResource("shop", "https://shop.api",
        "read"), TENANT_2)));

    h.k8s.resource(connection).delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> h.k8s.resource(connection).get() == null);
    h.edit(shop, r -> {
      r.getSpec().setName("Shop v2");
      return r;
    });
    h.awaitReady(shop, "WaitingForDependency");
    assertThat(h.readyReasonMessage(shop)).isEqualTo(
        "LogtoConnection default/tenant-2 does not exist");
    assertThat(second.resourceCount()).isEqualTo(1);

    namespacedConnection("tenant-2", second);
    h.awaitReady(shop);
    assertThat(secondClient.findApiResourceByIndicator("https://shop.api").orElseThrow().name())
        .isEqualTo("Shop v2");
  }

  @Test
  void anObjectWhoseConnectionIsGoneIsDeletedLeavingLogtoAlone() {
    LogtoConnection connection = namespacedConnection("tenant-2", second);
    awaitConnection(connection, "Connected");
    h.awaitReady(h.create(in(apiResource("shop", "https://shop.api", "read"), TENANT_2)));
    h.create(in(role("reader", permission("shop", "read")), TENANT_2));
    LogtoM2MApp client = h.awaitReady(h.create(in(app("client", "reader"), TENANT_2)));
    assertThat(h.secret("client-logto-credentials")).isNotNull();

    h.k8s.resource(connection).delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> h.k8s.resource(connection).get() == null);
    h.delete(client);
    h.awaitGone(client);
    assertThat(h.secret("client-logto-credentials")).as("its Secret still goes").isNull();
    assertThat(second.applicationCount()).as("left in Logto").isEqualTo(1);
    assertThat(h.k8s.v1().events().inNamespace(NS).list().getItems())
        .anySatisfy(e -> assertThat(e.getReason() + ": " + e.getMessage()).contains(
            "ConnectionGone", "LogtoConnection default/tenant-2 no longer exists"));
  }

  @Test
  void refusedCredentialsMakeTheConnectionUnauthorizedAndItsObjectsWait() {
    credentialsSecret(NS, "wrong-credentials", second.bootstrapAppId(), "not-the-secret");
    LogtoConnection connection = new LogtoConnection();
    connection.setMetadata(new ObjectMetaBuilder().withName("wrong").withNamespace(NS).build());
    LogtoConnectionSpec spec = new LogtoConnectionSpec();
    spec.setEndpoint(second.endpoint().toString());
    CredentialsSecretRef ref = new CredentialsSecretRef();
    ref.setName("wrong-credentials");
    spec.setCredentialsSecretRef(ref);
    connection.setSpec(spec);
    h.k8s.resource(connection).create();

    awaitConnection(connection, "Unauthorized");
    assertThat(ready(connection).orElseThrow().getMessage())
        .contains("Logto refused the credentials in Secret default/wrong-credentials", "401")
        .doesNotContain("not-the-secret");
    LogtoApiResource waiting = h.create(in(apiResource("shop", "https://shop.api", "read"),
        new ConnectionRef(ConnectionRef.Kind.LogtoConnection, "wrong")));
    h.awaitReady(waiting, "WaitingForDependency");
    assertThat(h.readyReasonMessage(waiting)).contains("LogtoConnection default/wrong is not"
        + " ready: Logto refused the credentials");

    // Fixed credentials: the connection and its object recover by themselves.
    credentialsSecret(NS, "wrong-credentials", second.bootstrapAppId(),
        second.bootstrapAppSecret());
    awaitConnection(connection, "Connected");
    h.awaitReady(waiting);
  }

  /** A CA bundle that looks like PEM but is not a certificate: the connection says so. */
  @Test
  void anUnreadableCaBundleMakesTheConnectionInvalidSpec() {
    LogtoConnection connection = namespacedConnection("tenant-2", second);
    awaitConnection(connection, "Connected");
    h.k8s.resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata()
        .withName("corp-ca").withNamespace(NS).endMetadata()
        .addToData("ca.crt", "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n"
            + "-----END CERTIFICATE-----\n").build()).create();
    h.edit(connection, c -> {
      io.logto.operator.crd.connection.CaBundleRef ca =
          new io.logto.operator.crd.connection.CaBundleRef();
      ca.setConfigMapName("corp-ca");
      ca.setKey("ca.crt");
      c.getSpec().setCaBundle(ca);
      return c;
    });

    awaitConnection(connection, "InvalidSpec");
    assertThat(ready(connection).orElseThrow().getMessage())
        .startsWith("spec: cannot use CA bundle (PEM text): java.security.cert.CertificateException");
    LogtoApiResource waiting = h.create(in(apiResource("shop", "https://shop.api", "read"),
        TENANT_2));
    h.awaitReady(waiting, "WaitingForDependency");
    assertThat(second.resourceCount()).isZero();
  }

  @Test
  void aClusterConnectionServesOnlyTheNamespacesItAllows() {
    h.k8s.resource(new NamespaceBuilder().withNewMetadata().withName("team-c")
        .addToLabels("tenant", "b").endMetadata().build()).create();
    credentialsSecret(OperatorHarness.OPERATOR_NAMESPACE, "shared-credentials",
        second.bootstrapAppId(), second.bootstrapAppSecret());
    ClusterLogtoConnection shared = new ClusterLogtoConnection();
    shared.setMetadata(new ObjectMetaBuilder().withName("shared").build());
    ClusterLogtoConnectionSpec spec = new ClusterLogtoConnectionSpec();
    spec.setEndpoint(second.endpoint().toString());
    ClusterCredentialsSecretRef ref = new ClusterCredentialsSecretRef();
    ref.setName("shared-credentials");
    spec.setCredentialsSecretRef(ref);
    AllowedNamespaces allowed = new AllowedNamespaces();
    allowed.setNames(List.of("team-a"));
    allowed.setSelector(new LabelSelectorBuilder().addToMatchLabels("tenant", "b").build());
    spec.setAllowedNamespaces(allowed);
    spec.setPrivilegedNamespaces(List.of("team-a"));
    shared.setSpec(spec);
    h.k8s.resource(shared).create();
    awaitConnection(shared, "Connected");
    ConnectionRef sharedRef = new ConnectionRef(ConnectionRef.Kind.ClusterLogtoConnection,
        "shared");

    LogtoM2MApp byName = inNamespace(in(app("by-name"), sharedRef), "team-a");
    byName.getSpec().getRoles().add(logtoRole("Logto Management API access"));
    h.k8s.resource(byName).create();
    LogtoApiResource byLabel = inNamespace(in(apiResource("by-label", "https://label.api",
        "read"), sharedRef), "team-c");
    h.k8s.resource(byLabel).create();
    LogtoM2MApp privileged = inNamespace(in(app("escalating"), sharedRef), "team-c");
    privileged.getSpec().getRoles().add(logtoRole("Logto Management API access"));
    h.k8s.resource(privileged).create();
    LogtoApiResource outsider = inNamespace(in(apiResource("outsider", "https://out.api",
        "read"), sharedRef), "default");
    h.k8s.resource(outsider).create();

    await().atMost(Duration.ofSeconds(20)).until(() ->
        reason(byName).equals("Synced") && reason(byLabel).equals("Synced")
            && reason(privileged).equals("Forbidden") && reason(outsider).equals("Forbidden"));
    assertThat(message(outsider)).isEqualTo("spec.connectionRef: ClusterLogtoConnection shared"
        + " does not allow namespace default (see its allowedNamespaces)");
    assertThat(message(privileged)).contains("logtoRoleName");
    assertThat(secondClient.findApiResourceByIndicator("https://out.api")).isEmpty();
    assertThat(second.applicationCount()).as("only the privileged namespace's app")
        .isEqualTo(1);

    h.k8s.resource(outsider).delete();
    await("a refused object is not held by its finalizer").atMost(Duration.ofSeconds(10))
        .until(() -> h.k8s.resource(outsider).get() == null);
  }

  /** An edit of allowedNamespaces alone (same credentials) takes effect, and wakes the refused. */
  @Test
  void aClusterConnectionsNewAllowedNamespacesApplyWithoutNewCredentials() {
    credentialsSecret(OperatorHarness.OPERATOR_NAMESPACE, "shared-credentials",
        second.bootstrapAppId(), second.bootstrapAppSecret());
    ClusterLogtoConnection shared = new ClusterLogtoConnection();
    shared.setMetadata(new ObjectMetaBuilder().withName("shared").build());
    ClusterLogtoConnectionSpec spec = new ClusterLogtoConnectionSpec();
    spec.setEndpoint(second.endpoint().toString());
    ClusterCredentialsSecretRef ref = new ClusterCredentialsSecretRef();
    ref.setName("shared-credentials");
    spec.setCredentialsSecretRef(ref);
    AllowedNamespaces allowed = new AllowedNamespaces();
    allowed.setNames(List.of("team-a"));
    spec.setAllowedNamespaces(allowed);
    shared.setSpec(spec);
    h.k8s.resource(shared).create();
    awaitConnection(shared, "Connected");
    LogtoApiResource outsider = in(apiResource("outsider", "https://out.api", "read"),
        new ConnectionRef(ConnectionRef.Kind.ClusterLogtoConnection, "shared"));
    h.k8s.resource(outsider).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> reason(outsider).equals("Forbidden"));

    h.k8s.resource(shared).edit(c -> {
      c.getSpec().getAllowedNamespaces().setNames(List.of("team-a", NS));
      return c;
    });

    await().atMost(Duration.ofSeconds(20)).until(() -> reason(outsider).equals("Synced"));
    assertThat(secondClient.findApiResourceByIndicator("https://out.api")).isPresent();
  }

  private static <T extends CustomResource<?, ?>> T inNamespace(T object, String namespace) {
    object.getMetadata().setNamespace(namespace);
    return object;
  }

  private String reason(CustomResource<?, ? extends LogtoObjectStatus> object) {
    CustomResource<?, ? extends LogtoObjectStatus> current = h.k8s.resource(object).get();
    return current == null || current.getStatus() == null ? ""
        : Conditions.find(current.getStatus().getConditions(), Conditions.READY)
            .map(Condition::getReason).orElse("");
  }

  private String message(CustomResource<?, ? extends LogtoObjectStatus> object) {
    return Conditions.find(h.k8s.resource(object).get().getStatus().getConditions(),
        Conditions.READY).map(Condition::getMessage).orElse("");
  }
}
