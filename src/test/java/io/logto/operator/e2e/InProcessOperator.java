package io.logto.operator.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.logto.operator.logto.LogtoClient;
import io.logto.operator.logto.LogtoClientOptions;
import io.logto.operator.logto.LogtoConnection;
import io.logto.operator.runtime.LogtoOperator;
import io.logto.operator.runtime.OperatorSettings;
import io.logto.operator.simulator.LogtoSimulator;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The operator, in this JVM, against the real API server (as an admin client) and a Logto simulator
 * of its own, watching the given namespaces only, so that test classes do not see each other's
 * objects. It can be stopped and started again, as a pod restarts.
 */
final class InProcessOperator implements AutoCloseable {

  /**
   * Held by the classes whose operators serve ClusterLogtoConnections: each would judge the
   * others' connections (their Secrets are in another operator namespace) and write its verdict
   * into their status.
   */
  static final String CLUSTER_CONNECTIONS = "ClusterLogtoConnections";

  final LogtoSimulator simulator;
  final LogtoClient logto;
  final LogtoConnection connection;
  private final RealApiServer server;
  private final Set<String> watched;
  private final Set<String> privileged;
  private final String operatorNamespace;
  private final boolean clusterConnections;
  private KubernetesClient kubernetes;
  private LogtoOperator operator;

  private InProcessOperator(RealApiServer server, Set<String> watched, Set<String> privileged,
      String operatorNamespace, boolean clusterConnections) {
    this.clusterConnections = clusterConnections;
    this.server = server;
    this.watched = Set.copyOf(watched);
    this.privileged = Set.copyOf(privileged);
    this.operatorNamespace = operatorNamespace;
    this.simulator = LogtoSimulator.start();
    this.connection = new LogtoConnection(simulator.endpoint(),
        LogtoSimulator.MANAGEMENT_API_RESOURCE, simulator.bootstrapAppId(),
        simulator.bootstrapAppSecret());
    this.logto = new LogtoClient(connection,
        LogtoClientOptions.defaults().withBackoff(Duration.ofMillis(20), Duration.ofMillis(200)));
  }

  /**
   * Starts a simulator and the operator watching {@code watched}, without ClusterLogtoConnections:
   * those of other classes, on the same API server, are not this one's to judge.
   */
  static InProcessOperator start(RealApiServer server, Set<String> watched,
      Set<String> privileged) {
    InProcessOperator started = new InProcessOperator(server, watched, privileged, null, false);
    started.start();
    return started;
  }

  /**
   * As {@link #start(RealApiServer, Set, Set)}, serving ClusterLogtoConnections, in
   * {@code operatorNamespace}: where a ClusterLogtoConnection's credentials Secret is by default.
   * Its class must hold the {@link #CLUSTER_CONNECTIONS} lock.
   */
  static InProcessOperator withClusterConnections(RealApiServer server, Set<String> watched,
      Set<String> privileged, String operatorNamespace) {
    InProcessOperator started = new InProcessOperator(server, watched, privileged,
        operatorNamespace, true);
    started.start();
    return started;
  }

  void start() {
    if (operator != null) {
      throw new IllegalStateException("already running");
    }
    kubernetes = server.adminClient();
    operator = LogtoOperator.start(kubernetes, logto,
        new OperatorSettings(connection, watched, privileged, Duration.ZERO, 8, Optional.empty())
            .withOperatorNamespace(operatorNamespace)
            .withClusterConnections(clusterConnections),
        null);
  }

  void stop() {
    if (operator != null) {
      operator.close();
      kubernetes.close();
      operator = null;
    }
  }

  @Override
  public void close() {
    try {
      stop();
    } finally {
      logto.close();
      simulator.close();
    }
  }
}
