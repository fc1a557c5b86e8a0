package io.logto.operator.e2e;

import static io.logto.operator.e2e.ClusterObjects.awaitGone;
import static io.logto.operator.e2e.ClusterObjects.awaitReady;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.logto.operator.crd.app.WorkloadReference;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.logto.operator.crd.apiresource.ApiScope;
import io.logto.operator.reconciler.common.Conditions;
import io.logto.operator.crd.connection.ClusterLogtoConnectionSpec;
import io.logto.operator.crd.connection.ClusterLogtoConnection;
import io.logto.operator.crd.connection.ClusterCredentialsSecretRef;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.packaging.Helm;
import io.logto.operator.packaging.Project;
import io.logto.operator.reconciler.OperatorHarness;
import io.logto.operator.simulator.LogtoSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The chart's RBAC, proven on a real API server rather than assumed: the chart is rendered with the
 * README's values, its ServiceAccount, roles and bindings are applied, and the operator's own jar
 * runs with a token of that ServiceAccount and the Deployment's environment, through a scenario
 * that takes every path that touches Kubernetes (create, edit, restore, delete; events; the
 * leader Lease). The audit log then says what the run asked for: nothing may have been refused, and the
 * chart may grant nothing that the run did not use.
 */
@ExtendWith(RealCluster.class)
@Isolated("its operator watches every namespace and makes ClusterLogtoConnections: an operator of another class would fight it over the same objects")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HelmRbacIT {

  /** Allowed to every authenticated user by the cluster's default roles (system:basic-user). */
  private static final Set<String> DEFAULT_GRANTS = Set.of(
      "create authorization.k8s.io/selfsubjectrulesreviews",
      "create authorization.k8s.io/selfsubjectaccessreviews");

  /** Granted although a run may not show the use, and why. */
  private static final Map<String, String> NEEDED_BEYOND_A_RUN = Map.of(
      "update coordination.k8s.io/leases",
      "Java Operator SDK refuses to start without it (a SelfSubjectRulesReview at start)",
      "get m2m.logto.io/logtoapiresources", "re-read after a write conflict (409)",
      "get m2m.logto.io/logtoroles", "re-read after a write conflict (409)",
      "get m2m.logto.io/logtom2mapps", "re-read after a write conflict (409)");

  private RealApiServer server;
  private KubernetesClient admin;
  private Helm helm;

  @BeforeAll
  void connect(RealApiServer realServer) {
    server = realServer;
    admin = server.adminClient();
    helm = Helm.required();
  }

  @AfterAll
  void disconnect() {
    admin.close();
  }

  @Test
  void allNamespacesTheChartGrantsExactlyWhatTheOperatorUses() {
    Run run = run("rbac-all", false, List.of(), UnaryOperator.identity(), everything(true));
    assertGrantsAreExactlyWhatTheRunUsed(run);
    assertThat(run.grants()).as("a ClusterRole").anyMatch(g -> g.scope().equals("*"));
  }

  @Test
  void watchedNamespacesTheChartGrantsExactlyWhatTheOperatorUses() {
    Run run = run("rbac-ns", true, List.of(), UnaryOperator.identity(), everything(true));
    assertGrantsAreExactlyWhatTheRunUsed(run);
    assertThat(run.grants()).as("cluster-wide: only the cluster-scoped kind and namespaces")
        .filteredOn(g -> g.scope().equals("*")).isNotEmpty()
        .allSatisfy(g -> assertThat(g.resource()).isIn("clusterlogtoconnections",
            "clusterlogtoconnections/status", "namespaces"));
    assertThat(run.grants()).as("a Role in each watched namespace")
        .extracting(ChartGrants.Grant::scope).contains("rbac-ns-a", "rbac-ns-b");
  }

  @Test
  void withoutClusterConnectionsNothingIsGrantedClusterWide() {
    Run run = run("rbac-nocc", true, List.of("--set", "clusterConnections.enabled=false"),
        UnaryOperator.identity(), everything(false));
    assertGrantsAreExactlyWhatTheRunUsed(run);
    assertThat(run.grants()).as("nothing cluster-wide").noneMatch(g -> g.scope().equals("*"));
    assertThat(run.grants()).as("no Secret read in the release namespace")
        .noneMatch(g -> g.scope().equals("rbac-nocc") && g.resource().equals("secrets"));
  }

  private static void assertGrantsAreExactlyWhatTheRunUsed(Run run) {
    assertThat(run.comparison().forbidden()).as("requests refused for lack of permission")
        .isEmpty();
    assertThat(run.comparison().unused()).as("granted but unused by the run")
        .isSubsetOf(NEEDED_BEYOND_A_RUN.keySet());
    assertThat(run.grants()).extracting(g -> ChartGrants.key(g.verb(), g.apiGroup(),
        g.resource())).as("the exceptions are still granted")
        .containsAll(NEEDED_BEYOND_A_RUN.keySet());
    assertThat(run.comparison().allowedElsewhere()).isSubsetOf(DEFAULT_GRANTS);
  }

  /** The check itself: a chart without the Events permission is caught by name. */
  @Test
  void aPermissionMissingFromTheChartIsReported() {
    Run run = run("rbac-missing", false, List.of(), rendered -> {
      for (HasMetadata object : rendered) {
        if (object instanceof ClusterRole role) {
          List<PolicyRule> rules = new ArrayList<>(role.getRules());
          rules.removeIf(r -> r.getResources().contains("events"));
          role.setRules(rules);
        }
      }
      return rendered;
    }, everything(true));
    assertThat(run.comparison().forbidden()).isNotEmpty()
        .allSatisfy(r -> assertThat(r.verb() + " " + r.resource()).isEqualTo("create events"));
  }

  /**
   * A ClusterLogtoConnection whose Secret is where the chart grants no reading: the connection
   * says so (Forbidden, naming the Secret), instead of a bare 403.
   */
  @Test
  void aClusterConnectionSecretOutsideTheGrantsIsForbiddenSayingWhere() {
    Run run = run("rbac-far", true, List.of(), UnaryOperator.identity(), release -> {
      RealCluster.createNamespaces(admin, "rbac-far-elsewhere");
      admin.resource(new SecretBuilder().withNewMetadata().withName("far-credentials")
          .withNamespace("rbac-far-elsewhere").endMetadata()
          .addToStringData("appId", release.logto().bootstrapAppId())
          .addToStringData("appSecret", release.logto().bootstrapAppSecret()).build()).create();
      var connection = new ClusterLogtoConnection();
      connection.setMetadata(new ObjectMetaBuilder()
          .withName("rbac-far").build());
      var spec = new ClusterLogtoConnectionSpec();
      spec.setEndpoint(release.logto().endpoint().toString());
      var secret = new ClusterCredentialsSecretRef();
      secret.setName("far-credentials");
      secret.setNamespace("rbac-far-elsewhere");
      spec.setCredentialsSecretRef(secret);
      connection.setSpec(spec);
      admin.resource(connection).create();
      await().atMost(ClusterObjects.WAIT).until(() -> {
        var status = admin.resource(connection).get().getStatus();
        return status != null && Conditions.find(
            status.getConditions(), Conditions.READY)
            .filter(c -> c.getReason().equals("Forbidden")).isPresent();
      });
      var ready = Conditions.find(
          admin.resource(connection).get().getStatus().getConditions(),
          Conditions.READY).orElseThrow();
      assertThat(ready.getMessage()).isEqualTo("the operator may not read Secret"
          + " rbac-far-elsewhere/far-credentials (403): a ClusterLogtoConnection's Secret and CA"
          + " bundle belong in the operator's namespace, where the chart lets it read them");
      admin.resource(connection).delete();
      ClusterObjects.awaitGone(admin, connection.getClass(), null, "rbac-far");
    });
    assertThat(run.comparison().forbidden()).as("refused: the Secret outside the grants only")
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.verb() + " " + r.resource() + " in " + r.namespace())
            .isEqualTo("get secrets in rbac-far-elsewhere"));
  }

  /**
   * A release under test: the chart installed in {@code namespace}, the operator watching
   * {@code a} and {@code b} (or all namespaces), its Logto, and whether the chart was rendered
   * with rolloutRestart.enabled.
   */
  record Release(String namespace, String a, String b, LogtoSimulator logto, boolean rollouts) {}

  /** What the operator is put through while it runs with the chart's permissions. */
  @FunctionalInterface
  interface Scenario {
    void run(Release release);
  }

  record Run(Set<ChartGrants.Grant> grants, ChartGrants.Comparison comparison) {}

  /** Every path that touches Kubernetes, ClusterLogtoConnections included or not. */
  private Scenario everything(boolean clusterConnections) {
    return release -> {
      scenario(release);
      new ConnectionScenario(admin, release.namespace(), release.b())
          .run(clusterCa(), clusterConnections);
    };
  }

  /**
   * Installs the chart's ServiceAccount and RBAC in {@code release}, rendered with the README's
   * values, {@code extraValues} and then {@code tamper}; runs the operator's jar with that
   * ServiceAccount's token through {@code scenario}; compares the audit log with the grants.
   */
  private Run run(String release, boolean watchNamespaces, List<String> extraValues,
      UnaryOperator<List<HasMetadata>> tamper, Scenario scenario) {
    String a = release + "-a";
    String b = release + "-b";
    RealCluster.createNamespaces(admin, release, a, b);
    Path work = Project.path("target/e2e/" + release);
    try (LogtoSimulator simulator = LogtoSimulator.start()) {
      int port = RealApiServer.freePort();
      List<String> values = new ArrayList<>(List.of(
          "--set", "logto.endpoint=" + simulator.endpoint(),
          "--set", "logto.tenantId=default",
          "--set", "logto.credentials.existingSecret=logto-operator-credentials",
          "--set", "metrics.port=" + port));
      boolean rollouts = !watchNamespaces; // one mode with the option, one without
      if (rollouts) {
        values.addAll(List.of("--set", "rolloutRestart.enabled=true"));
      }
      if (watchNamespaces) {
        values.addAll(List.of("--set", "watchNamespaces={" + a + "," + b + "}"));
      }
      values.addAll(extraValues);
      List<HasMetadata> rendered =
          tamper.apply(helm.templateIn(release, release, values.toArray(String[]::new)));
      ServiceAccount account = only(rendered, ServiceAccount.class);
      String user = "system:serviceaccount:" + release + ":" + account.getMetadata().getName();
      for (HasMetadata object : rendered) {
        if (object instanceof ServiceAccount || object instanceof ClusterRole
            || object instanceof ClusterRoleBinding || object instanceof Role
            || object instanceof RoleBinding) {
          admin.resource(object).create();
        }
      }
      admin.resource(new SecretBuilder().withNewMetadata()
              .withName("logto-operator-credentials").withNamespace(release).endMetadata()
              .addToStringData("appId", simulator.bootstrapAppId())
              .addToStringData("appSecret", simulator.bootstrapAppSecret()).build())
          .create();
      String token = admin.serviceAccounts().inNamespace(release)
          .withName(account.getMetadata().getName())
          .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L)
              .endSpec().build())
          .getStatus().getToken();

      Map<String, String> env = environment(only(rendered, Deployment.class), release);
      env.put("KUBECONFIG", writeKubeconfig(work, token).toString());
      env.put("HOSTNAME", release + "-pod");
      try (OperatorProcess operator = OperatorProcess.start(env, work.resolve("operator.log"))) {
        operator.awaitReady(port, Duration.ofSeconds(90));
        scenario.run(new Release(release, a, b, simulator, rollouts));
      }
      ClusterObjects.release(admin, List.of(a, b), E2eKinds.ALL);
      Set<ChartGrants.Grant> grants = ChartGrants.of(rendered, release,
          account.getMetadata().getName());
      List<AuditLog.Request> requests = AuditLog.requestsBy(server.auditLog(), user);
      System.out.printf("%s: %d requests by %s; granted:%n  %s%n", release, requests.size(),
          user, String.join("\n  ", grants.stream().map(Object::toString).toList()));
      return new Run(grants, ChartGrants.compare(grants, requests));
    }
  }

  /**
   * Every way the operator touches Kubernetes: custom resources in two namespaces (watch, status,
   * finalizers), ConfigMaps and Secrets created, updated, restored and deleted, Events.
   */
  private void scenario(Release release) {
    String a = release.a();
    String b = release.b();
    for (String ns : List.of(a, b)) {
      create(ns, OperatorHarness.apiResource("shop-api", "https://" + ns + ".shop.api", "read"));
      LogtoRole role = OperatorHarness.role("shop-role", OperatorHarness.permission("shop-api",
          "read"));
      role.getSpec().setName(ns + "-shop-role"); // role names are unique in a Logto tenant
      create(ns, role);
      create(ns, OperatorHarness.app("shop-app", "shop-role"));
      awaitReady(admin, LogtoM2MApp.class, ns, "shop-app", "Synced");
    }
    // ConfigMap updated, Secret updated, Secret restored.
    ClusterObjects.edit(admin, LogtoApiResource.class, a, "shop-api", r -> {
      r.getSpec().getScopes().add(new ApiScope("write", "Write"));
      return r;
    });
    await().atMost(ClusterObjects.WAIT).until(() -> admin.configMaps().inNamespace(a)
        .withName("shop-api-logto-api").get().getData().get("LOGTO_SCOPES").contains("write"));
    ClusterObjects.edit(admin, LogtoM2MApp.class, a, "shop-app", r -> {
      var secret = new io.logto.operator.crd.app.CredentialsSecret();
      secret.setLabels(Map.of("team", "shop"));
      r.getSpec().setSecret(secret);
      return r;
    });
    await().atMost(ClusterObjects.WAIT).until(() -> "shop".equals(admin.secrets().inNamespace(a)
        .withName("shop-app-logto-credentials").get().getMetadata().getLabels().get("team")));
    if (release.rollouts()) {
      rotateAndRollOut(a);
    }
    admin.secrets().inNamespace(a).withName("shop-app-logto-credentials").delete();
    await().atMost(ClusterObjects.WAIT).until(() -> {
      var secret = admin.secrets().inNamespace(a).withName("shop-app-logto-credentials").get();
      return secret != null && secret.getMetadata().getDeletionTimestamp() == null;
    });
    // Deletion: the Secret and the ConfigMap go, the finalizers are removed.
    for (Class<? extends CustomResource<?, ?>> kind : E2eKinds.ALL) {
      String name = kind == LogtoM2MApp.class ? "shop-app"
          : kind == LogtoRole.class ? "shop-role" : "shop-api";
      admin.resources(kind).inNamespace(a).withName(name).delete();
      awaitGone(admin, kind, a, name);
    }
    assertThat(admin.secrets().inNamespace(a).withName("shop-app-logto-credentials").get())
        .isNull();
    assertThat(admin.configMaps().inNamespace(a).withName("shop-api-logto-api").get()).isNull();
    assertThat(release.logto().applicationCount()).isEqualTo(1);
  }

  /** A rotation of the app's secret rolls out a Deployment and a StatefulSet that read it. */
  private void rotateAndRollOut(String ns) {
    Map<String, String> labels = Map.of("app", "shop");
    admin.resource(new DeploymentBuilder().withNewMetadata().withName("shop-web")
        .withNamespace(ns).endMetadata().withNewSpec().withNewSelector()
        .withMatchLabels(labels).endSelector().withNewTemplate().withNewMetadata()
        .withLabels(labels).endMetadata().withNewSpec().addNewContainer().withName("web")
        .withImage("busybox").endContainer().endSpec().endTemplate().endSpec().build()).create();
    admin.resource(new StatefulSetBuilder().withNewMetadata().withName("shop-worker")
        .withNamespace(ns).endMetadata().withNewSpec().withServiceName("shop-worker")
        .withNewSelector().withMatchLabels(labels).endSelector().withNewTemplate()
        .withNewMetadata().withLabels(labels).endMetadata().withNewSpec().addNewContainer()
        .withName("worker").withImage("busybox").endContainer().endSpec().endTemplate()
        .endSpec().build()).create();
    ClusterObjects.edit(admin, LogtoM2MApp.class, ns, "shop-app", r -> {
      r.getSpec().getSecret().setRolloutRestart(List.of(
          new WorkloadReference(WorkloadReference.Kind.Deployment, "shop-web"),
          new WorkloadReference(WorkloadReference.Kind.StatefulSet, "shop-worker")));
      r.getMetadata().setAnnotations(Map.of("m2m.logto.io/rotate", "rbac"));
      return r;
    });
    await().atMost(ClusterObjects.WAIT).until(() ->
        rolledOut(admin.apps().deployments().inNamespace(ns).withName("shop-web").get()
            .getSpec().getTemplate().getMetadata().getAnnotations())
        && rolledOut(admin.apps().statefulSets().inNamespace(ns).withName("shop-worker").get()
            .getSpec().getTemplate().getMetadata().getAnnotations()));
  }

  private static boolean rolledOut(Map<String, String> annotations) {
    return annotations != null && annotations.containsKey("m2m.logto.io/credentials");
  }

  private void create(String namespace, CustomResource<?, ?> object) {
    object.getMetadata().setNamespace(namespace);
    admin.resource(object).create();
  }

  /** The container's environment as the kubelet would set it. */
  private Map<String, String> environment(Deployment deployment, String namespace) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar variable : deployment.getSpec().getTemplate().getSpec().getContainers().get(0)
        .getEnv()) {
      if (variable.getValueFrom() == null) {
        env.put(variable.getName(), variable.getValue() == null ? "" : variable.getValue());
      } else if (variable.getValueFrom().getSecretKeyRef() != null) {
        var ref = variable.getValueFrom().getSecretKeyRef();
        String encoded = admin.secrets().inNamespace(namespace).withName(ref.getName()).get()
            .getData().get(ref.getKey());
        env.put(variable.getName(),
            new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
      } else if (variable.getValueFrom().getFieldRef() != null
          && "metadata.namespace".equals(variable.getValueFrom().getFieldRef().getFieldPath())) {
        env.put(variable.getName(), namespace);
      } else {
        throw new AssertionError("cannot resolve env " + variable.getName());
      }
    }
    return env;
  }

  /** The API server's CA, as a PEM certificate a connection's caBundle can hold. */
  private String clusterCa() {
    return new String(Base64.getDecoder().decode(server.adminConfig().getCaCertData()),
        StandardCharsets.UTF_8);
  }

  private Path writeKubeconfig(Path work, String token) {
    Config admin = server.adminConfig();
    String kubeconfig = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: real
          cluster: {server: %s, certificate-authority-data: %s}
        users:
        - name: operator
          user: {token: %s}
        contexts:
        - name: operator
          context: {cluster: real, user: operator}
        current-context: operator
        """.formatted(admin.getMasterUrl(), admin.getCaCertData(), token);
    try {
      Files.createDirectories(work);
      Path file = work.resolve("kubeconfig");
      Files.writeString(file, kubeconfig);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> T only(List<HasMetadata> rendered, Class<T> type) {
    List<T> found = rendered.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(found).as(type.getSimpleName() + " in the chart").hasSize(1);
    return found.get(0);
  }
}
