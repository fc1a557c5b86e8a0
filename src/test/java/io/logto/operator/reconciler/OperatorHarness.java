package io.logto.operator.reconciler;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.logto.operator.crd.apiresource.ApiScope;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.apiresource.LogtoApiResourceSpec;
import io.logto.operator.crd.app.AppRoleAssignment;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.app.LogtoM2MAppSpec;
import io.logto.operator.crd.common.LocalObjectReference;
import io.logto.operator.crd.common.LogtoObjectStatus;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.crd.role.LogtoRoleSpec;
import io.logto.operator.crd.role.RolePermission;
import io.logto.operator.logto.LogtoApi;
import io.logto.operator.logto.LogtoClient;
import io.logto.operator.logto.LogtoClientOptions;
import io.logto.operator.logto.LogtoConnection;
import io.logto.operator.reconciler.common.Conditions;
import io.logto.operator.runtime.LogtoOperator;
import io.logto.operator.runtime.OperatorSettings;
import io.logto.operator.sandbox.EmbeddedKubernetes;
import io.logto.operator.simulator.LogtoSimulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The operator running against the embedded Kubernetes API and the Logto simulator, with helpers
 * to build custom resources and wait for their conditions.
 */
public final class OperatorHarness implements AutoCloseable {

  public static final String NS = "default";

  public final EmbeddedKubernetes kubernetes;
  public final KubernetesClient k8s;
  public final LogtoSimulator simulator;
  public final LogtoClient client;
  public final LogtoConnection connection;
  private LogtoOperator operator;

  private OperatorHarness(EmbeddedKubernetes kubernetes, LogtoSimulator simulator) {
    this.kubernetes = kubernetes;
    this.k8s = kubernetes.client();
    this.simulator = simulator;
    this.connection =
        new LogtoConnection(simulator.endpoint(), LogtoSimulator.MANAGEMENT_API_RESOURCE,
            simulator.bootstrapAppId(), simulator.bootstrapAppSecret());
    this.client =
        new LogtoClient(connection, LogtoClientOptions.defaults()
            .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200)));
  }

  /** Starts everything, with the given namespaces privileged. */
  public static OperatorHarness start(String... privilegedNamespaces) {
    OperatorHarness harness =
        new OperatorHarness(EmbeddedKubernetes.start(), LogtoSimulator.start());
    harness.startOperator(harness.client, Set.of(privilegedNamespaces));
    return harness;
  }

  /** Starts the harness without the operator (a test starts it with its own Logto client). */
  public static OperatorHarness startWithoutOperator() {
    return new OperatorHarness(EmbeddedKubernetes.start(), LogtoSimulator.start());
  }

  public void startOperator(LogtoApi logto, Set<String> privileged) {
    startOperator(logto, privileged, java.time.Clock.systemUTC());
  }

  /** The operator on a clock of the test's (see {@link MutableClock}). */
  public void startOperator(LogtoApi logto, Set<String> privileged, java.time.Clock clock) {
    operator =
        LogtoOperator.start(k8s, logto,
            OperatorSettings.embedded(connection, privileged, Duration.ZERO), null, clock);
  }

  /** Where ClusterLogtoConnections' credentials Secrets are by default in these tests. */
  public static final String OPERATOR_NAMESPACE = "logto-operator";

  /**
   * The operator with connections looked at again every {@code recheck}, and their clients
   * retrying fast (as the default client of these tests does).
   */
  public void startOperatorWithConnections(Set<String> privileged, Duration recheck) {
    operator =
        LogtoOperator.start(k8s, client,
            OperatorSettings.embedded(connection, privileged, Duration.ZERO)
                .withOperatorNamespace(OPERATOR_NAMESPACE).withConnectionRecheck(recheck),
            null, java.time.Clock.systemUTC(),
            (key, connection, calls, ca) -> new LogtoClient(connection,
                LogtoClientOptions.defaults().withBackoff(Duration.ofMillis(20),
                    Duration.ofMillis(200)).withMaxConcurrentCalls(calls).withCaBundlePem(ca)));
  }

  public void stopOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }

  public LogtoOperator operator() {
    return operator;
  }

  // Builders

  public static LogtoApiResource apiResource(String name, String indicator, String... scopes) {
    LogtoApiResource r = new LogtoApiResource();
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    LogtoApiResourceSpec spec = new LogtoApiResourceSpec();
    spec.setIndicator(indicator);
    for (String s : scopes) {
      spec.getScopes().add(new ApiScope(s, "Scope " + s));
    }
    r.setSpec(spec);
    return r;
  }

  public static RolePermission permission(String resourceRef, String... scopes) {
    RolePermission p = new RolePermission();
    p.setResourceRef(new LocalObjectReference(resourceRef));
    p.setScopes(List.of(scopes));
    return p;
  }

  public static RolePermission indicatorPermission(String indicator, String... scopes) {
    RolePermission p = new RolePermission();
    p.setIndicator(indicator);
    p.setScopes(List.of(scopes));
    return p;
  }

  public static LogtoRole role(String name, RolePermission... permissions) {
    LogtoRole r = new LogtoRole();
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    LogtoRoleSpec spec = new LogtoRoleSpec();
    spec.setDescription("Role " + name);
    spec.setPermissions(List.of(permissions));
    r.setSpec(spec);
    return r;
  }

  public static LogtoM2MApp app(String name, String... roleRefs) {
    LogtoM2MApp a = new LogtoM2MApp();
    a.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    LogtoM2MAppSpec spec = new LogtoM2MAppSpec();
    spec.setDescription("App " + name);
    for (String ref : roleRefs) {
      AppRoleAssignment assignment = new AppRoleAssignment();
      assignment.setRoleRef(new LocalObjectReference(ref));
      spec.getRoles().add(assignment);
    }
    a.setSpec(spec);
    return a;
  }

  public static AppRoleAssignment logtoRole(String name) {
    AppRoleAssignment assignment = new AppRoleAssignment();
    assignment.setLogtoRoleName(name);
    return assignment;
  }

  // Kubernetes helpers

  public <T extends CustomResource<?, ?>> T create(T resource) {
    return k8s.resource(resource).create();
  }

  /**
   * Stores an object past the API server's admission, as one kept from before a CRD change: for
   * tests of the operator's own validation of specs a cluster would now refuse.
   */
  public <T extends CustomResource<?, ?>> T createWithoutAdmission(T resource) {
    return kubernetes.clientWithoutAdmission().resource(resource).create();
  }

  @SuppressWarnings("unchecked")
  public <T extends CustomResource<?, ?>> T get(T resource) {
    return (T) k8s.resources(resource.getClass()).inNamespace(NS)
        .withName(resource.getMetadata().getName()).get();
  }

  /** Edits the spec the way a user would, retrying when the operator wrote status meanwhile. */
  @SuppressWarnings("unchecked")
  public <T extends CustomResource<?, ?>> T edit(T resource, UnaryOperator<T> change) {
    for (int attempt = 0; ; attempt++) {
      try {
        return (T) k8s.resources((Class<T>) resource.getClass()).inNamespace(NS)
            .withName(resource.getMetadata().getName()).edit(change);
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 20) {
          throw e;
        }
      }
    }
  }

  public void delete(CustomResource<?, ?> resource) {
    k8s.resources(resource.getClass()).inNamespace(NS)
        .withName(resource.getMetadata().getName()).delete();
  }

  public boolean exists(CustomResource<?, ?> resource) {
    return get(resource) != null;
  }

  /** Waits until the object's Ready condition has the given reason for its current generation. */
  public <T extends CustomResource<?, ? extends LogtoObjectStatus>> T awaitReady(
      T resource, String reason) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
        .until(() -> readyReason(resource).filter(reason::equals).isPresent());
    return get(resource);
  }

  public <T extends CustomResource<?, ? extends LogtoObjectStatus>> T awaitReadyWithin(
      T resource, String reason, Duration timeout) {
    await().atMost(timeout).pollInterval(Duration.ofMillis(100))
        .until(() -> readyReason(resource).filter(reason::equals).isPresent());
    return get(resource);
  }

  public <T extends CustomResource<?, ? extends LogtoObjectStatus>> T awaitReady(T resource) {
    return awaitReady(resource, "Synced");
  }

  public Optional<String> readyReason(CustomResource<?, ? extends LogtoObjectStatus> resource) {
    return condition(resource, Conditions.READY).map(Condition::getReason);
  }

  /** The message of the Ready condition (any generation). */
  public String readyReasonMessage(CustomResource<?, ? extends LogtoObjectStatus> resource) {
    CustomResource<?, ? extends LogtoObjectStatus> current = get(resource);
    return current == null || current.getStatus() == null
        ? ""
        : Conditions.find(current.getStatus().getConditions(), Conditions.READY)
            .map(Condition::getMessage).orElse("");
  }

  public Optional<Condition> condition(
      CustomResource<?, ? extends LogtoObjectStatus> resource, String type) {
    CustomResource<?, ? extends LogtoObjectStatus> current = get(resource);
    if (current == null || current.getStatus() == null) {
      return Optional.empty();
    }
    Long generation = current.getMetadata().getGeneration();
    return Conditions.find(current.getStatus().getConditions(), type)
        .filter(c -> generation == null || generation.equals(c.getObservedGeneration()));
  }

  public Secret secret(String name) {
    return k8s.secrets().inNamespace(NS).withName(name).get();
  }

  public static Map<String, String> decoded(Secret secret) {
    Map<String, String> data = new TreeMap<>();
    secret.getData().forEach((k, v) ->
        data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    return data;
  }

  public void awaitGone(CustomResource<?, ?> resource) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
        .until(() -> !exists(resource));
  }

  @Override
  public void close() {
    stopOperator();
    client.close();
    simulator.close();
    kubernetes.close();
  }
}
