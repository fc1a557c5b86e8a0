package io.logto.operator.connection;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.logto.operator.crd.connection.ClusterLogtoConnection;
import io.logto.operator.crd.connection.LogtoConnection;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the cluster serves each connection kind to the operator. Helm installs CRDs on the
 * first install only, so after an upgrade the new kinds may be missing; and the chart can leave
 * the cluster-scoped kind out of its RBAC. Either way the operator runs without that kind (saying
 * so) rather than fail to start and leave every other object unreconciled.
 */
public final class ConnectionKinds {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionKinds.class);

  private final Map<ConnectionKey.Scope, String> missing;

  private ConnectionKinds(Map<ConnectionKey.Scope, String> missing) {
    this.missing = missing;
  }

  /** Every kind served (for tests and for a cluster known to have them). */
  public static ConnectionKinds all() {
    return new ConnectionKinds(Map.of());
  }

  /**
   * Lists one object of each kind, where the operator watches.
   *
   * @param watchNamespaces the watched namespaces; empty for all
   * @param clusterKind whether ClusterLogtoConnections are wanted at all
   */
  public static ConnectionKinds probe(KubernetesClient client, Set<String> watchNamespaces,
      boolean clusterKind) {
    Map<ConnectionKey.Scope, String> missing = new EnumMap<>(ConnectionKey.Scope.class);
    if (!clusterKind) {
      missing.put(ConnectionKey.Scope.CLUSTER, "ClusterLogtoConnection is not served by this"
          + " operator (CLUSTER_CONNECTIONS_ENABLED=false; Helm clusterConnections.enabled)");
    }
    var one = new ListOptionsBuilder().withLimit(1L).build();
    var namespaced = client.resources(LogtoConnection.class);
    check(missing, ConnectionKey.Scope.NAMESPACED, "LogtoConnection", "logtoconnections", "",
        () -> (watchNamespaces.isEmpty() ? namespaced.inAnyNamespace()
            : namespaced.inNamespace(watchNamespaces.iterator().next())).list(one));
    if (clusterKind) {
      check(missing, ConnectionKey.Scope.CLUSTER, "ClusterLogtoConnection",
          "clusterlogtoconnections", "; or set CLUSTER_CONNECTIONS_ENABLED=false",
          () -> client.resources(ClusterLogtoConnection.class).list(one));
    }
    return new ConnectionKinds(missing);
  }

  private static void check(Map<ConnectionKey.Scope, String> missing, ConnectionKey.Scope scope,
      String kind, String plural, String rbacHint, Runnable list) {
    try {
      list.run();
    } catch (KubernetesClientException e) {
      String why;
      if (e.getCode() == 404) {
        why = "the " + kind + " CRD is not installed (kubectl apply -f crds/; Helm does not"
            + " upgrade CRDs), then restart the operator";
      } else if (e.getCode() == 403) {
        why = "the operator may not list " + plural + " (RBAC" + rbacHint + ")";
      } else {
        throw e;
      }
      missing.put(scope, kind + " is not available: " + why);
      LOG.warn("{}; objects that name one wait", missing.get(scope));
    }
  }

  public boolean serves(ConnectionKey.Scope scope) {
    return !missing.containsKey(scope);
  }

  /** Why a kind is not served, if it is not. */
  public Optional<String> whyNot(ConnectionKey.Scope scope) {
    return Optional.ofNullable(missing.get(scope));
  }
}
