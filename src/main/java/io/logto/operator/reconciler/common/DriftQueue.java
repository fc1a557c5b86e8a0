package io.logto.operator.reconciler.common;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Objects whose Logto state was found to differ from what their status says was applied: their
 * next reconcile must not take the "nothing changed" shortcut. Filled by the periodic resync.
 */
public final class DriftQueue {

  private final Set<Key> pending = ConcurrentHashMap.newKeySet();

  public record Key(String kind, ResourceID id) {}

  public void mark(String kind, ResourceID id) {
    pending.add(new Key(kind, id));
  }

  /** Whether the object was marked; the mark is consumed. */
  public boolean take(String kind, ResourceID id) {
    return pending.remove(new Key(kind, id));
  }

  public boolean isMarked(String kind, ResourceID id) {
    return pending.contains(new Key(kind, id));
  }
}
