package io.logto.operator.reconciler.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Which custom resource of one kind owns a Logto object that Logto keeps unique by a key (an API
 * resource by its indicator, a role by its name), so that a Conflict names that object instead of
 * blaming something outside the operator. A resource owns what its own status records: the Logto
 * id, or the key as {@code pendingCreate} while its create may be in flight.
 *
 * <p>Objects of any watched namespace count: the keys are unique in the whole Logto tenant; and
 * only objects of the same tenant (connection) count, since another tenant has keys of its own. The
 * candidates come from an index on the primary cache and are read again through the cache, which
 * holds this operator's own status writes before the informer sees them: a sibling that recorded
 * its intent a moment ago is found.
 */
public final class LogtoKeyOwners<P extends HasMetadata> {

  private static final String KEY = "key:";
  private static final String ID = "id:";

  private final String indexName;
  private final Function<P, String> wantedKey;
  private final Function<P, String> recordedId;
  private final Function<P, String> pendingKey;
  private final Predicate<P> retainsOnDeletion;
  private final Function<P, String> tenantOf;
  private final ReconcileTrigger<P> trigger;
  private IndexedResourceCache<P> cache;

  /**
   * @param wantedKey the key the spec asks for (null when there is none)
   * @param recordedId the Logto id in status
   * @param pendingKey the key in status.pendingCreate
   * @param retainsOnDeletion whether deleting the object leaves its Logto object in place (then an
   *     object being deleted no longer owns it)
   * @param tenantOf the Logto tenant (connection) the object lives in, as a label
   * @param trigger wakes the objects that wait for a key another one let go of
   */
  public LogtoKeyOwners(
      String indexName,
      Function<P, String> wantedKey,
      Function<P, String> recordedId,
      Function<P, String> pendingKey,
      Predicate<P> retainsOnDeletion,
      Function<P, String> tenantOf,
      ReconcileTrigger<P> trigger) {
    this.indexName = indexName;
    this.wantedKey = wantedKey;
    this.recordedId = recordedId;
    this.pendingKey = pendingKey;
    this.retainsOnDeletion = retainsOnDeletion;
    this.tenantOf = tenantOf;
    this.trigger = trigger;
  }

  public void register(IndexerResourceCache<P> primaryCache) {
    this.cache = primaryCache;
    primaryCache.addIndexer(indexName, p -> {
      List<String> keys = new ArrayList<>(2);
      String tenant = tenantOf.apply(p) + " ";
      String key = wantedKey.apply(p);
      if (key != null) {
        keys.add(tenant + KEY + key);
      }
      String id = recordedId.apply(p);
      if (id != null) {
        keys.add(tenant + ID + id);
      }
      return keys;
    });
  }

  /**
   * The object that owns the Logto object {@code logtoId} found under {@code key}: the one whose
   * status records that id, else the oldest whose status records the key as about to be created
   * (one of those created it; an outage or a crash kept it from recording the id). Empty when no
   * custom resource of the kind owns it.
   *
   * @param selfPending whether {@code self} recorded the key as about to be created and may have
   *     created it itself; {@code self} is then a candidate like the others and may be the answer
   */
  public Optional<P> owner(P self, boolean selfPending, String key, String logtoId) {
    Map<ResourceID, P> candidates = new LinkedHashMap<>();
    String tenant = tenantOf.apply(self) + " ";
    collect(tenant + KEY + key, candidates);
    if (logtoId != null) {
      collect(tenant + ID + logtoId, candidates);
    }
    List<Ranked<P>> owners = new ArrayList<>();
    for (P candidate : candidates.values()) {
      if (ObjectNames.sameObject(candidate, self)
          || (candidate.getMetadata().getDeletionTimestamp() != null
              && retainsOnDeletion.test(candidate))) {
        continue;
      }
      String id = recordedId.apply(candidate);
      if (id != null && id.equals(logtoId)) {
        owners.add(new Ranked<>(0, candidate));
      } else if (id == null && key.equals(pendingKey.apply(candidate))) {
        owners.add(new Ranked<>(1, candidate));
      }
    }
    if (selfPending) {
      owners.add(new Ranked<>(1, self));
    }
    return owners.stream()
        .min(Comparator.comparingInt((Ranked<P> r) -> r.rank())
            .thenComparing(r -> r.object(), ObjectNames.OLDEST_FIRST))
        .map(Ranked::object);
  }

  /** Queues a reconcile of the other objects that ask for {@code key}: it may be free now. */
  public void wakeWaitingFor(P self, String key) {
    if (cache == null || key == null) {
      return;
    }
    cache.byIndex(indexName, tenantOf.apply(self) + " " + KEY + key).stream()
        .filter(p -> !ObjectNames.sameObject(p, self))
        .map(ResourceID::fromResource)
        .forEach(trigger::trigger);
  }

  private void collect(String indexKey, Map<ResourceID, P> into) {
    if (cache == null) {
      return;
    }
    for (P indexed : cache.byIndex(indexName, indexKey)) {
      ResourceID id = ResourceID.fromResource(indexed);
      if (!into.containsKey(id)) {
        cache.get(id).ifPresent(fresh -> into.put(id, fresh));
      }
    }
  }

  private record Ranked<P>(int rank, P object) {}
}
