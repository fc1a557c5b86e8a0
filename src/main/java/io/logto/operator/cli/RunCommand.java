package io.logto.operator.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.logto.operator.config.ConfigException;
import io.logto.operator.connection.TenantClients;
import io.logto.operator.config.OperatorConfig;
import io.logto.operator.logto.LogtoClient;
import io.logto.operator.logto.LogtoException;
import io.logto.operator.runtime.HealthServer;
import io.logto.operator.runtime.LogtoOperator;
import io.logto.operator.runtime.OperatorMetrics;
import io.logto.operator.runtime.OperatorSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the operator against the current kubeconfig or in-cluster configuration. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run the operator against the cluster of the current kubeconfig or the pod's"
        + " service account. Configured by environment variables; options override them.",
    footer = {
      "",
      "Environment:",
      "  LOGTO_ENDPOINT                 Logto URL, e.g. https://<tenant>.logto.app (required)",
      "  LOGTO_TENANT_ID                tenant id for the Management API indicator (default: default)",
      "  LOGTO_MANAGEMENT_API_RESOURCE  explicit Management API indicator (overrides the tenant id)",
      "  LOGTO_APP_ID / _FILE           App ID of the operator's M2M app (required)",
      "  LOGTO_APP_SECRET / _FILE       App Secret of that app, from a Secret (required)",
      "  LOGTO_CA_BUNDLE                PEM file of extra CAs to trust for TLS to Logto",
      "  LOGTO_MAX_CONCURRENT_CALLS     bound on Logto calls in flight (default: 16)",
      "  WATCH_NAMESPACES               comma-separated namespaces to watch (default: all)",
      "  PRIVILEGED_NAMESPACES          namespaces allowed to grant Management API scopes or",
      "                                 reference Logto objects the operator does not manage",
      "  RESYNC_INTERVAL_SECONDS        drift correction interval (default: 600)",
      "  HTTP_PORT                      port of /healthz, /readyz, /metrics (default: 8080)",
      "  LOG_LEVEL                      TRACE, DEBUG, INFO, WARN, ERROR (default: INFO)",
      "  LEADER_ELECTION_ENABLED        take the Lease logto-operator-leader (default: true)",
      "  POD_NAMESPACE                  the pod's namespace: the Lease, and ClusterLogtoConnections'",
      "                                 credentials Secrets unless they name another",
      "  CLUSTER_CONNECTIONS_ENABLED    serve ClusterLogtoConnections (default: true)"
    })
public final class RunCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = "--log-level", paramLabel = "LEVEL",
      description = "TRACE, DEBUG, INFO, WARN or ERROR (overrides LOG_LEVEL).")
  String logLevel;

  @Option(names = "--watch-namespaces", paramLabel = "NS[,NS...]",
      description = "Namespaces to watch (overrides WATCH_NAMESPACES; default all).")
  String watchNamespaces;

  @Option(names = "--privileged-namespaces", paramLabel = "NS[,NS...]",
      description = "Privileged namespaces (overrides PRIVILEGED_NAMESPACES).")
  String privilegedNamespaces;

  @Option(names = "--resync-interval-seconds", paramLabel = "N",
      description = "Drift correction interval (overrides RESYNC_INTERVAL_SECONDS).")
  Integer resyncSeconds;

  @Option(names = "--http-port", paramLabel = "PORT",
      description = "Port of /healthz, /readyz and /metrics (overrides HTTP_PORT).")
  Integer httpPort;

  @Option(names = "--no-leader-election", description = "Do not take the leader Lease.")
  boolean noLeaderElection;

  /** The process environment; tests replace it. */
  Map<String, String> environment = System.getenv();

  @Override
  @SuppressWarnings("try") // the health server only has to live as long as the operator
  public Integer call() throws Exception {
    Map<String, String> env = new HashMap<>(environment);
    put(env, "LOG_LEVEL", logLevel);
    put(env, "WATCH_NAMESPACES", watchNamespaces);
    put(env, "PRIVILEGED_NAMESPACES", privilegedNamespaces);
    put(env, "RESYNC_INTERVAL_SECONDS", resyncSeconds);
    put(env, "HTTP_PORT", httpPort);
    if (noLeaderElection) {
      env.put("LEADER_ELECTION_ENABLED", "false");
    }
    OperatorConfig config;
    try {
      config = OperatorConfig.fromEnvironment(env);
    } catch (ConfigException e) {
      System.err.println("logto-operator: " + e.getMessage());
      return 2;
    }
    LoggingOptions.apply(config.logLevel());
    OperatorMetrics metrics = new OperatorMetrics();
    try (LogtoClient logto =
            new LogtoClient(config.logto(), config.clientOptions(), metrics.logtoCallListener());
        KubernetesClient kubernetes = new KubernetesClientBuilder().build()) {
      try {
        logto.listApiResources();
      } catch (LogtoException e) {
        System.err.println("logto-operator: cannot use the Logto Management API at "
            + config.logto().endpoint() + " with App ID " + config.logto().appId() + ": "
            + (e.isUnauthorized()
                ? "the credentials were refused (" + e.status() + " " + e.code() + ")"
                : e.getMessage()));
        return 3;
      }
      Optional<String> leaseNamespace =
          config.leaderElection()
              ? Optional.ofNullable(config.podNamespace()).or(
                  () -> Optional.ofNullable(kubernetes.getNamespace()))
              : Optional.empty();
      OperatorSettings settings =
          new OperatorSettings(config.logto(), config.watchNamespaces(),
              config.privilegedNamespaces(), config.resyncInterval(), 32, leaseNamespace)
              .withOperatorNamespace(Optional.ofNullable(config.podNamespace())
                  .orElse(kubernetes.getNamespace()))
              .withClusterConnections(config.clusterConnections());
      // A connection's client: the operator's timeouts and retries, its own bound and CAs.
      TenantClients clients = (key, connection, calls, ca) -> new LogtoClient(connection,
          config.clientOptions().withMaxConcurrentCalls(calls).withCaBundlePem(ca),
          metrics.logtoCallListener(key.label()));
      LOG.info("starting: Logto {} (Management API {}), namespaces {}, privileged {}",
          config.logto().endpoint(), config.logto().managementApiResource(),
          config.watchNamespaces().isEmpty() ? "all" : config.watchNamespaces(),
          config.privilegedNamespaces());
      try (LogtoOperator operator =
              LogtoOperator.start(kubernetes, logto, settings, metrics.josdkMetrics(),
                  java.time.Clock.systemUTC(), clients);
          HealthServer health = HealthServer.start(config.httpPort(), operator, metrics)) {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "shutdown"));
        stop.await();
        LOG.info("stopping");
      }
    }
    return 0;
  }

  private static void put(Map<String, String> env, String key, Object value) {
    if (value != null) {
      env.put(key, value.toString());
    }
  }
}
