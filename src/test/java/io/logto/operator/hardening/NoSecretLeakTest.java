package io.logto.operator.hardening;

import static io.logto.operator.reconciler.OperatorHarness.NS;
import static io.logto.operator.reconciler.OperatorHarness.apiResource;
import static io.logto.operator.reconciler.OperatorHarness.app;
import static io.logto.operator.reconciler.OperatorHarness.decoded;
import static io.logto.operator.reconciler.OperatorHarness.logtoRole;
import static io.logto.operator.reconciler.OperatorHarness.permission;
import static io.logto.operator.reconciler.OperatorHarness.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.logto.operator.cli.LoggingOptions;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.app.CredentialsSecret;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.app.SecretRotation;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.logto.LogtoClient;
import io.logto.operator.logto.LogtoClientOptions;
import io.logto.operator.logto.LogtoConnection;
import io.logto.operator.logto.LogtoException;
import io.logto.operator.logto.model.Application;
import io.logto.operator.logto.model.ApplicationSecret;
import io.logto.operator.logto.model.TokenGrant;
import io.logto.operator.reconciler.OperatorHarness;
import io.logto.operator.reconciler.common.Conditions;
import io.logto.operator.simulator.LogtoSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

/**
 * Full scenarios at the most verbose log level; then every secret and token issued is looked for
 * in everything captured: log lines with their stack traces, Kubernetes Events, the status of
 * every custom resource (snapshots taken along the way, failures included), and the messages of
 * exceptions the Logto client threw.
 *
 * <p>The operator talks to the simulator through {@link RecordingLogtoProxy}, which records every
 * token issued and every Authorization header: that is how the test knows the operator's own
 * Management API token and the verification tokens, which nothing else exposes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NoSecretLeakTest {

  private static final String MANAGEMENT_ROLE = "Logto Management API access";
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** Captures every log event, formatted, with its stack trace. */
  static final class CapturingAppender extends AppenderBase<ILoggingEvent> {
    final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

    @Override
    protected void append(ILoggingEvent event) {
      StringBuilder line = new StringBuilder()
          .append(event.getLevel()).append(' ').append(event.getLoggerName()).append(" - ")
          .append(event.getFormattedMessage());
      if (event.getMDCPropertyMap() != null && !event.getMDCPropertyMap().isEmpty()) {
        line.append(" mdc=").append(event.getMDCPropertyMap());
      }
      if (event.getKeyValuePairs() != null) {
        event.getKeyValuePairs().forEach(kv -> line.append(' ').append(kv));
      }
      if (event.getThrowableProxy() != null) {
        line.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
      }
      lines.add(line.toString());
    }
  }

  private final CapturingAppender appender = new CapturingAppender();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final Logger operatorLogger = (Logger) LoggerFactory.getLogger("io.logto.operator");
  private Level rootLevel;
  private Level operatorLevel;

  private OperatorHarness h;
  private RecordingLogtoProxy proxy;
  private LogtoClient operatorClient;
  private LogtoClient testClient;

  /** Status JSON of every custom resource, snapshotted along the way. */
  private final List<String> statuses = Collections.synchronizedList(new ArrayList<>());
  /** Messages (and toString) of exceptions the Logto client threw at the test. */
  private final List<String> exceptions = new ArrayList<>();
  /** Every app secret seen: in the credentials Secrets or in Logto. */
  private final Map<String, String> appSecrets = new LinkedHashMap<>();

  @BeforeAll
  void start() throws Exception {
    rootLevel = root.getLevel();
    operatorLevel = operatorLogger.getLevel();
    appender.setContext(root.getLoggerContext());
    appender.start();
    root.addAppender(appender);
    LoggingOptions.apply("TRACE");

    h = OperatorHarness.startWithoutOperator();
    proxy = new RecordingLogtoProxy(h.simulator.endpoint());
    LogtoConnection viaProxy = new LogtoConnection(proxy.endpoint(),
        LogtoSimulator.MANAGEMENT_API_RESOURCE, h.simulator.bootstrapAppId(),
        h.simulator.bootstrapAppSecret());
    LogtoClientOptions options = LogtoClientOptions.defaults()
        .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200));
    operatorClient = new LogtoClient(viaProxy, options);
    testClient = new LogtoClient(viaProxy, options.withMaxRetries(1));
    h.startOperator(operatorClient, Set.of(NS));
  }

  @AfterAll
  void stop() {
    try {
      if (h != null) {
        h.close();
      }
      if (operatorClient != null) {
        operatorClient.close();
      }
      if (testClient != null) {
        testClient.close();
      }
      if (proxy != null) {
        proxy.close();
      }
    } finally {
      root.detachAppender(appender);
      appender.stop();
      root.setLevel(rootLevel);
      operatorLogger.setLevel(operatorLevel);
    }
  }

  @Order(1)
  @Test
  void theScanFindsPlantedSecretsInEveryPlaceItLooks() {
    String planted = "planted-" + java.util.UUID.randomUUID();
    String plantedToken = "eyJhbGciOiJFUzM4NCJ9.eyJzdWIiOiJ4In0." + "s".repeat(40)
        + java.util.UUID.randomUUID().toString().replace("-", "");
    LoggerFactory.getLogger("io.fabric8.some.Library").trace("body {}", LeakScanner.base64(planted));
    LoggerFactory.getLogger("io.logto.operator.Planted")
        .debug("failed", new IllegalStateException("token " + plantedToken));
    h.k8s.v1().events().inNamespace(NS).resource(new EventBuilder().withNewMetadata()
        .withName("planted").withNamespace(NS).endMetadata().withReason("Planted")
        .withMessage("secret " + planted).withNewInvolvedObject().withName("x").endInvolvedObject()
        .build()).create();

    LeakScanner scanner = new LeakScanner();
    scanner.secret("planted secret", planted);
    scanner.token("planted token", plantedToken);
    List<LeakScanner.Finding> findings = scanEverything(scanner);
    assertThat(findings).extracting(LeakScanner.Finding::what)
        .contains("planted secret (base64)", "planted token", "planted secret");
    assertThat(findings).extracting(LeakScanner.Finding::where)
        .anyMatch(w -> w.startsWith("log")).anyMatch(w -> w.startsWith("event"));
    h.k8s.v1().events().inNamespace(NS).withName("planted").delete();
  }

  @Order(2)
  @Test
  void noSecretOrTokenAppearsInLogsEventsStatusOrExceptions() {
    runScenarios();

    LeakScanner scanner = new LeakScanner();
    scanner.secret("bootstrap app secret", h.simulator.bootstrapAppSecret());
    scanner.basicCredentials("bootstrap credentials", h.simulator.bootstrapAppId(),
        h.simulator.bootstrapAppSecret());
    appSecrets.forEach((label, secret) -> scanner.secret(label, secret));
    Set<String> tokens = proxy.tokens();
    Set<String> authorizations = proxy.authorizations();
    int n = 0;
    for (String token : tokens) {
      scanner.token("access token #" + ++n, token);
    }
    n = 0;
    for (String header : authorizations) {
      scanner.authorization("Authorization header #" + ++n, header);
    }
    // The run must have exercised what it claims to, or the scan proves nothing.
    assertThat(tokens).as("tokens issued (operator, verification, test)").hasSizeGreaterThan(5);
    assertThat(authorizations).anyMatch(a -> a.startsWith("Basic "))
        .anyMatch(a -> a.startsWith("Bearer "));
    assertThat(appSecrets).as("app secrets seen").hasSizeGreaterThanOrEqualTo(5);
    assertThat(appender.lines).as("TRACE lines captured")
        .anyMatch(l -> l.startsWith("TRACE io.logto.operator.logto.LogtoClient"))
        .anyMatch(l -> l.contains("request body"));

    List<LeakScanner.Finding> findings = scanEverything(scanner);
    assertThat(findings).as("secrets or tokens found (%s needles)", scanner.size()).isEmpty();
  }

  // The scenarios

  private void runScenarios() {
    // Resources, roles and apps, one of them with Management API access (privileged namespace).
    LogtoApiResource shop = h.create(apiResource("shop", "https://shop.api", "read", "write"));
    LogtoRole shopper = h.create(role("shopper", permission("shop", "read", "write")));
    LogtoM2MApp orders = h.create(app("orders", "shopper"));
    LogtoM2MApp admin = app("admin");
    admin.getSpec().getRoles().add(logtoRole(MANAGEMENT_ROLE));
    h.create(admin);
    h.awaitReady(shop);
    h.awaitReady(shopper);
    awaitVerified(orders);
    awaitVerified(admin);
    collectSecret("orders", "orders-logto-credentials");
    collectSecret("admin", "admin-logto-credentials");
    snapshotStatuses();

    // Tokens the apps' users would get (through the proxy, so they are recorded too).
    Map<String, String> ordersCredentials = decoded(h.secret("orders-logto-credentials"));
    Map<String, String> adminCredentials = decoded(h.secret("admin-logto-credentials"));
    TokenGrant shopToken = testClient.requestToken(ordersCredentials.get("LOGTO_APP_ID"),
        ordersCredentials.get("LOGTO_APP_SECRET"), "https://shop.api", List.of("read"));
    TokenGrant adminToken = testClient.requestToken(adminCredentials.get("LOGTO_APP_ID"),
        adminCredentials.get("LOGTO_APP_SECRET"), LogtoSimulator.MANAGEMENT_API_RESOURCE,
        List.of("all"));
    exceptions.add(shopToken.toString());
    exceptions.add(adminToken.toString());
    exceptions.add(h.connection.toString());
    testClient.listApplicationSecrets(ordersCredentials.get("LOGTO_APP_ID"))
        .forEach(s -> exceptions.add(s.toString()));
    // A token request Logto refuses: the exception must not carry the credentials.
    expectFailure(() -> testClient.requestToken(ordersCredentials.get("LOGTO_APP_ID"),
        ordersCredentials.get("LOGTO_APP_SECRET"), "https://nowhere.api", List.of("read")));
    expectFailure(() -> testClient.requestToken(ordersCredentials.get("LOGTO_APP_ID"),
        ordersCredentials.get("LOGTO_APP_SECRET") + "x", "https://shop.api", List.of("read")));

    // The Secret deleted, then edited: restored.
    Map<String, String> original = decoded(h.secret("orders-logto-credentials"));
    h.k8s.secrets().inNamespace(NS).withName("orders-logto-credentials").delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> h.secret("orders-logto-credentials") != null
        && decoded(h.secret("orders-logto-credentials")).equals(original));
    h.k8s.secrets().inNamespace(NS).withName("orders-logto-credentials").edit(s -> {
      s.getData().put("LOGTO_APP_SECRET", LeakScanner.base64("tampered-value-123"));
      return s;
    });
    await().atMost(Duration.ofSeconds(20)).until(() ->
        decoded(h.secret("orders-logto-credentials")).equals(original));

    // Logto outage: tokens revoked, token endpoint and Management API failing.
    h.simulator.expireAllTokens();
    h.simulator.failNextTokenRequests(2, 503);
    h.simulator.failNext(3, 503);
    touch(orders, "outage 1");
    awaitVerified(orders);
    h.simulator.setFailureRate(1.0, 500);
    touch(orders, "outage 2");
    h.edit(shopper, r -> {
      r.getSpec().setDescription("during the outage");
      return r;
    });
    await().atMost(Duration.ofSeconds(20)).until(() ->
        h.readyReason(orders).filter(r -> !r.equals("Synced")).isPresent()
            && h.readyReason(shopper).filter("LogtoUnavailable"::equals).isPresent());
    snapshotStatuses();
    expectFailure(() -> testClient.listApplications());
    h.simulator.clearFaults();
    awaitVerified(orders);
    h.awaitReady(shopper);
    h.simulator.failNextTokenRequests(5, 500);
    h.simulator.expireAllTokens();
    expectFailure(() -> testClient.listApplications());
    h.simulator.clearFaults();
    h.simulator.failNext(50, 403);
    touch(orders, "refused");
    await().atMost(Duration.ofSeconds(20)).until(() ->
        h.readyReason(orders).filter("Forbidden"::equals).isPresent());
    snapshotStatuses();
    h.simulator.clearFaults();
    touch(orders, "after the outage");
    awaitVerified(orders);

    // Rotation on demand with a grace period; one attempt meets an outage; then the previous
    // secret is revoked at once.
    h.edit(orders, a -> {
      CredentialsSecret secret = new CredentialsSecret();
      SecretRotation rotation = new SecretRotation();
      rotation.setGracePeriod("1h");
      secret.setRotation(rotation);
      a.getSpec().setSecret(secret);
      return a;
    });
    awaitVerified(orders);
    String before = h.get(orders).getStatus().getCredentials().getCurrent().getName();
    h.simulator.failNext(2, 503);
    annotate(orders, "m2m.logto.io/rotate", "leak-scan");
    await().atMost(Duration.ofSeconds(20)).until(() -> !before.equals(
        h.get(orders).getStatus().getCredentials().getCurrent().getName()));
    awaitVerified(orders);
    collectSecret("orders (rotated)", "orders-logto-credentials");
    appSecrets.put("previous secret of orders",
        decoded(h.secret("orders-logto-credentials")).get("LOGTO_APP_SECRET_PREVIOUS"));
    snapshotStatuses();
    annotate(orders, "m2m.logto.io/revoke-previous", "true");
    await().atMost(Duration.ofSeconds(20)).until(() ->
        h.get(orders).getStatus().getCredentials().getPrevious() == null);
    snapshotStatuses();

    // The app deleted in Logto behind the operator's back: recreated with new credentials.
    String oldId = h.get(orders).getStatus().getAppId();
    testClient.deleteApplication(oldId);
    touch(orders, "recreate");
    await().atMost(Duration.ofSeconds(20)).until(() ->
        !oldId.equals(h.get(orders).getStatus().getAppId()));
    awaitVerified(orders);
    collectSecret("orders (recreated)", "orders-logto-credentials");
    snapshotStatuses();

    // Every secret Logto holds for any app, the bootstrap app's included.
    for (Application application : testClient.listApplications()) {
      for (ApplicationSecret secret : testClient.listApplicationSecrets(application.id())) {
        appSecrets.put("Logto secret '" + secret.name() + "' of " + application.name(),
            secret.value());
      }
    }

    // Deletion of everything.
    h.delete(orders);
    h.delete(admin);
    h.awaitGone(orders);
    h.awaitGone(admin);
    h.delete(shopper);
    h.awaitGone(shopper);
    h.delete(shop);
    h.awaitGone(shop);
    // A secret created now with an expiry shows in the client's own logs only masked.
    ApplicationSecret extra = testClient.createApplicationSecret(h.simulator.bootstrapAppId(),
        "leak-test", Instant.now().plus(Duration.ofHours(1)));
    appSecrets.put("extra secret of the bootstrap app", extra.value());
    testClient.deleteApplicationSecret(h.simulator.bootstrapAppId(), "leak-test");
  }

  private void awaitVerified(LogtoM2MApp app) {
    h.awaitReady(app);
    await().atMost(Duration.ofSeconds(20)).until(() -> h.condition(app,
        Conditions.CREDENTIALS_VERIFIED).filter(c -> "True".equals(c.getStatus())).isPresent());
  }

  private void touch(LogtoM2MApp app, String description) {
    h.edit(app, a -> {
      a.getSpec().setDescription(description);
      return a;
    });
  }

  private void annotate(LogtoM2MApp app, String key, String value) {
    h.edit(app, a -> {
      Map<String, String> annotations = new LinkedHashMap<>();
      if (a.getMetadata().getAnnotations() != null) {
        annotations.putAll(a.getMetadata().getAnnotations());
      }
      annotations.put(key, value);
      a.getMetadata().setAnnotations(annotations);
      return a;
    });
  }

  private void collectSecret(String label, String secretName) {
    Secret secret = h.secret(secretName);
    appSecrets.put("app secret of " + label, decoded(secret).get("LOGTO_APP_SECRET"));
  }

  private void expectFailure(Supplier<?> call) {
    try {
      call.get();
      exceptions.add("(no failure)");
    } catch (LogtoException e) {
      exceptions.add(e.getMessage() + " | " + e);
      StringBuilder causes = new StringBuilder();
      for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
        causes.append(t).append(" | ");
      }
      exceptions.add(causes.toString());
    }
  }

  private void snapshotStatuses() {
    List<io.fabric8.kubernetes.client.CustomResource<?, ?>> all = new ArrayList<>();
    all.addAll(h.k8s.resources(LogtoApiResource.class).inAnyNamespace().list().getItems());
    all.addAll(h.k8s.resources(LogtoRole.class).inAnyNamespace().list().getItems());
    all.addAll(h.k8s.resources(LogtoM2MApp.class).inAnyNamespace().list().getItems());
    for (var resource : all) {
      statuses.add(resource.getKind() + " " + resource.getMetadata().getName() + " "
          + JSON.asJson(resource.getStatus()));
    }
  }

  private List<LeakScanner.Finding> scanEverything(LeakScanner scanner) {
    List<LeakScanner.Finding> findings = new ArrayList<>();
    int i = 0;
    for (String line : appender.lines) {
      findings.addAll(scanner.scan("log line " + i++, line));
    }
    for (var event : h.k8s.v1().events().inAnyNamespace().list().getItems()) {
      findings.addAll(scanner.scan("event " + event.getMetadata().getName(),
          event.getReason() + " " + event.getMessage() + " " + JSON.asJson(event)));
    }
    snapshotStatuses();
    synchronized (statuses) {
      for (String status : statuses) {
        findings.addAll(scanner.scan("status", status));
      }
    }
    for (String message : exceptions) {
      findings.addAll(scanner.scan("exception", message));
    }
    return findings;
  }
}
