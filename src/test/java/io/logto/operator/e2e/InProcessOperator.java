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

  final LogtoSimulator simulator;
  final LogtoClient logto;
  final LogtoConnection connection;
  private final RealApiServer server;
  private final Set<String> watched;
  private final Set<String> privileged;
  private final String operatorNamespace;
  private KubernetesClient kubernetes;
  private LogtoOperator operator;

  private InProcessOperator(RealApiServer server, Set<String> watched, Set<String> privileged,
      String operatorNamespace) {
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

  /** Starts a simulator and the operator watching {@code watched}. */
  static InProcessOperator start(RealApiServer server, Set<String> watched,
      Set<String> privileged) {
    return start(server, watched, privileged, null);
  }

  /**
   * As {@link #start(RealApiServer, Set, Set)}, in {@code operatorNamespace}: where a
   * ClusterLogtoConnection's credentials Secret is by default.
   */
  static InProcessOperator start(RealApiServer server, Set<String> watched,
      Set<String> privileged, String operatorNamespace) {
    InProcessOperator started = new InProcessOperator(server, watched, privileged,
        operatorNamespace);
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
            .withOperatorNamespace(operatorNamespace),
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
