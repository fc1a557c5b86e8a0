package io.logto.operator.drift;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.logto.LogtoApi;
import io.logto.operator.reconciler.common.DriftQueue;
import io.logto.operator.reconciler.common.DriftTrigger;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Periodically compares Logto with the custom resources and queues those that drifted. */
public final class ResyncService implements AutoCloseable {

  /** What one resync found. */
  public record Report(int checked, int drifted) {}

  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "logto-resync");
        t.setDaemon(true);
        return t;
      });

  public ResyncService(
      KubernetesClient client,
      LogtoApi logto,
      DriftQueue queue,
      DriftTrigger<LogtoApiResource> resources,
      DriftTrigger<LogtoRole> roles,
      DriftTrigger<LogtoM2MApp> apps,
      Set<String> namespaces) {}

  public void schedule(Duration interval) {}

  public Report runOnce() {
    return new Report(0, 0);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
