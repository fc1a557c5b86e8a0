package io.logto.operator.hardening;

import static io.logto.operator.reconciler.OperatorHarness.NS;
import static io.logto.operator.reconciler.OperatorHarness.apiResource;
import static io.logto.operator.reconciler.OperatorHarness.app;
import static io.logto.operator.reconciler.OperatorHarness.indicatorPermission;
import static io.logto.operator.reconciler.OperatorHarness.logtoRole;
import static io.logto.operator.reconciler.OperatorHarness.permission;
import static io.logto.operator.reconciler.OperatorHarness.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.logto.operator.crd.apiresource.ApiScope;
import io.logto.operator.crd.apiresource.ConfigMapTarget;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.app.AppRoleAssignment;
import io.logto.operator.crd.app.CredentialsSecret;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.app.SecretRotation;
import io.logto.operator.crd.app.WorkloadReference;
import io.logto.operator.crd.common.LocalObjectReference;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.crd.role.RolePermission;
import io.logto.operator.reconciler.OperatorHarness;
import io.logto.operator.simulator.LogtoSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every invalid spec ends in {@code Ready=False} with a reason and a message naming the field,
 * creates nothing in Logto, and does not loop. The embedded API server refuses what the CRDs
 * refuse, as a cluster does; these objects are stored past its admission on purpose, so that they
 * reach the operator as they would with an old or missing CRD.
 * One operator serves all cases (distinct object names), to keep the class fast.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputTest {

  /** How long Management API calls, status writes and Events must stay flat. */
  private static final Duration QUIET = Duration.ofMillis(1000);

  private static final String KNOWN_API = "known-api";
  private static final String FOREIGN_SECRET = "foreign-secret";
  private static final String FOREIGN_CONFIG_MAP = "foreign-config";
  private static final String CLAIMED_SECRET = "claimed-secret";
  private static final String CLAIMED_CONFIG_MAP = "claimed-config";

  private OperatorHarness h;
  private final List<HasMetadata> created = new ArrayList<>();

  /**
   * One bad input.
   *
   * @param object builds the object from the name it must have
   * @param reason the expected reason of Ready
   * @param fragments what the message must contain (the field path, the missing object)
   * @param logtoUntouched whether nothing may be created or changed in Logto
   * @param check further assertions after the outcome
   */
  record Case(
      String title,
      Function<String, HasMetadata> object,
      String reason,
      List<String> fragments,
      boolean logtoUntouched,
      Consumer<OperatorHarness> check) {
    @Override
    public String toString() {
      return title;
    }

    Case then(Consumer<OperatorHarness> more) {
      return new Case(title, object, reason, fragments, logtoUntouched, more);
    }

    Case withReason(String otherReason, String... otherFragments) {
      return new Case(title, object, otherReason, List.of(otherFragments), logtoUntouched, check);
    }
  }

  // The cases

  static Stream<Arguments> cases() {
    List<Case> all = new ArrayList<>();
    // LogtoApiResource
    all.add(apiCase("empty name", r -> spec(r, s -> s.setName("")), "spec.name"));
    all.add(apiCase("oversized name (129)", r -> spec(r, s -> s.setName("n".repeat(129))),
        "spec.name", "at most 128"));
    all.add(apiCase("missing indicator", r -> spec(r, s -> s.setIndicator(null)),
        "spec.indicator: is required"));
    all.add(apiCase("relative indicator", r -> spec(r, s -> s.setIndicator("/shop")),
        "spec.indicator", "absolute http(s) URI"));
    all.add(apiCase("non-http indicator", r -> spec(r, s -> s.setIndicator("ftp://shop.api")),
        "spec.indicator", "absolute http(s) URI"));
    all.add(apiCase("whitespace in indicator", r -> spec(r, s -> s.setIndicator("https://shop api")),
        "spec.indicator"));
    all.add(apiCase("oversized indicator (257)",
        r -> spec(r, s -> s.setIndicator("https://" + "i".repeat(245) + ".api")),
        "spec.indicator", "at most 256"));
    all.add(apiCase("whitespace in scope name",
        r -> scopes(r, new ApiScope("read", null), new ApiScope("write products", null)),
        "spec.scopes[1].name", "whitespace"));
    all.add(apiCase("empty scope name", r -> scopes(r, new ApiScope("", null)),
        "spec.scopes[0].name", "is required"));
    all.add(apiCase("duplicate scope",
        r -> scopes(r, new ApiScope("read", "a"), new ApiScope("read", "b")),
        "spec.scopes[1].name", "duplicate scope 'read'"));
    all.add(apiCase("oversized scope description",
        r -> scopes(r, new ApiScope("read", "d".repeat(257))), "spec.scopes[0].description"));
    all.add(apiCase("access token TTL 0", r -> spec(r, s -> s.setAccessTokenTtl(0)),
        "spec.accessTokenTtl"));
    all.add(apiCase("access token TTL above 30 days",
        r -> spec(r, s -> s.setAccessTokenTtl(2_592_001)), "spec.accessTokenTtl"));
    all.add(apiCase("201 scopes (maxItems 200)",
        r -> scopes(r, IntStream.range(0, 201).mapToObj(i -> new ApiScope("s" + i, null))
            .toArray(ApiScope[]::new)),
        "spec.scopes", "at most 200"));
    all.add(apiCase("invalid ConfigMap name", r -> configMap(r, "Bad_Name"),
        "spec.configMap.name"));
    all.add(new Case("LogtoApiResource: metadata.name too long for the default ConfigMap name",
        n -> apiResource("a".repeat(250), "https://long-name.bad.api", "read"),
        "InvalidSpec", List.of("spec.configMap.name"), true, x -> {}));
    all.add(apiCase("missing spec", r -> {
      r.setSpec(null);
      return r;
    }, "spec: is required"));
    all.add(new Case("LogtoApiResource: the Management API's indicator",
        n -> apiResource(n, LogtoSimulator.MANAGEMENT_API_RESOURCE, "all"),
        "Forbidden", List.of("spec.indicator", "Management API"), true, x -> {}));
    // The ConfigMap name is checked before anything is created in Logto.
    all.add(new Case("LogtoApiResource: ConfigMap name of a ConfigMap it does not own",
        n -> configMap(apiResource(n, "https://" + n + ".bad.api", "read"), FOREIGN_CONFIG_MAP),
        "Conflict", List.of("spec.configMap.name", "ConfigMap " + FOREIGN_CONFIG_MAP,
            "not created by the operator"), true,
        x -> assertForeignConfigMapUntouched(x)));
    all.add(new Case("LogtoApiResource: ConfigMap name of another LogtoApiResource's ConfigMap",
        n -> configMap(apiResource(n, "https://" + n + ".bad.api", "read"), CLAIMED_CONFIG_MAP),
        "Conflict", List.of("spec.configMap.name: LogtoApiResource " + NS
            + "/config-owner owns ConfigMap " + CLAIMED_CONFIG_MAP), true, x -> {}));
    all.add(new Case("LogtoApiResource (raw): accessTokenTtl as a numeric string is coerced",
        n -> rawApiResource(n, Map.of("indicator", "https://" + n + ".api",
            "accessTokenTtl", "600")),
        "Synced", List.of(), false,
        x -> assertThat(x.client.findApiResourceByIndicator("https://raw-ttl-string.api")
            .orElseThrow().accessTokenTtl()).isEqualTo(600)));

    // LogtoRole
    all.add(roleCase("empty name", r -> {
      r.getSpec().setName("");
      return r;
    }, "spec.name"));
    all.add(roleCase("oversized description (129)", r -> {
      r.getSpec().setDescription("d".repeat(129));
      return r;
    }, "spec.description", "at most 128"));
    all.add(roleCase("both resourceRef and indicator", r -> perms(r, both()),
        "spec.permissions[0]", "exactly one of resourceRef or indicator"));
    all.add(roleCase("neither resourceRef nor indicator", r -> perms(r, neither()),
        "spec.permissions[0]", "exactly one of resourceRef or indicator"));
    all.add(roleCase("permission without scopes", r -> perms(r, permission(KNOWN_API)),
        "spec.permissions[0].scopes", "at least one scope"));
    all.add(roleCase("whitespace in scope name", r -> perms(r, permission(KNOWN_API, "read", "wr ite")),
        "spec.permissions[0].scopes[1]", "whitespace"));
    all.add(roleCase("duplicate scope", r -> perms(r, permission(KNOWN_API, "read", "read")),
        "spec.permissions[0].scopes[1]", "duplicate scope 'read'"));
    all.add(roleCase("invalid resourceRef name", r -> perms(r, permission("Known_API", "read")),
        "spec.permissions[0].resourceRef.name"));
    all.add(roleCase("relative indicator", r -> perms(r, indicatorPermission("known.api", "read")),
        "spec.permissions[0].indicator", "absolute http(s) URI"));
    all.add(roleCase("same API resource twice",
        r -> perms(r, permission(KNOWN_API, "read"), permission(KNOWN_API, "write")),
        "spec.permissions[1]", "same API resource"));
    all.add(roleCase("101 permissions (maxItems 100)",
        r -> perms(r, IntStream.range(0, 101).mapToObj(i -> permission("api-" + i, "read"))
            .toArray(RolePermission[]::new)),
        "spec.permissions", "at most 100"));
    all.add(roleCase("unknown LogtoApiResource", r -> perms(r, permission("no-such-api", "read")))
        .withReason("WaitingForDependency",
            "LogtoApiResource " + NS + "/no-such-api does not exist"));
    all.add(roleCase("scope the LogtoApiResource does not declare",
        r -> perms(r, permission(KNOWN_API, "read", "delete")))
        .withReason("WaitingForDependency",
            "scope 'delete' is not declared by LogtoApiResource " + NS + "/" + KNOWN_API));
    all.add(roleCase("Management API scope outside the allowlist",
        r -> perms(r, indicatorPermission(LogtoSimulator.MANAGEMENT_API_RESOURCE, "all")))
        .withReason("Forbidden", "spec.permissions[0].indicator", "Management API"));
    all.add(roleCase("name of a role that exists in Logto outside the operator", r -> {
      r.getSpec().setName("Logto Management API access");
      return r;
    }).withReason("Conflict", "spec.name", "already exists in Logto", "no LogtoRole owns it"));

    // LogtoM2MApp
    all.add(appCase("empty name", a -> {
      a.getSpec().setName("");
      return a;
    }, "spec.name"));
    all.add(appCase("oversized description (2049)", a -> {
      a.getSpec().setDescription("d".repeat(2049));
      return a;
    }, "spec.description"));
    all.add(appCase("both roleRef and logtoRoleName", a -> roles(a, bothRoles()),
        "spec.roles[0]", "exactly one of roleRef or logtoRoleName"));
    all.add(appCase("neither roleRef nor logtoRoleName", a -> roles(a, new AppRoleAssignment()),
        "spec.roles[0]", "exactly one of roleRef or logtoRoleName"));
    all.add(appCase("role listed twice", a -> roles(a, roleRef("r"), roleRef("r")),
        "spec.roles[1]", "listed twice"));
    all.add(appCase("101 roles (maxItems 100)",
        a -> roles(a, IntStream.range(0, 101).mapToObj(i -> roleRef("r" + i))
            .toArray(AppRoleAssignment[]::new)),
        "spec.roles", "at most 100"));
    all.add(appCase("invalid Secret name", a -> secret(a, s -> s.setName("My_Secret")),
        "spec.secret.name"));
    all.add(appCase("unknown Secret key", a -> secret(a, s -> s.getKeys().put("PASSWORD", "P")),
        "spec.secret.keys.PASSWORD", "unknown key"));
    all.add(appCase("renamed key that is not a valid Secret key",
        a -> secret(a, s -> s.getKeys().put("LOGTO_APP_ID", "CLIENT ID")),
        "spec.secret.keys.LOGTO_APP_ID", "valid Secret key"));
    all.add(appCase("two keys renamed to one name",
        a -> secret(a, s -> s.getKeys().put("LOGTO_APP_ID", "LOGTO_APP_SECRET")),
        "spec.secret.keys", "would both be written as LOGTO_APP_SECRET"));
    all.add(appCase("rotation period that is not a duration",
        a -> secret(a, s -> s.setRotation(rotation("30 days", null))),
        "spec.secret.rotation.period", "duration such as 720h"));
    all.add(appCase("rotation period under a minute",
        a -> secret(a, s -> s.setRotation(rotation("30s", "10s"))),
        "spec.secret.rotation.period", "at least 1m"));
    all.add(appCase("grace period not shorter than the period",
        a -> secret(a, s -> s.setRotation(rotation("24h", "24h"))),
        "spec.secret.rotation.gracePeriod", "shorter than period"));
    all.add(appCase("rollout restart of an invalid name",
        a -> secret(a, s -> s.setRolloutRestart(List.of(new WorkloadReference(
            WorkloadReference.Kind.Deployment, "Bad_Name")))),
        "spec.secret.rolloutRestart.name"));
    all.add(appCase("label the operator sets",
        a -> secret(a, s -> s.getLabels().put("app.kubernetes.io/managed-by", "me")),
        "spec.secret.labels.app.kubernetes.io/managed-by", "set by the operator"));
    all.add(appCase("label value the API server refuses",
        a -> secret(a, s -> s.getLabels().put("team", "orders and billing")),
        "spec.secret.labels.team", "valid label value"));
    all.add(new Case("LogtoM2MApp: metadata.name longer than a label value (64)",
        n -> app("m".repeat(64)), "InvalidSpec", List.of("metadata.name", "at most 63"), true,
        x -> {}));
    all.add(appCase("Secret name of a Secret it does not own",
        a -> secret(a, s -> s.setName(FOREIGN_SECRET)))
        .withReason("Conflict", "spec.secret.name", "Secret " + FOREIGN_SECRET,
            "not created by the operator", "left untouched")
        .then(BadInputTest::assertForeignSecretUntouched));
    all.add(appCase("Secret name of another LogtoM2MApp's Secret",
        a -> secret(a, s -> s.setName(CLAIMED_SECRET)))
        .withReason("Conflict", "spec.secret.name: LogtoM2MApp " + NS
            + "/secret-owner owns Secret " + CLAIMED_SECRET));
    all.add(appCase("unknown LogtoRole", a -> roles(a, roleRef("no-such-role")))
        .withReason("WaitingForDependency", "LogtoRole " + NS + "/no-such-role does not exist"));
    all.add(appCase("Logto role outside the allowlist",
        a -> roles(a, logtoRole("Logto Management API access")))
        .withReason("Forbidden", "spec.roles", "logtoRoleName"));

    return all.stream().map(c -> Arguments.of(c));
  }

  // Setup: the fixtures, then every case at once, then one quiet period for all of them

  /** What became of one case's object. */
  private record Observed(HasMetadata object, CrObjects.Ready ready, String versionBefore,
      String versionAfter, long eventsBefore, long eventsAfter) {}

  private final Map<String, Observed> observed = new LinkedHashMap<>();
  private Set<String> resourcesBefore;
  private Set<String> rolesBefore;
  private Set<String> appsBefore;
  private long callsBefore;
  private long callsAfter;
  private long tokensBefore;
  private long tokensAfter;

  @BeforeAll
  void start() throws InterruptedException {
    h = OperatorHarness.start();
    h.k8s.secrets().inNamespace(NS).resource(new SecretBuilder()
        .withNewMetadata().withName(FOREIGN_SECRET).withNamespace(NS).endMetadata()
        .withData(Map.of("password", base64("keep-me"))).build()).create();
    h.k8s.configMaps().inNamespace(NS).resource(new ConfigMapBuilder()
        .withNewMetadata().withName(FOREIGN_CONFIG_MAP).withNamespace(NS).endMetadata()
        .withData(Map.of("setting", "keep-me")).build()).create();
    LogtoApiResource known = h.create(apiResource(KNOWN_API, "https://known.api", "read", "write"));
    LogtoApiResource claimer =
        h.create(configMap(apiResource("config-owner", "https://config-owner.api", "read"),
            CLAIMED_CONFIG_MAP));
    LogtoM2MApp owner = app("secret-owner");
    CredentialsSecret target = new CredentialsSecret();
    target.setName(CLAIMED_SECRET);
    owner.getSpec().setSecret(target);
    h.create(owner);
    h.awaitReady(known);
    h.awaitReady(claimer);
    h.awaitReady(owner);
    managementRoleBefore = managementRole();

    resourcesBefore = ids(h.client.listApiResources(), r -> r.id());
    rolesBefore = ids(h.client.listRoles(), r -> r.id());
    appsBefore = ids(h.client.listApplications(), a -> a.id());
    Map<String, HasMetadata> objects = new LinkedHashMap<>();
    cases().map(a -> (Case) a.get()[0]).forEach(c -> {
      HasMetadata object = c.object().apply(objectName(c));
      object.getMetadata().setNamespace(NS);
      create(object);
      objects.put(c.title(), object);
    });
    Map<String, CrObjects.Ready> outcomes = new LinkedHashMap<>();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
      objects.forEach((title, object) -> {
        if (!outcomes.containsKey(title)) {
          CrObjects.ready(CrObjects.raw(h.k8s, object).get())
              .ifPresent(r -> outcomes.put(title, r));
        }
      });
      return outcomes.size() == objects.size();
    });
    // The reconciles triggered by the operator's own status writes end first.
    Thread.sleep(200);
    Map<String, String[]> before = new LinkedHashMap<>();
    callsBefore = h.simulator.managementCalls();
    tokensBefore = h.simulator.tokenRequests();
    objects.forEach((title, object) -> before.put(title, new String[] {
        CrObjects.raw(h.k8s, object).get().getMetadata().getResourceVersion(),
        String.valueOf(CrObjects.eventCount(h.k8s, NS, object.getMetadata().getName()))}));
    Thread.sleep(QUIET.toMillis());
    callsAfter = h.simulator.managementCalls();
    tokensAfter = h.simulator.tokenRequests();
    objects.forEach((title, object) -> observed.put(title, new Observed(object,
        outcomes.get(title), before.get(title)[0],
        CrObjects.raw(h.k8s, object).get().getMetadata().getResourceVersion(),
        Long.parseLong(before.get(title)[1]),
        CrObjects.eventCount(h.k8s, NS, object.getMetadata().getName()))));
  }

  @AfterAll
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  // The tests

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badInputEndsInAConditionNamingTheFieldAndDoesNotLoop(Case c) {
    Observed o = observed.get(c.title());
    CrObjects.Ready ready = o.ready();
    assertThat(ready.reason()).as("reason; message: %s", ready.message()).isEqualTo(c.reason());
    assertThat(ready.status()).isEqualTo("Synced".equals(c.reason()) ? "True" : "False");
    if (!c.fragments().isEmpty()) {
      assertThat(ready.message()).contains(c.fragments());
    }
    assertThat(o.versionAfter()).as("status writes while quiet").isEqualTo(o.versionBefore());
    assertThat(o.eventsAfter()).as("Events while quiet").isEqualTo(o.eventsBefore());
    if (c.logtoUntouched()) {
      assertNothingNewInLogtoFor(o.object());
    }
    c.check().accept(h);
  }

  @Order(2)
  @Test
  void allBadObjectsTogetherMadeNoLogtoCallWhileQuiet() {
    assertThat(observed).hasSizeGreaterThanOrEqualTo(25);
    assertThat(callsAfter).as("Management API calls while quiet").isEqualTo(callsBefore);
    assertThat(tokensAfter).as("token requests while quiet").isEqualTo(tokensBefore);
  }

  @Order(2)
  @Test
  void onlyTheCasesExpectedToReachLogtoCreatedSomething() {
    Set<String> expectedIndicators = new java.util.TreeSet<>();
    cases().map(a -> (Case) a.get()[0]).filter(c -> !c.logtoUntouched())
        .forEach(c -> expectedIndicators.add(indicatorOf(observed.get(c.title()).object())));
    assertThat(h.client.listApiResources()).filteredOn(r -> !resourcesBefore.contains(r.id()))
        .extracting(r -> r.indicator()).containsExactlyInAnyOrderElementsOf(expectedIndicators);
    assertThat(h.client.listRoles()).filteredOn(r -> !rolesBefore.contains(r.id())).isEmpty();
    assertThat(h.client.listApplications()).filteredOn(a -> !appsBefore.contains(a.id()))
        .isEmpty();
    assertThat(managementRole()).as("the Management API role a case tried to claim")
        .isEqualTo(managementRoleBefore);
  }

  @Order(3)
  @Test
  void everyBadObjectCanStillBeDeleted() {
    assertThat(created).hasSizeGreaterThanOrEqualTo(25);
    for (HasMetadata object : created) {
      CrObjects.raw(h.k8s, object).delete();
    }
    for (HasMetadata object : created) {
      await().atMost(Duration.ofSeconds(15))
          .until(() -> CrObjects.raw(h.k8s, object).get() == null);
    }
    assertForeignSecretUntouched(h);
    assertForeignConfigMapUntouched(h);
    assertThat(h.secret(CLAIMED_SECRET)).as("the other app's Secret").isNotNull();
  }

  /**
   * An unknown field (a CRD newer than the operator) is ignored (see {@link UnknownFieldTest}). An
   * unknown enum value or a non-numeric string for a number cannot be held by the typed classes:
   * a real API server refuses them at admission (structural schemas always enforce types and
   * enums), so only a schema-less test server can store them; a numeric string is coerced.
   */
  @Order(4)
  @Test
  void onlyValuesAnApiServerRefusesFailConversion() {
    var serialization = h.k8s.getKubernetesSerialization();
    GenericKubernetesResource sometimes =
        rawApiResource("policy", Map.of("indicator", "https://x.api", "deletionPolicy", "Sometimes"));
    GenericKubernetesResource soon =
        rawApiResource("ttl", Map.of("indicator", "https://x.api", "accessTokenTtl", "soon"));
    GenericKubernetesResource unknown =
        rawApiResource("unknown", Map.of("indicator", "https://x.api", "audience", "x"));
    assertThatThrownBy(() -> serialization.convertValue(sometimes, LogtoApiResource.class))
        .hasMessageContaining("Sometimes");
    assertThatThrownBy(() -> serialization.convertValue(soon, LogtoApiResource.class))
        .hasMessageContaining("soon");
    assertThat(serialization.convertValue(unknown, LogtoApiResource.class).getSpec()
        .getIndicator()).isEqualTo("https://x.api");
    GenericKubernetesResource numeric =
        rawApiResource("numeric", Map.of("indicator", "https://x.api", "accessTokenTtl", "600"));
    assertThat(serialization.convertValue(numeric, LogtoApiResource.class).getSpec()
        .getAccessTokenTtl()).isEqualTo(600);
  }

  // Helpers

  private String managementRoleBefore;

  /** The built-in Management API role as Logto holds it: name, description, scopes. */
  private String managementRole() {
    var role = h.client.findRoleByName("Logto Management API access").orElseThrow();
    return role.name() + "|" + role.description() + "|" + h.client.listRoleScopes(role.id())
        .stream().map(sc -> sc.name()).sorted().toList();
  }

  private static String objectName(Case c) {
    if (c.title().contains("accessTokenTtl as a numeric string")) {
      return "raw-ttl-string";
    }
    return "bad-" + Integer.toHexString(c.title().hashCode() & 0xfffffff);
  }

  private static <T> Set<String> ids(List<T> items, Function<T, String> id) {
    return items.stream().map(id).collect(java.util.stream.Collectors.toSet());
  }

  @SuppressWarnings("unchecked")
  private static String indicatorOf(HasMetadata object) {
    if (object instanceof LogtoApiResource r) {
      return r.getSpec() == null ? null : r.getSpec().getIndicator();
    }
    if (object instanceof GenericKubernetesResource g) {
      return (String) ((Map<String, Object>) g.getAdditionalProperties().get("spec"))
          .get("indicator");
    }
    return null;
  }

  /** Nothing that appeared in Logto during the run carries this object's name or indicator. */
  private void assertNothingNewInLogtoFor(HasMetadata object) {
    String name = object.getMetadata().getName();
    String indicator = indicatorOf(object);
    List<String> names = new ArrayList<>(List.of(name));
    if (object instanceof LogtoApiResource r && r.getSpec() != null
        && r.getSpec().getName() != null) {
      names.add(r.getSpec().getName());
    }
    if (object instanceof LogtoRole r && r.getSpec().getName() != null) {
      names.add(r.getSpec().getName());
    }
    if (object instanceof LogtoM2MApp a && a.getSpec().getName() != null) {
      names.add(a.getSpec().getName());
    }
    assertThat(h.client.listApiResources()).filteredOn(r -> !resourcesBefore.contains(r.id()))
        .noneMatch(r -> names.contains(r.name()) || r.indicator().equals(indicator));
    assertThat(h.client.listRoles()).filteredOn(r -> !rolesBefore.contains(r.id()))
        .noneMatch(r -> names.contains(r.name()));
    assertThat(h.client.listApplications()).filteredOn(a -> !appsBefore.contains(a.id()))
        .noneMatch(a -> names.contains(a.name()));
  }

  private static String base64(String value) {
    return java.util.Base64.getEncoder()
        .encodeToString(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Past admission on purpose: the operator must cope with what an older CRD let through. */
  private void create(HasMetadata object) {
    var unchecked = h.kubernetes.clientWithoutAdmission();
    if (object instanceof GenericKubernetesResource raw) {
      unchecked.genericKubernetesResources(raw.getApiVersion(), raw.getKind()).inNamespace(NS)
          .resource(raw).create();
    } else {
      unchecked.resource(object).create();
    }
    created.add(object);
  }

  private static void assertForeignSecretUntouched(OperatorHarness x) {
    Secret foreign = x.secret(FOREIGN_SECRET);
    assertThat(foreign.getMetadata().getLabels()).isNullOrEmpty();
    assertThat(foreign.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(OperatorHarness.decoded(foreign)).containsExactly(Map.entry("password", "keep-me"));
  }

  private static void assertForeignConfigMapUntouched(OperatorHarness x) {
    ConfigMap foreign = x.k8s.configMaps().inNamespace(NS).withName(FOREIGN_CONFIG_MAP).get();
    assertThat(foreign.getMetadata().getLabels()).isNullOrEmpty();
    assertThat(foreign.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(foreign.getData()).containsExactly(Map.entry("setting", "keep-me"));
  }

  private static Case apiCase(String title, UnaryOperator<LogtoApiResource> change,
      String... fragments) {
    return new Case("LogtoApiResource: " + title,
        n -> change.apply(apiResource(n, "https://" + n + ".bad.api", "read", "write")),
        "InvalidSpec", List.of(fragments), true, x -> {});
  }

  private static Case roleCase(String title, UnaryOperator<LogtoRole> change, String... fragments) {
    return new Case("LogtoRole: " + title,
        n -> change.apply(role(n, permission(KNOWN_API, "read"))),
        "InvalidSpec", List.of(fragments), true, x -> {});
  }

  private static SecretRotation rotation(String period, String grace) {
    SecretRotation rotation = new SecretRotation();
    rotation.setPeriod(period);
    rotation.setGracePeriod(grace);
    return rotation;
  }

  private static Case appCase(String title, UnaryOperator<LogtoM2MApp> change, String... fragments) {
    return new Case("LogtoM2MApp: " + title, n -> change.apply(app(n)),
        "InvalidSpec", List.of(fragments), true, x -> {});
  }

  private static LogtoApiResource spec(
      LogtoApiResource r, Consumer<io.logto.operator.crd.apiresource.LogtoApiResourceSpec> c) {
    c.accept(r.getSpec());
    return r;
  }

  private static LogtoApiResource scopes(LogtoApiResource r, ApiScope... scopes) {
    r.getSpec().setScopes(new ArrayList<>(List.of(scopes)));
    return r;
  }

  private static LogtoApiResource configMap(LogtoApiResource r, String name) {
    ConfigMapTarget target = new ConfigMapTarget();
    target.setName(name);
    r.getSpec().setConfigMap(target);
    return r;
  }

  private static LogtoRole perms(LogtoRole r, RolePermission... permissions) {
    r.getSpec().setPermissions(new ArrayList<>(List.of(permissions)));
    return r;
  }

  private static RolePermission both() {
    RolePermission p = permission(KNOWN_API, "read");
    p.setIndicator("https://known.api");
    return p;
  }

  private static RolePermission neither() {
    RolePermission p = new RolePermission();
    p.setScopes(List.of("read"));
    return p;
  }

  private static LogtoM2MApp roles(LogtoM2MApp a, AppRoleAssignment... roles) {
    a.getSpec().setRoles(new ArrayList<>(List.of(roles)));
    return a;
  }

  private static AppRoleAssignment roleRef(String name) {
    AppRoleAssignment assignment = new AppRoleAssignment();
    assignment.setRoleRef(new LocalObjectReference(name));
    return assignment;
  }

  private static AppRoleAssignment bothRoles() {
    AppRoleAssignment assignment = roleRef("r");
    assignment.setLogtoRoleName("r");
    return assignment;
  }

  private static LogtoM2MApp secret(LogtoM2MApp a, Consumer<CredentialsSecret> c) {
    CredentialsSecret target = new CredentialsSecret();
    target.setKeys(new LinkedHashMap<>());
    target.setLabels(new LinkedHashMap<>());
    c.accept(target);
    a.getSpec().setSecret(target);
    return a;
  }

  private static GenericKubernetesResource rawApiResource(String name, Map<String, Object> spec) {
    GenericKubernetesResource raw = new GenericKubernetesResource();
    raw.setApiVersion(CrObjects.API_VERSION);
    raw.setKind("LogtoApiResource");
    raw.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name)
        .withNamespace(NS).build());
    raw.setAdditionalProperty("spec", new LinkedHashMap<>(spec));
    return raw;
  }
}
