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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * Follows N apps by watching them and their Secrets: when each was created, when its Secret first
 * existed, when it was first Ready. Kept in flat arrays, so that following thousands of apps costs
 * a few bytes each. Figures are for all apps or for those an {@link IntPredicate} picks by index
 * (the apps of one connection).
 */
final class AppProgress implements AutoCloseable {

  private final String prefix;
  private final int apps;
  private final AtomicLongArray createdAt;
  private final AtomicLongArray secretAt;
  /** When each app was first Ready (System.nanoTime()); 0 until then. */
  private final AtomicLongArray readyAt;
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
    this.readyAt = new AtomicLongArray(apps);
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
    if (index >= 0 && ObjectState.of(app).isReady() && readyAt.compareAndSet(index, 0, now)) {
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

  /** When an app last became Ready or got its Secret: a stall shows as an old value. */
  long lastChangeNanos() {
    return lastChange.get();
  }

  /** Milliseconds from create to Secret of each of the apps {@code member} picks, sorted. */
  double[] applyToSecretMillis(IntPredicate member) {
    return IntStream.range(0, apps).filter(member)
        .mapToDouble(i -> (secretAt.get(i) - createdAt.get(i)) / 1e6)
        .sorted()
        .toArray();
  }

  /** When the last of the apps {@code member} picks was both Ready and with its Secret. */
  long lastSettledNanos(IntPredicate member) {
    return IntStream.range(0, apps).filter(member)
        .mapToLong(i -> Math.max(readyAt.get(i), secretAt.get(i)))
        .max().orElse(0);
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
