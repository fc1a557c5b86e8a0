package io.logto.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Helm chart, linted and rendered by a real helm binary in both RBAC modes. Skipped (with a
 * message) when no helm binary is available; .ci/run installs one.
 */
class HelmChartTest {

  static final String ALL = "ci/all-namespaces-values.yaml";
  static final String WATCHED = "ci/watched-namespaces-values.yaml";
  static final String LEASE = "logto-operator-leader";

  private static String values(String file) {
    return Helm.CHART.resolve(file).toString();
  }

  private static List<HasMetadata> render(String valuesFile, String... set) {
    List<String> args = new ArrayList<>(List.of("-f", values(valuesFile)));
    for (String s : set) {
      args.add("--set");
      args.add(s);
    }
    return Helm.required().template(args.toArray(String[]::new));
  }

  private static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> found = all(objects, type);
    assertThat(found).as("rendered %s objects", type.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  private static Container operator(List<HasMetadata> objects) {
    List<Container> containers =
        only(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  private static Map<String, EnvVar> env(List<HasMetadata> objects) {
    return operator(objects).getEnv().stream()
        .collect(Collectors.toMap(EnvVar::getName, e -> e, (a, b) -> {
          throw new AssertionError("duplicate env var " + a.getName());
        }));
  }

  private static String envValue(List<HasMetadata> objects, String name) {
    EnvVar var = env(objects).get(name);
    assertThat(var).as("env var %s", name).isNotNull();
    return var.getValue();
  }

  // ---- lint ----

  @ParameterizedTest
  @ValueSource(strings = {ALL, WATCHED})
  void lintStrictPasses(String valuesFile) {
    Processes.Result result =
        Helm.required().run("lint", "--strict", Helm.CHART.toString(), "-f", values(valuesFile));

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).doesNotContain("[WARNING]", "[ERROR]");
  }

  @Test
  void lintStrictRejectsMissingEndpointAndCredentialsSecret() {
    Processes.Result result = Helm.required().run("lint", "--strict", Helm.CHART.toString());

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("/logto/endpoint", "/logto/credentials/existingSecret");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "logto.credentials.appSecret=hunter2",
      "logto.credentials.appId=app",
      "logto.appSecret=hunter2",
      "watchNamespace=team-a",
      "logLevel=LOUD",
      "watchNamespaces={Team_A}"})
  void schemaRejectsPlainSecretsTyposAndBadValues(String set) {
    Processes.Result result = Helm.required().templateResult("-f", values(ALL), "--set", set);

    assertThat(result.exitCode()).as(result.output()).isNotZero();
    assertThat(result.output()).contains("schema");
  }

  @Test
  void templatesRequireEndpointAndSecretEvenWithoutSchemaValidation() {
    Processes.Result noEndpoint = Helm.required().templateResult(
        "-f", values(ALL), "--skip-schema-validation", "--set", "logto.endpoint=");
    Processes.Result noSecret = Helm.required().templateResult(
        "-f", values(ALL), "--skip-schema-validation", "--set", "logto.credentials.existingSecret=");

    assertThat(noEndpoint.exitCode()).isNotZero();
    assertThat(noEndpoint.output()).contains("logto.endpoint is required");
    assertThat(noSecret.exitCode()).isNotZero();
    assertThat(noSecret.output()).contains("logto.credentials.existingSecret is required");
  }

  // ---- RBAC ----

  @Test
  void allNamespacesModeBindsAClusterRoleAndWatchesEverything() {
    List<HasMetadata> objects = render(ALL);

    ClusterRole clusterRole = only(objects, ClusterRole.class);
    ClusterRoleBinding binding = only(objects, ClusterRoleBinding.class);
    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(binding.getRoleRef().getName()).isEqualTo(clusterRole.getMetadata().getName());
    assertBindsOperatorServiceAccount(objects, binding.getSubjects());
    assertWorkloadRules(clusterRole.getRules(), true);
    // The only namespaced Role is the Lease one, in the release namespace.
    assertThat(all(objects, Role.class)).singleElement()
        .satisfies(role -> assertLeaseRole(role));
    assertThat(envValue(objects, "WATCH_NAMESPACES")).isEmpty();
  }

  /**
   * One Role per watched namespace; cluster-wide only what ClusterLogtoConnections need (they are
   * cluster-scoped): watching them and reading a selected namespace's labels.
   */
  @Test
  void watchedNamespacesModeGrantsOneRolePerNamespaceAndOnlyClusterConnectionsClusterWide() {
    List<HasMetadata> objects = render(WATCHED);

    ClusterRole clusterRole = only(objects, ClusterRole.class);
    assertThat(clusterRole.getRules()).flatExtracting(PolicyRule::getResources)
        .containsExactlyInAnyOrder("clusterlogtoconnections", "clusterlogtoconnections/status",
            "namespaces");
    assertClusterConnectionRules(clusterRole.getRules());
    assertBindsOperatorServiceAccount(objects,
        only(objects, ClusterRoleBinding.class).getSubjects());
    List<Role> workloadRoles = all(objects, Role.class).stream()
        .filter(r -> !r.getMetadata().getNamespace().equals(Helm.NAMESPACE))
        .toList();
    assertThat(workloadRoles).extracting(r -> r.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("team-a", "team-b");
    workloadRoles.forEach(role -> assertWorkloadRules(role.getRules(), false));
    for (String namespace : List.of("team-a", "team-b")) {
      RoleBinding binding = all(objects, RoleBinding.class).stream()
          .filter(b -> b.getMetadata().getNamespace().equals(namespace))
          .findFirst().orElseThrow(() -> new AssertionError("no RoleBinding in " + namespace));
      assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
      assertThat(workloadRoles).anySatisfy(r -> {
        assertThat(r.getMetadata().getNamespace()).isEqualTo(namespace);
        assertThat(r.getMetadata().getName()).isEqualTo(binding.getRoleRef().getName());
      });
      assertBindsOperatorServiceAccount(objects, binding.getSubjects());
    }
    List<Role> inRelease = all(objects, Role.class).stream()
        .filter(r -> r.getMetadata().getNamespace().equals(Helm.NAMESPACE)).toList();
    assertThat(inRelease).hasSize(2);
    assertThat(inRelease).filteredOn(r -> r.getMetadata().getName().endsWith("leader-election"))
        .singleElement().satisfies(HelmChartTest::assertLeaseRole);
    // ClusterLogtoConnections' credentials Secrets and CA ConfigMaps in the release namespace.
    assertThat(inRelease).filteredOn(r -> r.getMetadata().getName().endsWith("credentials"))
        .singleElement().satisfies(role -> {
          assertThat(verbs(role.getRules(), "", "secrets")).containsExactly("get");
          assertThat(verbs(role.getRules(), "", "configmaps")).containsExactly("get");
        });
    assertThat(envValue(objects, "WATCH_NAMESPACES")).isEqualTo("team-a,team-b");
  }

  /**
   * clusterConnections.enabled=false takes away every grant for ClusterLogtoConnections (so, in
   * watched mode, everything cluster-wide) and tells the operator not to look for them.
   */
  @ParameterizedTest
  @ValueSource(strings = {ALL, WATCHED})
  void clusterConnectionsOffGrantsNothingForThem(String valuesFile) {
    List<HasMetadata> on = render(valuesFile);
    List<HasMetadata> off = render(valuesFile, "clusterConnections.enabled=false");
    assertThat(envValue(on, "CLUSTER_CONNECTIONS_ENABLED")).isEqualTo("true");
    assertThat(envValue(off, "CLUSTER_CONNECTIONS_ENABLED")).isEqualTo("false");
    assertThat(workloadRules(on)).flatExtracting(PolicyRule::getResources)
        .contains("clusterlogtoconnections", "namespaces");
    assertThat(workloadRules(off)).flatExtracting(PolicyRule::getResources)
        .doesNotContain("clusterlogtoconnections", "clusterlogtoconnections/status",
            "namespaces")
        .contains("logtoconnections", "logtoconnections/status");
    assertThat(all(off, Role.class)).as("no credentials Role in the release namespace")
        .noneMatch(r -> r.getMetadata().getName().endsWith("credentials"));
    if (valuesFile.equals(WATCHED)) {
      assertThat(all(off, ClusterRole.class)).isEmpty();
      assertThat(all(off, ClusterRoleBinding.class)).isEmpty();
    }
  }

  /** rolloutRestart.enabled adds get and patch of Deployments and StatefulSets, nothing else. */
  @ParameterizedTest
  @ValueSource(strings = {ALL, WATCHED})
  void rolloutRestartAddsOnlyGetAndPatchOfDeploymentsAndStatefulSets(String valuesFile) {
    List<PolicyRule> enabled = workloadRules(render(valuesFile, "rolloutRestart.enabled=true"));
    assertThat(verbs(enabled, "apps", "deployments")).containsOnly("get", "patch");
    assertThat(verbs(enabled, "apps", "statefulsets")).containsOnly("get", "patch");
    assertThat(enabled).filteredOn(r -> r.getApiGroups().contains("apps"))
        .flatExtracting(PolicyRule::getResources)
        .containsOnly("deployments", "statefulsets");
    assertThat(workloadRules(render(valuesFile))).as("off by default")
        .noneMatch(r -> r.getApiGroups().contains("apps"));
  }

  /** The rules of the ClusterRoles, and of every per-namespace Role (the Lease Role left out). */
  private static List<PolicyRule> workloadRules(List<HasMetadata> objects) {
    List<PolicyRule> rules = new ArrayList<>();
    all(objects, ClusterRole.class).forEach(r -> rules.addAll(r.getRules()));
    all(objects, Role.class).stream()
        .filter(r -> !r.getMetadata().getNamespace().equals(Helm.NAMESPACE))
        .forEach(r -> rules.addAll(r.getRules()));
    return rules;
  }

  @Test
  void leaseRoleIsBoundInTheReleaseNamespaceOnlyWithLeaderElection() {
    List<HasMetadata> withLease = render(ALL);
    RoleBinding leaseBinding = all(withLease, RoleBinding.class).stream()
        .filter(b -> b.getMetadata().getNamespace().equals(Helm.NAMESPACE))
        .collect(Collectors.collectingAndThen(Collectors.toList(), l -> {
          assertThat(l).hasSize(1);
          return l.get(0);
        }));
    assertThat(leaseBinding.getRoleRef().getName())
        .isEqualTo(only(withLease, Role.class).getMetadata().getName());
    assertBindsOperatorServiceAccount(withLease, leaseBinding.getSubjects());

    List<HasMetadata> without = render(ALL, "leaderElection.enabled=false");
    assertThat(all(without, Role.class)).isEmpty();
    assertThat(envValue(without, "LEADER_ELECTION_ENABLED")).isEqualTo("false");
  }

  private static void assertBindsOperatorServiceAccount(
      List<HasMetadata> objects, List<Subject> subjects) {
    ServiceAccount account = only(objects, ServiceAccount.class);
    String podAccount = only(objects, Deployment.class).getSpec().getTemplate().getSpec()
        .getServiceAccountName();
    assertThat(podAccount).isEqualTo(account.getMetadata().getName());
    assertThat(subjects).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getName()).isEqualTo(account.getMetadata().getName());
      assertThat(s.getNamespace()).isEqualTo(Helm.NAMESPACE);
    });
  }

  /**
   * What the operator needs in a watched namespace, and nothing more (HelmRbacIT proves the same
   * on a real API server from the requests of a run; this pins it without one).
   */
  private static void assertWorkloadRules(List<PolicyRule> rules, boolean clusterWide) {
    assertNoWildcards(rules);
    List<String> plurals = new ArrayList<>(crdPlurals());
    if (!clusterWide) {
      plurals.remove("clusterlogtoconnections");
    }
    for (String plural : plurals) {
      assertThat(verbs(rules, "m2m.logto.io", plural))
          .containsExactlyInAnyOrder("get", "list", "watch", "patch");
      assertThat(verbs(rules, "m2m.logto.io", plural + "/status")).containsExactly("update");
    }
    if (clusterWide) {
      assertClusterConnectionRules(rules);
    }
    assertThat(verbs(rules, "", "secrets")).containsExactlyInAnyOrder(
        "get", "list", "watch", "create", "update", "delete");
    assertThat(verbs(rules, "", "configmaps")).containsExactlyInAnyOrder(
        "get", "list", "watch", "create", "update", "delete");
    assertThat(verbs(rules, "", "events")).containsExactly("create");
    // Nothing else: no CRDs, no pods; namespaces only read one by one, cluster-wide.
    assertThat(rules).allSatisfy(rule -> assertThat(rule.getApiGroups())
        .isSubsetOf("m2m.logto.io", ""));
    assertThat(rules).flatExtracting(PolicyRule::getResources)
        .isSubsetOf(allowedResources(plurals, clusterWide));
  }

  private static void assertClusterConnectionRules(List<PolicyRule> rules) {
    assertThat(verbs(rules, "m2m.logto.io", "clusterlogtoconnections"))
        .containsExactlyInAnyOrder("get", "list", "watch", "patch");
    assertThat(verbs(rules, "m2m.logto.io", "clusterlogtoconnections/status"))
        .containsExactly("update");
    assertThat(verbs(rules, "", "namespaces")).containsExactly("get");
  }

  private static List<String> allowedResources(List<String> plurals, boolean clusterWide) {
    List<String> allowed = new ArrayList<>(List.of("secrets", "configmaps", "events"));
    if (clusterWide) {
      allowed.add("namespaces");
    }
    for (String plural : plurals) {
      allowed.addAll(List.of(plural, plural + "/status"));
    }
    return allowed;
  }

  private static void assertLeaseRole(Role role) {
    assertThat(role.getMetadata().getNamespace()).isEqualTo(Helm.NAMESPACE);
    assertNoWildcards(role.getRules());
    assertThat(role.getRules()).allSatisfy(rule -> {
      assertThat(rule.getApiGroups()).containsExactly("coordination.k8s.io");
      assertThat(rule.getResources()).containsExactly("leases");
    });
    assertThat(verbs(role.getRules(), "coordination.k8s.io", "leases"))
        .containsExactlyInAnyOrder("get", "create", "update", "patch");
    // get, update and patch only on the operator's Lease; create cannot be limited by name.
    assertThat(role.getRules()).allSatisfy(rule -> {
      if (!rule.getVerbs().contains("create")) {
        assertThat(rule.getResourceNames()).containsExactly(LEASE);
      }
    });
  }

  private static void assertNoWildcards(List<PolicyRule> rules) {
    assertThat(rules).allSatisfy(rule -> {
      assertThat(rule.getVerbs()).doesNotContain("*");
      assertThat(rule.getResources()).doesNotContain("*");
      assertThat(rule.getApiGroups()).doesNotContain("*");
    });
  }

  private static List<String> verbs(List<PolicyRule> rules, String group, String resource) {
    return rules.stream()
        .filter(r -> r.getApiGroups().contains(group) && r.getResources().contains(resource))
        .flatMap(r -> r.getVerbs().stream())
        .distinct()
        .toList();
  }

  /** The plurals of the committed CRDs: a new kind must get RBAC too. */
  private static List<String> crdPlurals() {
    return Project.list(Project.path("crds"), ".yaml").stream()
        .map(f -> Serialization.unmarshal(Project.read(f), CustomResourceDefinition.class))
        .map(crd -> crd.getSpec().getNames().getPlural())
        .toList();
  }

  // ---- well-formed manifests ----

  /**
   * Every rendered object maps onto the Kubernetes model without leftovers: a misspelt or misplaced
   * field (readOnlyRootFileSystem, a probe under the pod spec) lands in the model's
   * additionalProperties, where the API server would reject or drop it.
   */
  @ParameterizedTest
  @ValueSource(strings = {ALL, WATCHED})
  void renderedObjectsHaveOnlyKnownFields(String valuesFile) {
    List<String> unknown = new ArrayList<>();
    for (HasMetadata object : render(valuesFile)) {
      if (object instanceof GenericKubernetesResource) {
        continue; // ServiceMonitor: no model class here
      }
      collectUnknownFields(object, object.getKind() + "/" + object.getMetadata().getName(),
          unknown, new IdentityHashMap<>());
    }
    assertThat(unknown).isEmpty();
  }

  private static void collectUnknownFields(
      Object value, String path, List<String> unknown, Map<Object, Boolean> seen) {
    if (value == null || seen.put(value, Boolean.TRUE) != null) {
      return;
    }
    if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        collectUnknownFields(list.get(i), path + "[" + i + "]", unknown, seen);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> collectUnknownFields(v, path + "." + k, unknown, seen));
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get")
          || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object child;
      try {
        child = getter.invoke(value);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
          unknown.add(path + ": unknown " + extra.keySet());
        }
      } else {
        collectUnknownFields(child, path + "." + getter.getName().substring(3), unknown, seen);
      }
    }
  }

  // ---- the pod ----

  @ParameterizedTest
  @ValueSource(strings = {ALL, WATCHED})
  void podRunsAsNonRootWithReadOnlyRootAndNoPrivileges(String valuesFile) {
    List<HasMetadata> objects = render(valuesFile);
    PodSpec pod = only(objects, Deployment.class).getSpec().getTemplate().getSpec();
    Container container = operator(objects);

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
    var context = container.getSecurityContext();
    assertThat(context.getRunAsNonRoot()).isTrue();
    assertThat(context.getRunAsUser()).isEqualTo(65532L);
    assertThat(context.getReadOnlyRootFilesystem()).isTrue();
    assertThat(context.getAllowPrivilegeEscalation()).isFalse();
    assertThat(context.getPrivileged()).isNotEqualTo(Boolean.TRUE);
    assertThat(context.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(context.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(context.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    // A read-only root needs a writable /tmp for the JVM, from an emptyDir.
    VolumeMount tmp = container.getVolumeMounts().stream()
        .filter(m -> m.getMountPath().equals("/tmp")).findFirst()
        .orElseThrow(() -> new AssertionError("no /tmp mount"));
    assertThat(volume(pod, tmp.getName()).getEmptyDir()).isNotNull();
    assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getHostPath()).isNull());
  }

  @Test
  void containerRunsTheOperatorWithResources() {
    List<HasMetadata> objects = render(ALL);
    Container container = operator(objects);

    assertThat(container.getArgs()).containsExactly("run");
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(container.getResources().getLimits()).containsKey("memory");
    assertThat(only(objects, Deployment.class).getSpec().getReplicas()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {8080, 9090})
  void probesServiceAndHttpPortAgree(int port) {
    List<HasMetadata> objects = render(ALL, "metrics.port=" + port);
    Container container = operator(objects);

    assertThat(container.getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("http");
      assertThat(p.getContainerPort()).isEqualTo(port);
    });
    assertThat(envValue(objects, "HTTP_PORT")).isEqualTo(String.valueOf(port));
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    Service service = only(objects, Service.class);
    assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getPort()).isEqualTo(port);
      assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
    });
    Map<String, String> podLabels =
        only(objects, Deployment.class).getSpec().getTemplate().getMetadata().getLabels();
    assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
  }

  // ---- configuration ----

  @Test
  void credentialsComeOnlyFromTheExistingSecret() {
    List<HasMetadata> objects = render(ALL);
    Map<String, EnvVar> env = env(objects);

    for (var expected : Map.of("LOGTO_APP_ID", "appId", "LOGTO_APP_SECRET", "appSecret")
        .entrySet()) {
      EnvVar var = env.get(expected.getKey());
      assertThat(var.getValue()).as(var.getName()).isNull();
      assertThat(var.getValueFrom().getSecretKeyRef().getName())
          .isEqualTo("logto-operator-credentials");
      assertThat(var.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(expected.getValue());
    }
    assertThat(env).doesNotContainKeys("LOGTO_APP_ID_FILE", "LOGTO_APP_SECRET_FILE");
    assertNoPlainSecrets(objects);
  }

  @Test
  void credentialsCanBeMountedAsFilesFromTheSecret() {
    List<HasMetadata> objects = render(WATCHED);
    Map<String, EnvVar> env = env(objects);
    PodSpec pod = only(objects, Deployment.class).getSpec().getTemplate().getSpec();

    assertThat(env).doesNotContainKeys("LOGTO_APP_ID", "LOGTO_APP_SECRET");
    Map<String, String> expected = Map.of("LOGTO_APP_ID_FILE", "id", "LOGTO_APP_SECRET_FILE",
        "secret");
    for (var e : expected.entrySet()) {
      Path file = Path.of(env.get(e.getKey()).getValue());
      Volume volume = mountedVolume(pod, operator(objects), file);
      assertThat(volume.getSecret().getSecretName()).isEqualTo("logto-operator-credentials");
      assertThat(volume.getSecret().getItems()).anySatisfy(item -> {
        assertThat(item.getKey()).isEqualTo(e.getValue());
        assertThat(item.getPath()).isEqualTo(file.getFileName().toString());
      });
    }
    assertNoPlainSecrets(objects);
  }

  private static void assertNoPlainSecrets(List<HasMetadata> objects) {
    assertThat(objects).noneMatch(o -> o.getKind().equals("Secret"));
    assertThat(operator(objects).getEnv())
        .filteredOn(e -> e.getName().matches(".*(SECRET|APP_ID|PASSWORD|TOKEN).*")
            && !e.getName().endsWith("_FILE"))
        .allSatisfy(e -> assertThat(e.getValue()).as(e.getName()).isNull());
  }

  @Test
  void configurationReachesTheEnvironment() {
    List<HasMetadata> objects = render(ALL,
        "privilegedNamespaces={platform,ops}", "resyncIntervalSeconds=120",
        "maxConcurrentCalls=4", "logLevel=DEBUG");
    Map<String, EnvVar> env = env(objects);

    assertThat(envValue(objects, "LOGTO_ENDPOINT")).isEqualTo("https://tenant.logto.app");
    assertThat(envValue(objects, "LOGTO_TENANT_ID")).isEqualTo("tenant");
    assertThat(env).doesNotContainKey("LOGTO_MANAGEMENT_API_RESOURCE");
    assertThat(envValue(objects, "PRIVILEGED_NAMESPACES")).isEqualTo("platform,ops");
    assertThat(envValue(objects, "RESYNC_INTERVAL_SECONDS")).isEqualTo("120");
    assertThat(envValue(objects, "LOGTO_MAX_CONCURRENT_CALLS")).isEqualTo("4");
    assertThat(envValue(objects, "LOG_LEVEL")).isEqualTo("DEBUG");
    assertThat(envValue(objects, "LEADER_ELECTION_ENABLED")).isEqualTo("true");
    assertThat(env.get("POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.namespace");
    assertThat(env).doesNotContainKey("LOGTO_CA_BUNDLE");
  }

  @Test
  void defaultsMatchTheOperatorsOwnDefaults() {
    List<HasMetadata> objects = render(ALL, "logto.tenantId=default");

    assertThat(envValue(objects, "LOGTO_TENANT_ID")).isEqualTo("default");
    assertThat(envValue(objects, "PRIVILEGED_NAMESPACES")).isEmpty();
    assertThat(envValue(objects, "RESYNC_INTERVAL_SECONDS")).isEqualTo("600");
    assertThat(envValue(objects, "LOGTO_MAX_CONCURRENT_CALLS")).isEqualTo("16");
    assertThat(envValue(objects, "LOG_LEVEL")).isEqualTo("INFO");
    assertThat(envValue(objects, "HTTP_PORT")).isEqualTo("8080");
  }

  @Test
  void explicitManagementApiResourceReplacesTheTenantId() {
    List<HasMetadata> objects = render(WATCHED);

    assertThat(envValue(objects, "LOGTO_MANAGEMENT_API_RESOURCE"))
        .isEqualTo("https://default.logto.app/api");
    assertThat(env(objects)).doesNotContainKey("LOGTO_TENANT_ID");
    assertThat(envValue(objects, "PRIVILEGED_NAMESPACES")).isEqualTo("platform");
  }

  @Test
  void caBundleIsMountedFromTheConfigMap() {
    List<HasMetadata> objects = render(WATCHED);
    PodSpec pod = only(objects, Deployment.class).getSpec().getTemplate().getSpec();
    Path bundle = Path.of(envValue(objects, "LOGTO_CA_BUNDLE"));

    Volume volume = mountedVolume(pod, operator(objects), bundle);
    assertThat(volume.getConfigMap().getName()).isEqualTo("logto-ca");
    assertThat(volume.getConfigMap().getItems()).singleElement().satisfies(item -> {
      assertThat(item.getKey()).isEqualTo("ca.pem");
      assertThat(item.getPath()).isEqualTo(bundle.getFileName().toString());
    });
  }

  /** The volume whose mount holds the file, asserting the file sits directly in the mount. */
  private static Volume mountedVolume(PodSpec pod, Container container, Path file) {
    VolumeMount mount = container.getVolumeMounts().stream()
        .filter(m -> file.getParent().equals(Path.of(m.getMountPath())))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume mounted at " + file.getParent()));
    assertThat(mount.getReadOnly()).isTrue();
    return volume(pod, mount.getName());
  }

  private static Volume volume(PodSpec pod, String name) {
    return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  @Test
  void severalReplicasNeedLeaderElection() {
    Helm helm = Helm.required();
    Processes.Result refused = helm.templateResult("-f", values(ALL),
        "--set", "replicas=2", "--set", "leaderElection.enabled=false");

    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.output()).contains("leaderElection.enabled");
    assertThat(only(render(ALL, "replicas=3"), Deployment.class).getSpec().getReplicas())
        .isEqualTo(3);
  }

  @Test
  void serviceMonitorIsOptInAndScrapesTheMetricsService() {
    assertThat(render(ALL)).noneMatch(o -> o.getKind().equals("ServiceMonitor"));

    List<HasMetadata> objects = render(WATCHED);
    GenericKubernetesResource monitor = objects.stream()
        .filter(o -> o.getKind().equals("ServiceMonitor"))
        .map(GenericKubernetesResource.class::cast)
        .findFirst().orElseThrow();
    Service service = only(objects, Service.class);
    Map<String, Object> spec = monitor.get("spec");
    @SuppressWarnings("unchecked")
    Map<String, String> selector =
        (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
    assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(selector);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> endpoints = (List<Map<String, Object>>) spec.get("endpoints");
    assertThat(endpoints).singleElement().satisfies(e -> {
      assertThat(e).containsEntry("port", service.getSpec().getPorts().get(0).getName());
      assertThat(e).containsEntry("path", "/metrics");
    });
  }

  // ---- versions and CRDs ----

  @Test
  void imageTagDefaultsToAppVersionWhichFollowsThePomVersion() {
    Map<?, ?> chart = Project.YAML.convertValue(
        Project.yamlDocuments(Project.read("helm/logto-operator/Chart.yaml")).get(0), Map.class);
    Matcher version = Pattern.compile("<artifactId>logto-operator</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(Project.read("pom.xml"));
    assertThat(version.find()).isTrue();

    assertThat(chart.get("appVersion")).isEqualTo(version.group(1).replace("-SNAPSHOT", ""));
    assertThat(operator(render(ALL)).getImage()).endsWith(":" + chart.get("appVersion"));
    assertThat(operator(render(ALL, "image.tag=1.2.3")).getImage()).endsWith(":1.2.3");
  }

  @Test
  void chartCrdsAreTheTopLevelCrds() throws Exception {
    List<Path> topLevel = Project.list(Project.path("crds"), ".yaml");
    List<Path> inChart = Project.list(Helm.CHART.resolve("crds"), ".yaml");

    assertThat(topLevel).isNotEmpty();
    assertThat(inChart).extracting(p -> p.getFileName().toString())
        .containsExactlyElementsOf(topLevel.stream().map(p -> p.getFileName().toString()).toList());
    for (Path crd : topLevel) {
      assertThat(Arrays.equals(Files.readAllBytes(crd),
          Files.readAllBytes(Helm.CHART.resolve("crds").resolve(crd.getFileName()))))
          .as("helm/logto-operator/crds/%s equals crds/%s", crd.getFileName(), crd.getFileName())
          .isTrue();
    }
  }

  @Test
  void renderedCrdsAreTheCommittedOnes() {
    List<HasMetadata> objects = render(ALL, "fullnameOverride=x");
    List<HasMetadata> withCrds = Helm.required().template("-f", values(ALL), "--include-crds");

    assertThat(all(objects, CustomResourceDefinition.class)).isEmpty();
    List<CustomResourceDefinition> rendered = all(withCrds, CustomResourceDefinition.class);
    List<CustomResourceDefinition> committed = Project.list(Project.path("crds"), ".yaml").stream()
        .map(f -> Serialization.unmarshal(Project.read(f), CustomResourceDefinition.class))
        .toList();
    assertThat(rendered).containsExactlyInAnyOrderElementsOf(committed);
    assertThat(rendered).extracting(c -> c.getSpec().getNames().getPlural())
        .containsExactlyInAnyOrderElementsOf(Project.PLURALS);
    Optional<HasMetadata> unnamespaced = objects.stream()
        .filter(o -> !(o instanceof ClusterRole) && !(o instanceof ClusterRoleBinding))
        .filter(o -> o.getMetadata().getNamespace() == null)
        .findAny();
    assertThat(unnamespaced).as("namespaced objects without metadata.namespace").isEmpty();
  }
}
