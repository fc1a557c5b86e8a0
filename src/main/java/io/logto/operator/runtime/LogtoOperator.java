package io.logto.operator.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.logto.operator.drift.ResyncService;
import io.logto.operator.logto.LogtoApi;
import io.logto.operator.reconciler.apiresource.ApiResourceReconciler;
import io.logto.operator.reconciler.app.M2MAppReconciler;
import io.logto.operator.reconciler.common.DriftQueue;
import io.logto.operator.reconciler.common.EventRecorder;
import io.logto.operator.reconciler.common.ManagedLabels;
import io.logto.operator.reconciler.common.OperatorServices;
import io.logto.operator.reconciler.common.OwnedObjectWriter;
import io.logto.operator.reconciler.role.RoleReconciler;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/** Wires the three reconcilers, the resync and Java Operator SDK together, and runs them. */
public final class LogtoOperator implements AutoCloseable {

  private final Operator operator;
  private final ResyncService resync;

  private LogtoOperator(Operator operator, ResyncService resync) {
    this.operator = operator;
    this.resync = resync;
  }

  /** Builds and starts the operator; it reconciles until {@link #close()}. */
  public static LogtoOperator start(
      KubernetesClient client, LogtoApi logto, OperatorSettings settings, Metrics metrics) {
    Clock clock = Clock.systemUTC();
    OperatorServices services =
        new OperatorServices(
            logto,
            settings.connection(),
            settings.privilegedNamespaces(),
            new DriftQueue(),
            new EventRecorder(client, clock),
            clock);
    OwnedObjectWriter writer = new OwnedObjectWriter(client);
    var apiResources = new ApiResourceReconciler(services, writer);
    var roles = new RoleReconciler(services);
    var apps = new M2MAppReconciler(services, writer);

    Operator operator = new Operator(overrides(client, settings, metrics));
    operator.register(apiResources, controller(settings));
    operator.register(roles, controller(settings));
    operator.register(apps, controller(settings));
    operator.start();

    ResyncService resync =
        new ResyncService(client, logto, services.drift(), apiResources.driftTrigger(),
            roles.driftTrigger(), apps.driftTrigger(), settings.watchNamespaces());
    if (!settings.resyncInterval().isZero()) {
      resync.schedule(settings.resyncInterval());
    }
    return new LogtoOperator(operator, resync);
  }

  private static Consumer<ConfigurationServiceOverrider> overrides(
      KubernetesClient client, OperatorSettings settings, Metrics metrics) {
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
              new LeaderElectionConfiguration(OperatorSettings.LEASE_NAME, ns)));
    };
  }

  private static <R extends io.fabric8.kubernetes.api.model.HasMetadata>
      Consumer<ControllerConfigurationOverrider<R>> controller(OperatorSettings settings) {
    return c -> {
      c.withFinalizer(ManagedLabels.FINALIZER)
          // Unexpected errors only (Logto failures are handled with their own backoff).
          .withRetry(new GenericRetry().setInitialInterval(2000).setIntervalMultiplier(2)
              .setMaxInterval(300_000).withoutMaxAttempts());
      if (settings.watchNamespaces().isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(settings.watchNamespaces());
      }
    };
  }

  /** Runs one full resync now (compare Logto with the custom resources, queue what differs). */
  public ResyncService.Report resyncNow() {
    return resync.runOnce();
  }

  public Operator operator() {
    return operator;
  }

  @Override
  public void close() {
    resync.close();
    operator.stop();
  }
}
