package io.logto.operator.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.logto.operator.drift.ResyncService;
import io.logto.operator.connection.ConnectionKey;
import io.logto.operator.connection.ConnectionKinds;
import io.logto.operator.connection.ConnectionObjects;
import io.logto.operator.connection.ConnectionReconciler;
import io.logto.operator.connection.ConnectionRegistry;
import io.logto.operator.connection.LogtoTenant;
import io.logto.operator.connection.NamespaceLabels;
import io.logto.operator.connection.NamespacePolicy;
import io.logto.operator.connection.TenantClients;
import io.logto.operator.crd.connection.LogtoConnection;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.logto.LogtoClient;
import io.logto.operator.logto.LogtoClientOptions;
import io.logto.operator.reconciler.common.LogtoObjectReconciler;
import java.util.List;
import io.logto.operator.logto.LogtoApi;
import io.logto.operator.reconciler.apiresource.ApiResourceReconciler;
import io.logto.operator.reconciler.app.M2MAppReconciler;
import io.logto.operator.reconciler.app.WorkloadRestarter;
import io.logto.operator.reconciler.common.DriftQueue;
import io.logto.operator.reconciler.common.EventRecorder;
import io.logto.operator.reconciler.common.ManagedLabels;
import io.logto.operator.reconciler.common.OperatorServices;
import io.logto.operator.reconciler.common.OwnedObjectWriter;
import io.logto.operator.reconciler.role.RoleReconciler;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** Wires the three reconcilers, the resync and Java Operator SDK together, and runs them. */
public final class LogtoOperator implements AutoCloseable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LogtoOperator.class);

  private final Operator operator;
  private final ResyncService resync;
  private final ConnectionRegistry registry;
  private final AtomicBoolean closing;

  private LogtoOperator(Operator operator, ResyncService resync, ConnectionRegistry registry,
      AtomicBoolean closing) {
    this.operator = operator;
    this.resync = resync;
    this.registry = registry;
    this.closing = closing;
  }

  /** Builds and starts the operator; it reconciles until {@link #close()}. */
  public static LogtoOperator start(
      KubernetesClient client, LogtoApi logto, OperatorSettings settings, Metrics metrics) {
    return start(client, logto, settings, metrics, Clock.systemUTC());
  }

  /** As {@link #start(KubernetesClient, LogtoApi, OperatorSettings, Metrics)}, on a given clock. */
  public static LogtoOperator start(KubernetesClient client, LogtoApi logto,
      OperatorSettings settings, Metrics metrics, Clock clock) {
    return start(client, logto, settings, metrics, clock,
        (key, connection, calls, ca) -> new LogtoClient(connection,
            LogtoClientOptions.defaults().withMaxConcurrentCalls(calls).withCaBundlePem(ca)));
  }

  /**
   * Builds and starts the operator.
   *
   * @param logto the client of the operator's own connection (objects without connectionRef)
   * @param clients builds the clients of LogtoConnections and ClusterLogtoConnections
   */
  public static LogtoOperator start(KubernetesClient client, LogtoApi logto,
      OperatorSettings settings, Metrics metrics, Clock clock, TenantClients clients) {
    ConnectionRegistry registry = new ConnectionRegistry();
    ConnectionKinds served = ConnectionKinds.probe(client, settings.watchNamespaces(),
        settings.clusterConnections());
    registry.serveOnly(served);
    registry.putDefault(new LogtoTenant(ConnectionKey.DEFAULT, logto, settings.connection(),
        NamespacePolicy.allNamespaces(settings.privilegedNamespaces())));
    EventRecorder events = new EventRecorder(client, clock);
    OperatorServices services = new OperatorServices(registry,
        key -> served.serves(key.scope()) && ConnectionObjects.exists(client, key),
        new DriftQueue(), events, clock);
    OwnedObjectWriter writer = new OwnedObjectWriter(client);
    var apiResources = new ApiResourceReconciler(services, writer);
    var roles = new RoleReconciler(services);
    var apps = new M2MAppReconciler(services, writer, new WorkloadRestarter(client, events));
    List<LogtoObjectReconciler<?, ?>> kinds = List.of(apiResources, roles, apps);
    Consumer<ConnectionKey> wakeUsers = key -> kinds.forEach(kind -> kind.wakeUsersOf(key));
    registry.outages().onRecovery(wakeUsers);
    String operatorNamespace = settings.operatorNamespace().orElse(null);

    AtomicBoolean closing = new AtomicBoolean();
    Operator operator = new Operator(overrides(client, settings, metrics, closing));
    if (served.serves(ConnectionKey.Scope.NAMESPACED)) {
      operator.register(new ConnectionReconciler.Namespaced(registry, clients, wakeUsers,
          events, operatorNamespace, clock, settings.connectionRecheck()),
          LogtoOperator.<LogtoConnection>controller(settings)
              .andThen(c -> c.withName("logtoconnectionreconciler")));
    }
    if (served.serves(ConnectionKey.Scope.CLUSTER)) {
      NamespaceLabels labels = new NamespaceLabels(client, Duration.ofSeconds(30));
      operator.register(new ConnectionReconciler.Cluster(registry, clients, labels,
          wakeUsers, events, operatorNamespace, clock, settings.connectionRecheck()),
          c -> c.withName("clusterlogtoconnectionreconciler")
              .withFinalizer(ManagedLabels.FINALIZER).withRetry(retry()));
    }
    operator.register(apiResources, controller(settings));
    operator.register(roles, controller(settings));
    // Annotations such as m2m.logto.io/rotate leave the generation alone: the app controller is
    // not generation-aware, and filters the updates it wants itself.
    operator.register(apps, LogtoOperator.<LogtoM2MApp>controller(settings)
        .andThen(c -> c.withGenerationAware(false)
        .withOnUpdateFilter(M2MAppReconciler.relevantUpdate())));
    operator.start();

    ResyncService resync =
        new ResyncService(client, registry, services.drift(), apiResources.trigger(),
            roles.trigger(), apps.trigger(), settings.watchNamespaces(), clock);
    if (!settings.resyncInterval().isZero()) {
      resync.schedule(settings.resyncInterval());
    }
    return new LogtoOperator(operator, resync, registry, closing);
  }

  private static Consumer<ConfigurationServiceOverrider> overrides(
      KubernetesClient client, OperatorSettings settings, Metrics metrics, AtomicBoolean closing) {
    return o -> {
      // Server-side apply is off everywhere: one code path, and the one the mock server supports
      // (see shared/kubernetes-mock-server.md).
      o.withKubernetesClient(client)
          .withUseSSAToPatchPrimaryResource(false)
          .withSSABasedCreateUpdateMatchForDependentResources(false)
          .withCloseClientOnStop(false)
          .withConcurrentReconciliationThreads(settings.reconcileThreads())
          .withCacheSyncTimeout(Duration.ofMinutes(2));
      if (metrics != null) {
        o.withMetrics(metrics);
      }
      settings
          .leaseNamespace()
          .ifPresent(ns -> o.withLeaderElectionConfiguration(
              new LeaderElectionConfiguration(
                  OperatorSettings.LEASE_NAME,
                  ns,
                  LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                  LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                  LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                  identity(),
                  new LeaderCallbacks(
                      () -> LOG.info("leading: reconciling"),
                      () -> lostLease(closing),
                      leader -> LOG.info("leader is {}", leader)),
                  false)));
    };
  }

  private static <R extends io.fabric8.kubernetes.api.model.HasMetadata>
      Consumer<ControllerConfigurationOverrider<R>> controller(OperatorSettings settings) {
    return c -> {
      c.withFinalizer(ManagedLabels.FINALIZER).withRetry(retry());
      if (settings.watchNamespaces().isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(settings.watchNamespaces());
      }
    };
  }

  /** For unexpected errors only (Logto failures are handled with their own backoff). */
  private static GenericRetry retry() {
    return new GenericRetry().setInitialInterval(2000).setIntervalMultiplier(2)
        .setMaxInterval(300_000).withoutMaxAttempts();
  }

  /**
   * A replica that loses the Lease while running must stop reconciling at once: it exits so that
   * Kubernetes restarts it as a follower. Losing it because we are shutting down is expected.
   * (Not exiting from the callback thread itself, which may be a shutdown hook's.)
   */
  private static void lostLease(AtomicBoolean closing) {
    if (closing.get()) {
      return;
    }
    LOG.error("lost the leader Lease; exiting so that this replica restarts as a follower");
    new Thread(() -> System.exit(1), "lost-lease-exit").start();
  }

  /** The pod name where there is one, made unique per instance (two in one JVM in tests). */
  private static String identity() {
    String host = System.getenv().getOrDefault("HOSTNAME", "logto-operator");
    return host + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
  }

  /** Runs one full resync now (compare Logto with the custom resources, queue what differs). */
  public ResyncService.Report resyncNow() {
    return resync.runOnce();
  }

  public Operator operator() {
    return operator;
  }

  /** The Logto tenants the operator can reach, by connection. */
  public ConnectionRegistry connections() {
    return registry;
  }

  @Override
  public void close() {
    closing.set(true);
    resync.close();
    operator.stop();
    registry.close();
  }
}
