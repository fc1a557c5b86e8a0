package io.logto.operator.reconciler.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * Decides which of the custom resources of one kind that name the same Secret (or ConfigMap) in a
 * namespace may write it, before anything is created in Logto. "Does the Secret exist yet?" is not
 * enough: two objects applied together both find none, both create in Logto, and one of them then
 * cannot write its credentials anywhere.
 *
 * <p>The winner, in this order: an object that holds the name (its status says it wrote it, or it
 * has a Logto create in flight or done whose output has not landed yet); an object that won it
 * earlier in this process; the oldest (creation time, then uid). The decision and the record of
 * the win are one step under a lock, so two reconciles running at once cannot both win. The record
 * is in memory because one operator reconciles at a time (leader election); a new leader finds the
 * holders in status, since an object records its intent there before its first Logto create.
 * Objects being deleted or with an invalid spec do not compete.
 */
public final class NameClaims<P extends HasMetadata> {

  private final String indexName;
  private final Function<P, String> wantedName;
  private final BiPredicate<P, String> holds;
  private final ReconcileTrigger<P> trigger;
  /** The name each object won, by uid, as namespace/name. */
  private final Map<String, String> won = new HashMap<>();
  private IndexedResourceCache<P> cache;

  /**
   * @param wantedName the name the object's spec asks for; null when the spec is invalid
   * @param holds whether the object's status shows that it holds the name
   * @param trigger wakes the objects that wait for a name another one let go of
   */
  public NameClaims(
      String indexName,
      Function<P, String> wantedName,
      BiPredicate<P, String> holds,
      ReconcileTrigger<P> trigger) {
    this.indexName = indexName;
    this.wantedName = wantedName;
    this.holds = holds;
    this.trigger = trigger;
  }

  public void register(IndexerResourceCache<P> primaryCache) {
    this.cache = primaryCache;
    primaryCache.addIndexer(indexName, p -> {
      String name = wantedName.apply(p);
      return name == null ? List.of() : List.of(key(p.getMetadata().getNamespace(), name));
    });
  }

  /**
   * Claims {@code name} for {@code self}, the object being reconciled (as it was read for this
   * reconcile).
   *
   * @return the object that wins the name instead, or empty when {@code self} does
   */
  public Optional<P> claim(P self, String name) {
    String key = key(self.getMetadata().getNamespace(), name);
    String released;
    P winner;
    synchronized (this) {
      List<P> contenders = new ArrayList<>();
      contenders.add(self);
      for (P other : competitors(self, key, name)) {
        contenders.add(other);
      }
      winner = contenders.stream()
          .min(Comparator.comparingInt((P p) -> rank(p, key, name))
              .thenComparing(ObjectNames.OLDEST_FIRST))
          .orElseThrow();
      String uid = self.getMetadata().getUid();
      released = winner == self ? won.put(uid, key) : won.remove(uid);
    }
    if (released != null && !released.equals(key)) {
      wake(self, released);
    }
    return winner == self ? Optional.empty() : Optional.of(winner);
  }

  /**
   * Forgets what {@code self} won (it is being deleted, or moved to another name) and wakes the
   * objects waiting for the given names.
   */
  public void release(P self, String... names) {
    Set<String> keys = new LinkedHashSet<>();
    synchronized (this) {
      String released = won.remove(self.getMetadata().getUid());
      if (released != null) {
        keys.add(released);
      }
    }
    for (String name : names) {
      if (name != null) {
        keys.add(key(self.getMetadata().getNamespace(), name));
      }
    }
    keys.forEach(key -> wake(self, key));
  }

  /** Queues a reconcile of the other objects that ask for {@code name}: it may be free now. */
  public void wakeWaitingFor(P self, String name) {
    if (name != null) {
      wake(self, key(self.getMetadata().getNamespace(), name));
    }
  }

  private void wake(P self, String key) {
    if (cache == null) {
      return;
    }
    cache.byIndex(indexName, key).stream()
        .filter(p -> !ObjectNames.sameObject(p, self))
        .map(ResourceID::fromResource)
        .forEach(trigger::trigger);
  }

  private List<P> competitors(P self, String key, String name) {
    List<P> result = new ArrayList<>();
    if (cache == null) {
      return result;
    }
    for (P indexed : cache.byIndex(indexName, key)) {
      if (ObjectNames.sameObject(indexed, self)) {
        continue;
      }
      // Read again: the cache holds this operator's latest status writes before the informer.
      cache.get(ResourceID.fromResource(indexed))
          .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
          .filter(p -> name.equals(wantedName.apply(p)))
          .ifPresent(result::add);
    }
    return result;
  }

  private int rank(P contender, String key, String name) {
    if (holds.test(contender, name)) {
      return 0;
    }
    return key.equals(won.get(contender.getMetadata().getUid())) ? 1 : 2;
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
