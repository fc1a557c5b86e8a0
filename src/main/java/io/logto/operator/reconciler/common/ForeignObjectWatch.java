package io.logto.operator.reconciler.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the custom resources blocked by a Secret or ConfigMap the operator does not own (a
 * Conflict) when that object goes away. The operator's informers see only objects with its label,
 * and watching every Secret of the cluster is not an option: one watch per blocking object, by
 * name, for as long as something waits on it.
 */
public final class ForeignObjectWatch implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ForeignObjectWatch.class);

  /** The object in the way: its kind, namespace and name. */
  private record Blocker(Class<? extends HasMetadata> type, String namespace, String name) {}

  /** A custom resource waiting, and how to wake it. */
  private record Waiter(ResourceID id, Consumer<ResourceID> wake) {}

  private final KubernetesClient client;
  private final Map<Blocker, Set<Waiter>> waiting = new ConcurrentHashMap<>();
  private final Map<Blocker, Watch> watches = new ConcurrentHashMap<>();

  public ForeignObjectWatch(KubernetesClient client) {
    this.client = client;
  }

  /** Wakes {@code waiter} (through {@code wake}) once {@code existing} is deleted. */
  public void wakeWhenGone(HasMetadata existing, ResourceID waiter, Consumer<ResourceID> wake) {
    Blocker blocker = new Blocker(existing.getClass(), existing.getMetadata().getNamespace(),
        existing.getMetadata().getName());
    waiting.computeIfAbsent(blocker, b -> ConcurrentHashMap.newKeySet())
        .add(new Waiter(waiter, wake));
    watches.computeIfAbsent(blocker, this::watch);
    // Deleted between the read that found it and the watch: no event will come.
    if (client.resources(blocker.type()).inNamespace(blocker.namespace())
        .withName(blocker.name()).get() == null) {
      gone(blocker);
    }
  }

  private Watch watch(Blocker blocker) {
    return watch(blocker.type(), blocker);
  }

  private <T extends HasMetadata> Watch watch(Class<T> type, Blocker blocker) {
    try {
      return client.resources(type).inNamespace(blocker.namespace())
          .withName(blocker.name()).watch(new Watcher<T>() {
            @Override
            public void eventReceived(Action action, T object) {
              if (action == Action.DELETED) {
                gone(blocker);
              }
            }

            @Override
            public void onClose(WatcherException cause) {
              // The API server ended the watch (too old a version, say): wake the waiters,
              // whose reconcile looks again and watches anew if it is still in the way.
              LOG.debug("watch of {} {}/{} closed: {}", blocker.type().getSimpleName(),
                  blocker.namespace(), blocker.name(), cause.getMessage());
              gone(blocker);
            }
          });
    } catch (KubernetesClientException e) {
      LOG.debug("cannot watch {} {}/{}: {}", blocker.type().getSimpleName(),
          blocker.namespace(), blocker.name(), e.getMessage());
      return null;
    }
  }

  private void gone(Blocker blocker) {
    Watch watch = watches.remove(blocker);
    if (watch != null) {
      watch.close();
    }
    Set<Waiter> woken = waiting.remove(blocker);
    for (Waiter waiter : woken == null ? Set.<Waiter>of() : new HashSet<>(woken)) {
      waiter.wake().accept(waiter.id());
    }
  }

  @Override
  public void close() {
    watches.values().forEach(Watch::close);
    watches.clear();
    waiting.clear();
  }
}
