package io.logto.operator.sandbox;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.logto.operator.crd.common.ConnectionRef;
import io.logto.operator.crd.connection.AllowedNamespaces;
import io.logto.operator.crd.connection.ClusterCredentialsSecretRef;
import io.logto.operator.crd.connection.ClusterLogtoConnection;
import io.logto.operator.crd.connection.ClusterLogtoConnectionSpec;
import io.logto.operator.reconciler.common.Conditions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The simulated Logto tenants beyond the operator's own (tenant 1): tenant k is a simulator that
 * the operator reaches through the ClusterLogtoConnection {@code tenant-k}, whose credentials are
 * the simulator's bootstrap app, in the Secret {@code tenant-k-credentials} of the operator's
 * namespace (where a ClusterLogtoConnection's Secret is by default).
 */
public final class ExtraTenants implements AutoCloseable {

  /** One extra tenant: its number (2 and up) and its simulator. */
  public record Tenant(int number, SimulatedLogto logto) {

    public String connectionName() {
      return "tenant-" + number;
    }

    public String secretName() {
      return connectionName() + "-credentials";
    }

    /** What an object's spec.connectionRef says to land in this tenant. */
    public ConnectionRef ref() {
      return new ConnectionRef(ConnectionRef.Kind.ClusterLogtoConnection, connectionName());
    }

    /** As {@link ObjectState#connectionLabel} names it. */
    public String label() {
      return ObjectState.connectionLabel(ref());
    }
  }

  /**
   * A connection as the operator last reported it.
   *
   * @param ready the Ready condition's status, or {@code -} before the first report
   */
  public record State(Tenant tenant, String ready, String reason, String message) {
    public boolean connected() {
      return "True".equals(ready);
    }
  }

  private final List<Tenant> tenants;

  private ExtraTenants(List<Tenant> tenants) {
    this.tenants = List.copyOf(tenants);
  }

  public static ExtraTenants none() {
    return new ExtraTenants(List.of());
  }

  /**
   * Starts {@code count} simulators, tenants 2 to count + 1, each with the same faults.
   *
   * @param latency added to every call
   * @param failureRate share of Management API calls answered 503
   */
  public static ExtraTenants start(int count, Duration latency, double failureRate) {
    List<Tenant> started = new ArrayList<>();
    try {
      for (int k = 2; k < count + 2; k++) {
        started.add(new Tenant(k, SimulatedLogto.start(latency, failureRate)));
      }
    } catch (RuntimeException e) {
      started.forEach(t -> t.logto().close());
      throw e;
    }
    return new ExtraTenants(started);
  }

  public List<Tenant> tenants() {
    return tenants;
  }

  public boolean isEmpty() {
    return tenants.isEmpty();
  }

  /** The tenant an object landed in, by {@link ObjectState#connection()}. */
  public Optional<Tenant> byLabel(String connection) {
    return tenants.stream().filter(t -> t.label().equals(connection)).findFirst();
  }

  /**
   * Creates each tenant's credentials Secret and ClusterLogtoConnection. The connections allow
   * {@code namespaces} and privilege none: a namespace's access to a tenant's Management API is
   * given on purpose, not by the sandbox.
   */
  public void connect(KubernetesClient client, String operatorNamespace,
      Collection<String> namespaces) {
    for (Tenant tenant : tenants) {
      var connection = tenant.logto().connection();
      client.resource(new SecretBuilder()
          .withMetadata(new ObjectMetaBuilder().withName(tenant.secretName())
              .withNamespace(operatorNamespace).build())
          .addToStringData("appId", connection.appId())
          .addToStringData("appSecret", connection.appSecret())
          .build()).create();
      ClusterLogtoConnection cluster = new ClusterLogtoConnection();
      cluster.setMetadata(new ObjectMetaBuilder().withName(tenant.connectionName()).build());
      ClusterLogtoConnectionSpec spec = new ClusterLogtoConnectionSpec();
      spec.setEndpoint(connection.endpoint().toString());
      ClusterCredentialsSecretRef secret = new ClusterCredentialsSecretRef();
      secret.setName(tenant.secretName());
      spec.setCredentialsSecretRef(secret);
      AllowedNamespaces allowed = new AllowedNamespaces();
      allowed.setNames(new ArrayList<>(new TreeSet<>(namespaces)));
      spec.setAllowedNamespaces(allowed);
      cluster.setSpec(spec);
      client.resource(cluster).create();
    }
  }

  /**
   * Adds namespaces to what the connections allow (the watched folder gained a namespace), so
   * that its objects are not refused by a rule the sandbox made up.
   */
  public void allow(KubernetesClient client, Collection<String> namespaces) {
    for (Tenant tenant : tenants) {
      var resource = client.resources(ClusterLogtoConnection.class)
          .withName(tenant.connectionName());
      ClusterLogtoConnection current = resource.get();
      if (current == null || current.getSpec().getAllowedNamespaces() == null
          || current.getSpec().getAllowedNamespaces().getNames().containsAll(namespaces)) {
        continue;
      }
      resource.edit(c -> {
        TreeSet<String> names = new TreeSet<>(c.getSpec().getAllowedNamespaces().getNames());
        names.addAll(namespaces);
        c.getSpec().getAllowedNamespaces().setNames(new ArrayList<>(names));
        return c;
      });
    }
  }

  /** Each connection's state, as its status says. */
  public List<State> observe(KubernetesClient client) {
    List<State> states = new ArrayList<>();
    for (Tenant tenant : tenants) {
      ClusterLogtoConnection current = client.resources(ClusterLogtoConnection.class)
          .withName(tenant.connectionName()).get();
      Optional<Condition> ready = current == null || current.getStatus() == null
          ? Optional.empty()
          : Conditions.find(current.getStatus().getConditions(), Conditions.READY);
      states.add(current == null
          ? new State(tenant, "-", "NotFound", "the connection does not exist")
          : new State(tenant, ready.map(Condition::getStatus).orElse("-"),
              ready.map(Condition::getReason).orElse("Pending"),
              ready.map(Condition::getMessage).orElse("not reconciled yet")));
    }
    return states;
  }

  /**
   * Waits until every connection is Connected, or the timeout; the objects that use a connection
   * wait for it anyway, so this only keeps their first reconcile from finding it missing.
   */
  public boolean awaitConnected(KubernetesClient client, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!observe(client).stream().allMatch(State::connected)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }

  @Override
  public void close() {
    tenants.forEach(t -> t.logto().close());
  }
}
