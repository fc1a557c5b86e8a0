package io.logto.operator.bench;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.reconciler.common.ManagedLabels;
import io.logto.operator.sandbox.ObjectState;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Follows N apps by watching them and their Secrets: when each was created, when its Secret first
 * existed, when it was first Ready. Kept in flat arrays, so that following thousands of apps costs
 * a few bytes each.
 */
final class AppProgress implements AutoCloseable {

  private final String prefix;
  private final int apps;
  private final AtomicLongArray createdAt;
  private final AtomicLongArray secretAt;
  private final AtomicIntegerArray ready;
  private final AtomicInteger readyCount = new AtomicInteger();
  private final AtomicInteger secretCount = new AtomicInteger();
  private final AtomicLong lastChange = new AtomicLong(System.nanoTime());
  private Watch appWatch;
  private Watch secretWatch;

  AppProgress(String appNamePrefix, int apps) {
    this.prefix = appNamePrefix;
    this.apps = apps;
    this.createdAt = new AtomicLongArray(apps);
    this.secretAt = new AtomicLongArray(apps);
    this.ready = new AtomicIntegerArray(apps);
  }

  static String appName(String prefix, int index) {
    return prefix + String.format("%05d", index);
  }

  /** Starts the watches; call before the first app is created. */
  void watch(KubernetesClient client, String namespace) {
    appWatch = client.resources(LogtoM2MApp.class).inNamespace(namespace)
        .watch(new Watcher<>() {
          @Override
          public void eventReceived(Action action, LogtoM2MApp app) {
            if (action == Action.ADDED || action == Action.MODIFIED) {
              observeApp(app, System.nanoTime());
            }
          }

          @Override
          public void onClose(WatcherException cause) {}
        });
    secretWatch = client.secrets().inNamespace(namespace)
        .withLabel(ManagedLabels.MANAGED_BY, ManagedLabels.OPERATOR)
        .watch(new Watcher<>() {
          @Override
          public void eventReceived(Action action, Secret secret) {
            if (action == Action.ADDED || action == Action.MODIFIED) {
              observeSecret(secret, System.nanoTime());
            }
          }

          @Override
          public void onClose(WatcherException cause) {}
        });
  }

  /** Catches up with a full list, in case a watch missed events. */
  void recheck(KubernetesClient client, String namespace) {
    long now = System.nanoTime();
    client.secrets().inNamespace(namespace)
        .withLabel(ManagedLabels.MANAGED_BY, ManagedLabels.OPERATOR).list().getItems()
        .forEach(s -> observeSecret(s, now));
    client.resources(LogtoM2MApp.class).inNamespace(namespace).list().getItems()
        .forEach(a -> observeApp(a, now));
  }

  void created(int index, long nanos) {
    createdAt.set(index, nanos);
  }

  private void observeApp(LogtoM2MApp app, long now) {
    int index = indexOf(app.getMetadata().getName());
    if (index >= 0 && ObjectState.of(app).isReady() && ready.compareAndSet(index, 0, 1)) {
      readyCount.incrementAndGet();
      lastChange.set(now);
    }
  }

  private void observeSecret(Secret secret, long now) {
    var owners = secret.getMetadata().getOwnerReferences();
    if (owners == null) {
      return;
    }
    for (OwnerReference owner : owners) {
      int index = "LogtoM2MApp".equals(owner.getKind()) ? indexOf(owner.getName()) : -1;
      if (index >= 0 && secretAt.compareAndSet(index, 0, now)) {
        secretCount.incrementAndGet();
        lastChange.set(now);
      }
    }
  }

  private int indexOf(String name) {
    if (name == null || !name.startsWith(prefix)) {
      return -1;
    }
    try {
      int index = Integer.parseInt(name.substring(prefix.length()));
      return index >= 0 && index < apps ? index : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  int readyCount() {
    return readyCount.get();
  }

  int secretCount() {
    return secretCount.get();
  }

  boolean complete() {
    return readyCount.get() == apps && secretCount.get() == apps;
  }

  /** When the last app became Ready or got its Secret. */
  long lastChangeNanos() {
    return lastChange.get();
  }

  /** Milliseconds from each app's create to its Secret, sorted. */
  double[] applyToSecretMillis() {
    double[] millis = new double[apps];
    for (int i = 0; i < apps; i++) {
      millis[i] = (secretAt.get(i) - createdAt.get(i)) / 1e6;
    }
    Arrays.sort(millis);
    return millis;
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  @Override
  public void close() {
    if (appWatch != null) {
      appWatch.close();
    }
    if (secretWatch != null) {
      secretWatch.close();
    }
  }
}
