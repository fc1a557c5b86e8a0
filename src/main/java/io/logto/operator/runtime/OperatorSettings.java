package io.logto.operator.runtime;

import io.logto.operator.logto.LogtoConnection;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * What the operator's wiring needs, whether it runs in a cluster, in the sandbox or in tests.
 *
 * @param connection where Logto is (written into Secrets and ConfigMaps)
 * @param watchNamespaces namespaces to watch; empty means all
 * @param privilegedNamespaces namespaces allowed to reach beyond what the operator manages
 * @param resyncInterval how often Logto is compared with the custom resources; zero disables
 * @param reconcileThreads reconciles running at once (Logto calls are bounded by the client)
 * @param leaseNamespace namespace of the leader-election Lease, empty for no leader election
 * @param operatorNamespace the operator's namespace, where a ClusterLogtoConnection's credentials
 *     Secret is by default
 * @param connectionRecheck how often a connection's credentials are read and proven again
 * @param clusterConnections whether ClusterLogtoConnections are served (off: the operator does
 *     not even look for them, as the chart then grants nothing for them)
 */
public record OperatorSettings(
    LogtoConnection connection,
    Set<String> watchNamespaces,
    Set<String> privilegedNamespaces,
    Duration resyncInterval,
    int reconcileThreads,
    Optional<String> leaseNamespace,
    Optional<String> operatorNamespace,
    Duration connectionRecheck,
    boolean clusterConnections) {

  public static final String LEASE_NAME = "logto-operator-leader";
  public static final Duration CONNECTION_RECHECK = Duration.ofSeconds(60);

  public OperatorSettings {
    watchNamespaces = Set.copyOf(watchNamespaces);
    privilegedNamespaces = Set.copyOf(privilegedNamespaces);
  }

  public OperatorSettings(LogtoConnection connection, Set<String> watchNamespaces,
      Set<String> privilegedNamespaces, Duration resyncInterval, int reconcileThreads,
      Optional<String> leaseNamespace) {
    this(connection, watchNamespaces, privilegedNamespaces, resyncInterval, reconcileThreads,
        leaseNamespace, leaseNamespace, CONNECTION_RECHECK, true);
  }

  public OperatorSettings withConnectionRecheck(Duration recheck) {
    return new OperatorSettings(connection, watchNamespaces, privilegedNamespaces,
        resyncInterval, reconcileThreads, leaseNamespace, operatorNamespace, recheck,
        clusterConnections);
  }

  public OperatorSettings withOperatorNamespace(String namespace) {
    return new OperatorSettings(connection, watchNamespaces, privilegedNamespaces,
        resyncInterval, reconcileThreads, leaseNamespace, Optional.ofNullable(namespace),
        connectionRecheck, clusterConnections);
  }

  public OperatorSettings withClusterConnections(boolean served) {
    return new OperatorSettings(connection, watchNamespaces, privilegedNamespaces,
        resyncInterval, reconcileThreads, leaseNamespace, operatorNamespace, connectionRecheck,
        served);
  }

  /** Settings for an embedded run: all namespaces, no leader election. */
  public static OperatorSettings embedded(
      LogtoConnection connection, Set<String> privilegedNamespaces, Duration resyncInterval) {
    return new OperatorSettings(connection, Set.of(), privilegedNamespaces, resyncInterval, 32,
        Optional.empty());
  }
}
