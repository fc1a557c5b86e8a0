package io.logto.operator.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.logto.operator.simulator.LogtoSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxTest {

  private static final Path EXAMPLES = Path.of("examples");
  private static final Path TWO_TENANTS = EXAMPLES.resolve("two-tenants");
  private static final String TENANT_2 = "ClusterLogtoConnection/tenant-2";
  private static final Pattern CURL = Pattern.compile(
      "curl -s -u (\\S+):(\\S+) -d grant_type=client_credentials -d resource=(\\S+)"
          + " -d '?scope=([^'\\n]+)'? (\\S+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  /** Reads of the keyboard given to --once runs: there should be none. */
  private final AtomicInteger keyboardReads = new AtomicInteger();

  private Sandbox sandbox(Path examples, Duration timeout, double failureRate) {
    return sandbox(examples, true, timeout, failureRate, 1);
  }

  private Sandbox sandbox(Path examples, boolean once, Duration timeout, double failureRate,
      int tenants) {
    return new Sandbox(
        new Sandbox.Options(examples, once, timeout, Optional.of(temp.resolve("summary.json")),
            Duration.ZERO, failureRate, tenants, Optional.empty(), Optional.empty(),
            Sandbox.DEFAULT_PRIVILEGED_NAMESPACES),
        new PrintWriter(out, true), new PrintWriter(err, true))
        .tableOnEnter(once ? new InputStream() {
          @Override
          public int read() {
            keyboardReads.incrementAndGet();
            return -1;
          }
        } : null);
  }

  private Sandbox watching(Path examples) {
    return sandbox(examples, false, Duration.ofSeconds(30), 0, 1);
  }

  /**
   * Runs a watching sandbox on a thread of its own and returns once it has converged and run
   * {@code atConvergence}; {@link #stop} ends it.
   */
  private void startAndAwaitConvergence(Sandbox sandbox, Consumer<OperatorStack> atConvergence)
      throws InterruptedException {
    CountDownLatch converged = new CountDownLatch(1);
    sandbox.onConverged(stack -> {
      atConvergence.accept(stack);
      converged.countDown();
    });
    new Thread(() -> {
      try {
        sandbox.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }).start();
    assertThat(converged.await(60, TimeUnit.SECONDS)).as(out.toString()).isTrue();
  }

  private static void stop(Sandbox sandbox) throws InterruptedException {
    sandbox.stop();
    assertThat(sandbox.awaitFinished(Duration.ofSeconds(30))).isTrue();
  }

  @AfterEach
  void onceReadsNoKeyboard() {
    assertThat(keyboardReads).hasValue(0);
  }

  private JsonNode summary() throws IOException {
    return JSON.readTree(temp.resolve("summary.json").toFile());
  }

  @Test
  void onceBringsEveryExampleToReadyAndItsCurlLineGetsAToken() throws Exception {
    AtomicReference<HttpResponse<String>> token = new AtomicReference<>();
    int code = sandbox(EXAMPLES, Duration.ofSeconds(60), 0)
        .onConverged(stack -> token.set(runCurlLine(out.toString())))
        .run();

    assertThat(code).as(err.toString()).isZero();
    JsonNode summary = summary();
    assertThat(summary.get("objects")).hasSize(exampleObjectCount());
    for (JsonNode object : summary.get("objects")) {
      assertThat(object.get("logtoId").asText()).as(object.toString()).isNotBlank();
      assertThat(object.get("conditions")).anySatisfy(c -> {
        assertThat(c.get("type").asText()).isEqualTo("Ready");
        assertThat(c.get("status").asText()).isEqualTo("True");
        assertThat(c.has("reason") && c.has("message")).isTrue();
      });
    }
    JsonNode secrets = summary.get("secrets");
    assertThat(secrets).hasSize(2);
    JsonNode orderStats = find(secrets, "order-stats-logto-credentials");
    assertThat(orderStats.get("namespace").asText()).isEqualTo("default");
    assertThat(orderStats.at("/data/LOGTO_RESOURCE").asText()).isEqualTo("https://shopping.api");
    assertThat(orderStats.at("/data/LOGTO_APP_SECRET").asText()).isNotBlank().isNotEqualTo("****");

    JsonNode logto = summary.get("logto");
    assertThat(logto.get("applications").asLong()).isEqualTo(2);
    assertThat(logto.get("roles").asLong()).isEqualTo(1);
    assertThat(logto.get("resources").asLong()).isEqualTo(1);
    // One operator token, one verification per app.
    assertThat(logto.get("tokenRequests").asLong()).isEqualTo(3);
    assertThat(logto.at("/calls/POST ~1api~1applications").asLong()).isEqualTo(2);

    // The printed table and the masked secret, never the secret itself outside the curl line.
    String printed = out.toString();
    assertThat(printed).contains("LogtoM2MApp", "default/order-stats", "LOGTO_APP_SECRET      ****",
        "privileged namespaces: default");
    String secret = orderStats.at("/data/LOGTO_APP_SECRET").asText();
    assertThat(printed.lines().filter(l -> l.contains(secret)))
        .singleElement().asString().startsWith("  curl ");
    assertThat(err.toString()).doesNotContain(secret);

    HttpResponse<String> answer = token.get();
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonNode claims = jwtClaims(JSON.readTree(answer.body()).get("access_token").asText());
    assertThat(claims.get("aud").asText()).isEqualTo("https://shopping.api");
    assertThat(claims.get("client_id").asText())
        .isEqualTo(orderStats.at("/data/LOGTO_APP_ID").asText());
    assertThat(claims.get("scope").asText().split(" "))
        .containsExactlyInAnyOrder("read:products", "write:products");
  }

  @Test
  void withTwoTenantsEachObjectLandsInTheTenantItNamesAndEachCurlLineGetsAToken()
      throws Exception {
    record Counts(int applications, int roles, int resources) {
      static Counts of(LogtoSimulator simulator) {
        return new Counts(simulator.applicationCount(), simulator.roleCount(),
            simulator.resourceCount());
      }
    }
    AtomicReference<Counts> one = new AtomicReference<>();
    AtomicReference<Counts> two = new AtomicReference<>();
    AtomicReference<String> twoEndpoint = new AtomicReference<>();
    List<MatchResult> curls = new ArrayList<>();
    List<HttpResponse<String>> tokens = new ArrayList<>();
    int code = sandbox(TWO_TENANTS, true, Duration.ofSeconds(60), 0, 2)
        .onConverged(stack -> {
          one.set(Counts.of(stack.logto().simulator().orElseThrow()));
          LogtoSimulator second = stack.extraTenants().tenants().get(0).logto().simulator()
              .orElseThrow();
          two.set(Counts.of(second));
          twoEndpoint.set(second.endpoint().toString());
          curls.addAll(curlLines(out.toString()));
          curls.forEach(curl -> tokens.add(runCurl(curl)));
        })
        .run();

    assertThat(code).as(out + "\n" + err).isZero();
    JsonNode summary = summary();
    JsonNode objects = summary.get("objects");
    assertThat(objects).hasSize(6).allSatisfy(o ->
        assertThat(readyReason(o)).as(o.toString()).isEqualTo("Synced"));
    for (String name : List.of("billing-api", "invoice-reader", "invoice-export")) {
      assertThat(find(objects, name).get("connection").asText()).isEqualTo(TENANT_2);
    }
    for (String name : List.of("inventory-api", "inventory-reader", "stock-report")) {
      assertThat(find(objects, name).get("connection").asText()).isEqualTo("own");
    }
    // Each tenant holds its three, and only those.
    assertThat(one.get()).isEqualTo(new Counts(1, 1, 1));
    assertThat(two.get()).isEqualTo(new Counts(1, 1, 1));
    JsonNode connections = summary.get("connections");
    assertThat(connections).hasSize(2);
    assertThat(connections.get(0).get("connection").asText()).isEqualTo("own");
    assertThat(connections.get(0).at("/logto/applications").asLong()).isEqualTo(1);
    JsonNode tenant2 = connections.get(1);
    assertThat(tenant2.get("connection").asText()).isEqualTo(TENANT_2);
    assertThat(tenant2.get("endpoint").asText()).isEqualTo(twoEndpoint.get());
    assertThat(tenant2.get("ready").asText()).isEqualTo("True");
    assertThat(tenant2.get("reason").asText()).isEqualTo("Connected");
    assertThat(tenant2.at("/logto/applications").asLong()).isEqualTo(1);
    assertThat(tenant2.at("/logto/roles").asLong()).isEqualTo(1);
    assertThat(tenant2.at("/logto/resources").asLong()).isEqualTo(1);
    assertThat(find(summary.get("secrets"), "invoice-export-logto-credentials")
        .at("/data/LOGTO_ENDPOINT").asText()).isEqualTo(twoEndpoint.get());

    String printed = out.toString();
    assertThat(printed).contains("tenant 2: " + twoEndpoint.get(),
        "ClusterLogtoConnection tenant-2 (credentials in Secret"
            + " logto-operator/tenant-2-credentials; allows namespaces default)")
        .containsPattern("CONNECTION +READY +REASON +ENDPOINT +APPS +ROLES +RESOURCES")
        .containsPattern(TENANT_2 + " +True +Connected +" + twoEndpoint.get() + " +1 +1 +1")
        .containsPattern("LogtoM2MApp +default/invoice-export +" + TENANT_2 + " +True +Synced");
    // One token per tenant, each from its own tenant's endpoint, for that tenant's app.
    assertThat(curls).hasSize(2);
    assertThat(curls.get(0).group(5)).doesNotStartWith(twoEndpoint.get());
    assertThat(curls.get(1).group(5)).isEqualTo(twoEndpoint.get() + "/oidc/token");
    List<String> audiences = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> answer = tokens.get(i);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      JsonNode claims = jwtClaims(JSON.readTree(answer.body()).get("access_token").asText());
      assertThat(claims.get("client_id").asText()).isEqualTo(curls.get(i).group(1));
      audiences.add(claims.get("aud").asText());
    }
    assertThat(audiences).containsExactly("https://inventory.api", "https://billing.api");
    assertThat(find(objects, "invoice-export").get("logtoId").asText())
        .isEqualTo(curls.get(1).group(1));
  }

  /** The folder cannot make a connection: waiting for one that does not exist is settled. */
  @Test
  void withOneTenantTheObjectsOfTenant2SettleAtOnceSayingHowToGetIt() throws Exception {
    long start = System.nanoTime();
    int code = sandbox(TWO_TENANTS, true, Duration.ofSeconds(60), 0, 1).run();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(code).isEqualTo(Sandbox.NOT_READY);
    assertThat(took).isLessThan(Duration.ofSeconds(25));
    JsonNode objects = summary().get("objects");
    for (String name : List.of("billing-api", "invoice-reader", "invoice-export")) {
      assertThat(readyReason(find(objects, name))).isEqualTo("WaitingForDependency");
    }
    for (String name : List.of("inventory-api", "inventory-reader", "stock-report")) {
      assertThat(readyReason(find(objects, name))).isEqualTo("Synced");
    }
    assertThat(summary().get("connections")).hasSize(1);
    assertThat(out.toString()).contains("cannot become Ready", "ClusterLogtoConnection tenant-2"
        + " does not exist (the sandbox makes the ClusterLogtoConnections tenant-2 to tenant-N"
        + " with --tenants N)");
  }

  /** In watch mode, a namespace new to the folder is allowed by the sandbox's connections. */
  @Test
  void inWatchModeObjectsOfANewNamespaceLandInTheSecondTenant() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("watched-tenants"));
    String api = """
        apiVersion: m2m.logto.io/v1alpha1
        kind: LogtoApiResource
        metadata:
          name: shop
          namespace: %s
        spec:
          connectionRef:
            kind: ClusterLogtoConnection
            name: tenant-2
          indicator: https://%s.shop.example
        """;
    Files.writeString(dir.resolve("shop.yaml"), api.formatted("default", "default"));
    AtomicReference<LogtoSimulator> second = new AtomicReference<>();
    Sandbox sandbox = sandbox(dir, false, Duration.ofSeconds(30), 0, 2);
    try {
      startAndAwaitConvergence(sandbox, stack -> second.set(
          stack.extraTenants().tenants().get(0).logto().simulator().orElseThrow()));
      assertThat(second.get().resourceCount()).isEqualTo(1);

      Files.writeString(dir.resolve("team-b.yaml"), api.formatted("team-b", "team-b"));

      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> summary().get("objects").size() == 2
              && "Synced".equals(readyReason(find(summary().get("objects"), "shop", "team-b"))));
      assertThat(second.get().resourceCount()).isEqualTo(2);
      assertThat(out.toString()).doesNotContain("Forbidden");
    } finally {
      stop(sandbox);
    }
  }

  @Test
  void aPermanentlyInvalidObjectEndsTheWaitEarlyAndIsNamedInTheSummary() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("invalid"));
    // Admitted (a schema cannot say that scope names are unique), refused by the operator.
    Files.writeString(dir.resolve("relative.yaml"), """
        apiVersion: m2m.logto.io/v1alpha1
        kind: LogtoApiResource
        metadata:
          name: relative
        spec:
          indicator: https://shopping.api
          scopes:
            - name: read
            - name: read
        ---
        # The role can never be Ready either: it waits for the resource.
        apiVersion: m2m.logto.io/v1alpha1
        kind: LogtoRole
        metadata:
          name: reader
        spec:
          description: Reads
          permissions:
            - resourceRef:
                name: relative
              scopes: [read]
        """);

    long start = System.nanoTime();
    int code = sandbox(dir, Duration.ofSeconds(60), 0).run();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(code).isEqualTo(Sandbox.NOT_READY);
    assertThat(took).isLessThan(Duration.ofSeconds(25));
    JsonNode objects = summary().get("objects");
    assertThat(readyReason(find(objects, "relative"))).isEqualTo("InvalidSpec");
    assertThat(find(objects, "relative").get("namespace").asText()).isEqualTo("default");
    assertThat(readyReason(find(objects, "reader"))).isEqualTo("WaitingForDependency");
    assertThat(out.toString()).contains("cannot become Ready", "InvalidSpec", "spec.scopes[1]");
    assertThat(summary().get("rejected")).isEmpty();
  }

  @Test
  void aFolderOfFourteenWithOneBadDocumentAppliesTheOtherThirteen() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("fourteen"));
    for (int i = 1; i <= 3; i++) {
      Files.writeString(dir.resolve("api-" + i + ".yaml"), """
          apiVersion: m2m.logto.io/v1alpha1
          kind: LogtoApiResource
          metadata:
            name: api-%1$d
          spec:
            indicator: https://api-%1$d.example
            scopes:
              - name: read
          """.formatted(i));
    }
    for (int i = 1; i <= 3; i++) {
      Files.writeString(dir.resolve("role-" + i + ".yaml"), """
          apiVersion: m2m.logto.io/v1alpha1
          kind: LogtoRole
          metadata:
            name: role-%1$d
          spec:
            description: Reads api-%1$d
            permissions:
              - resourceRef:
                  name: api-%1$d
                scopes: [read]
          """.formatted(i));
    }
    for (int i = 1; i <= 7; i++) {
      Files.writeString(dir.resolve("app-" + i + ".yaml"), """
          apiVersion: m2m.logto.io/v1alpha1
          kind: LogtoM2MApp
          metadata:
            name: app-%d
          spec:
            roles:
              - roleRef:
                  name: role-%d
          """.formatted(i, 1 + i % 3));
    }
    Files.writeString(dir.resolve("wrong-policy.yaml"), """
        apiVersion: m2m.logto.io/v1alpha1
        kind: LogtoM2MApp
        metadata:
          name: wrong-policy
        spec:
          deletionPolicy: Sometimes
          roles:
            - roleRef:
                name: role-1
        """);
    assertThat(ExamplesFolder.yamlFiles(dir)).hasSize(14);

    int code = sandbox(dir, Duration.ofSeconds(60), 0).run();

    assertThat(code).as(out + "\n" + err).isEqualTo(Sandbox.BAD_EXAMPLES);
    JsonNode summary = summary();
    assertThat(summary.get("objects")).hasSize(13)
        .allSatisfy(o -> assertThat(readyReason(o)).isEqualTo("Synced"));
    assertThat(summary.get("secrets")).hasSize(7);
    JsonNode rejected = summary.get("rejected");
    assertThat(rejected).hasSize(1);
    assertThat(rejected.get(0).get("file").asText()).endsWith("wrong-policy.yaml");
    assertThat(rejected.get(0).get("kind").asText()).isEqualTo("LogtoM2MApp");
    assertThat(rejected.get(0).get("namespace").asText()).isEqualTo("default");
    assertThat(rejected.get(0).get("name").asText()).isEqualTo("wrong-policy");
    assertThat(rejected.get(0).get("message").asText()).startsWith(
        "The LogtoM2MApp \"wrong-policy\" is invalid:\n* spec.deletionPolicy: Unsupported value:"
            + " \"Sometimes\": supported values: \"Delete\", \"Retain\"");
    assertThat(out.toString()).contains(
        "refused LogtoM2MApp default/wrong-policy (wrong-policy.yaml): The LogtoM2MApp"
            + " \"wrong-policy\" is invalid:",
        "    * spec.deletionPolicy: Unsupported value: \"Sometimes\"",
        "Applied 13 objects from " + dir + " (1 document refused, above)",
        "All 13 objects are Ready");
  }

  @Test
  void inWatchModeAnEditOfTheImmutableIndicatorIsRefusedAndTheObjectKeepsItsSpec()
      throws Exception {
    Path dir = Files.createDirectories(temp.resolve("watched"));
    String api = """
        apiVersion: m2m.logto.io/v1alpha1
        kind: LogtoApiResource
        metadata:
          name: shop
        spec:
          indicator: https://shop.example
          scopes:
            - name: read
        """;
    Files.writeString(dir.resolve("shop.yaml"), api);
    AtomicReference<io.fabric8.kubernetes.client.KubernetesClient> client = new AtomicReference<>();
    Sandbox sandbox = watching(dir);
    try {
      startAndAwaitConvergence(sandbox, stack -> client.set(stack.kubernetes()));

      Files.writeString(dir.resolve("shop.yaml"), api.replace("https://shop.example",
          "https://moved.example"));

      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
          .until(() -> out.toString().contains("refused LogtoApiResource default/shop"));
      assertThat(out.toString()).contains("refused LogtoApiResource default/shop (shop.yaml):"
          + " The LogtoApiResource \"shop\" is invalid: spec.indicator: Invalid value:"
          + " \"string\": indicator is immutable");
      var shop = client.get().resources(io.logto.operator.crd.apiresource.LogtoApiResource.class)
          .inNamespace("default").withName("shop").get();
      assertThat(shop.getSpec().getIndicator()).isEqualTo("https://shop.example");
      assertThat(shop.getMetadata().getGeneration()).isEqualTo(1L);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
          .until(() -> summary().get("rejected").size() == 1);
      assertThat(summary().get("rejected").get(0).get("message").asText())
          .endsWith("indicator is immutable");
      assertThat(readyReason(summary().get("objects").get(0))).isEqualTo("Synced");
    } finally {
      stop(sandbox);
    }
  }

  @Test
  void inWatchModeABrokenFileIsReportedOnceAChangeShowsTheStatesChangedAndEnterTheTable()
      throws Exception {
    Path dir = Files.createDirectories(temp.resolve("screen"));
    Path shop = dir.resolve("shop.yaml");
    String api = """
        apiVersion: m2m.logto.io/v1alpha1
        kind: LogtoApiResource
        metadata:
          name: shop
        spec:
          indicator: https://shop.example
          scopes:
            - name: read
        """;
    Files.writeString(shop, api);
    PipedOutputStream typing = new PipedOutputStream();
    Sandbox sandbox = watching(dir).tableOnEnter(new PipedInputStream(typing));
    try {
      startAndAwaitConvergence(sandbox, stack -> {});
      int mark = out.toString().length();
      String refused = "refused " + shop + ":8:7: not valid YAML: ";

      String broken = api.replace("  scopes:", "  scopes: [unclosed\n  more:");
      Files.writeString(shop, broken);
      awaitScreen(mark, refused);
      Files.writeString(shop, broken + "# the same error\n");
      Thread.sleep(5_000); // two more looks at the folder
      assertThat(count(since(mark), "refused ")).as(since(mark)).isEqualTo(1);

      Files.writeString(shop, api);
      awaitScreen(mark, "fixed " + shop + " (valid YAML again)");

      Files.writeString(dir.resolve("reader.yaml"), """
          apiVersion: m2m.logto.io/v1alpha1
          kind: LogtoRole
          metadata:
            name: reader
          spec:
            description: Reads
            permissions:
              - resourceRef:
                  name: nope
                scopes: [read]
          """);
      awaitScreen(mark, "  LogtoRole default/reader: not Ready: WaitingForDependency:"
          + " LogtoApiResource default/nope does not exist\n");
      assertThat(since(mark)).contains("  created LogtoRole default/reader (reader.yaml)")
          .doesNotContain("KIND ", "Secrets written", "LogtoApiResource default/shop:");
      assertThat(count(since(mark), "refused ")).isEqualTo(1);
      assertThat(count(since(mark), "fixed ")).isEqualTo(1);

      typing.write('\n');
      typing.flush();
      awaitScreen(mark, "Secrets written: none");
      assertThat(since(mark)).containsPattern("LogtoRole +default/reader +False");
    } finally {
      // The keyboard is still open: its reader must not hold the sandbox up.
      stop(sandbox);
      typing.close();
    }
  }

  /**
   * A role wanting a scope its Ready resource does not declare waits until one of them is edited:
   * the screen says so within seconds, as for a misspelt reference, not at the timeout.
   */
  @Test
  void inWatchModeARoleWantingAnUndeclaredScopeIsReportedAtOnce() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("undeclared"));
    Files.writeString(dir.resolve("shop.yaml"), """
        apiVersion: m2m.logto.io/v1alpha1
        kind: LogtoApiResource
        metadata:
          name: shop
        spec:
          indicator: https://shop.example
          scopes:
            - name: read
            - name: write
        """);
    Sandbox sandbox = sandbox(dir, false, Duration.ofSeconds(300), 0, 1);
    try {
      startAndAwaitConvergence(sandbox, stack -> {});
      int mark = out.toString().length();
      Files.writeString(dir.resolve("reader.yaml"), """
          apiVersion: m2m.logto.io/v1alpha1
          kind: LogtoRole
          metadata:
            name: reader
          spec:
            description: Reads
            permissions:
              - resourceRef:
                  name: shop
                scopes: [read, wirte]
          """);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(since(mark)).contains("  LogtoRole default/reader:"
              + " not Ready: WaitingForDependency: scope 'wirte' is not declared by"
              + " LogtoApiResource default/shop; LogtoApiResource default/shop is Ready and"
              + " does not declare [wirte] (it declares [read, write]): edit one of the two\n"));

      // Declaring it ends the wait: the verdict was about the specs, not for ever.
      Files.writeString(dir.resolve("shop.yaml"), Files.readString(dir.resolve("shop.yaml"))
          + "    - name: wirte\n");
      awaitScreen(mark, "  LogtoRole default/reader: Ready (Synced");
    } finally {
      stop(sandbox);
    }
  }

  @Test
  void convergesWhenLogtoFailsAFifthOfItsCalls() throws Exception {
    int code = sandbox(EXAMPLES, Duration.ofSeconds(60), 0.2).run();

    assertThat(code).as(out + "\n" + err).isZero();
    assertThat(summary().get("objects")).hasSize(exampleObjectCount())
        .allSatisfy(o -> assertThat(readyReason(o)).isEqualTo("Synced"));
  }

  @Test
  void withARealLogtoCountsTheOperatorsCallsAndRemovesWhatItCreated() throws Exception {
    try (LogtoSimulator logto = LogtoSimulator.start()) {
      RemoteLogto remote = new RemoteLogto(logto.endpoint(), null, logto.bootstrapAppId(),
          logto.bootstrapAppSecret());
      AtomicReference<Long> appsWhileRunning = new AtomicReference<>();
      int code = new Sandbox(
          new Sandbox.Options(EXAMPLES, true, Duration.ofSeconds(60),
              Optional.of(temp.resolve("summary.json")), Duration.ZERO, 0, 1, Optional.of(remote),
              Optional.empty(), Sandbox.DEFAULT_PRIVILEGED_NAMESPACES),
          new PrintWriter(out, true), new PrintWriter(err, true))
          .onConverged(stack -> appsWhileRunning.set((long) logto.applicationCount()))
          .run();

      assertThat(code).as(err.toString()).isZero();
      assertThat(appsWhileRunning.get()).isEqualTo(2);
      JsonNode counted = summary().get("logto");
      assertThat(counted.get("applications").asLong()).isEqualTo(2);
      assertThat(counted.get("roles").asLong()).isEqualTo(1);
      assertThat(counted.get("resources").asLong()).isEqualTo(1);
      assertThat(counted.at("/calls/POST ~1api~1applications").asLong()).isEqualTo(2);
      assertThat(counted.get("tokenRequests").asLong()).isEqualTo(3);
      // The sandbox's Kubernetes API dies with it: what it made in Logto goes too.
      assertThat(logto.applicationCount()).isZero();
      assertThat(logto.roleCount()).isZero();
      assertThat(logto.resourceCount()).isZero();
      // A real Logto's credentials are not printed.
      String secret = find(summary().get("secrets"), "order-stats-logto-credentials")
          .at("/data/LOGTO_APP_SECRET").asText();
      assertThat(out.toString()).doesNotContain(secret).contains("-u ")
          .doesNotContain(logto.bootstrapAppSecret());
    }
  }

  @Test
  void aMissingExamplesFolderIsAUsageError() throws Exception {
    int code = sandbox(temp.resolve("nowhere"), Duration.ofSeconds(5), 0).run();

    assertThat(code).isEqualTo(Sandbox.BAD_EXAMPLES);
    assertThat(err.toString()).contains("--examples");
    assertThat(summary().get("objects")).isEmpty();
  }

  // Helpers

  private String since(int mark) {
    return out.toString().substring(mark);
  }

  private void awaitScreen(int mark, String text) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(since(mark)).contains(text));
  }

  private static int count(String text, String part) {
    return text.split(Pattern.quote(part), -1).length - 1;
  }

  private static int exampleObjectCount() throws IOException {
    int count = 0;
    for (Path file : ExamplesFolder.yamlFiles(EXAMPLES)) {
      count += new Manifests().parse(Files.readString(file), file.toString()).manifests().size();
    }
    return count;
  }

  private static JsonNode find(JsonNode array, String name) {
    return find(array, name, null);
  }

  /** @param namespace null for any */
  private static JsonNode find(JsonNode array, String name, String namespace) {
    List<JsonNode> found = new ArrayList<>();
    array.forEach(n -> {
      if (name.equals(n.get("name").asText())
          && (namespace == null || namespace.equals(n.get("namespace").asText()))) {
        found.add(n);
      }
    });
    assertThat(found).as(name + " in " + array).hasSize(1);
    return found.get(0);
  }

  private static String readyReason(JsonNode object) {
    for (JsonNode c : object.get("conditions")) {
      if ("Ready".equals(c.get("type").asText())) {
        return c.get("reason").asText();
      }
    }
    return null;
  }

  /** Does what the (first) printed curl command does. */
  private static HttpResponse<String> runCurlLine(String printed) {
    Matcher curl = CURL.matcher(printed);
    assertThat(curl.find()).as(printed).isTrue();
    return runCurl(curl);
  }

  /** The printed curl commands: user, password, resource, scope and URL. */
  private static List<MatchResult> curlLines(String printed) {
    return CURL.matcher(printed).results().toList();
  }

  /** Does what a printed curl command does. */
  private static HttpResponse<String> runCurl(MatchResult curl) {
    String form = "grant_type=client_credentials&resource=" + encode(curl.group(3)) + "&scope="
        + encode(curl.group(4));
    HttpRequest request = HttpRequest.newBuilder(URI.create(curl.group(5)))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            (curl.group(1) + ":" + curl.group(2)).getBytes(StandardCharsets.UTF_8)))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form))
        .build();
    try {
      return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static JsonNode jwtClaims(String jwt) throws IOException {
    return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
  }
}
