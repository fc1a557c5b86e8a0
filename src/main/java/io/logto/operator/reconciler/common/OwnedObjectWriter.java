package io.logto.operator.reconciler.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Objects;
import java.util.Optional;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * Creates, updates and deletes the ConfigMaps and Secrets the operator writes, never touching one
 * it does not own: an object of the same name without our label and owner reference is a Conflict.
 */
public final class OwnedObjectWriter {

  private final KubernetesClient client;
  private final ForeignObjectWatch foreign;
  private final Map<String, Consumer<ResourceID>> wakers = new ConcurrentHashMap<>();

  public OwnedObjectWriter(KubernetesClient client) {
    this.client = client;
    this.foreign = new ForeignObjectWatch(client);
  }

  /**
   * How to wake an owner of this kind once the foreign object its Conflict names is deleted: a
   * Conflict with someone else's object then clears by itself.
   */
  public void wakeOwnersOfKind(String kind, Consumer<ResourceID> wake) {
    wakers.put(kind, wake);
  }

  /** What {@link #ensure} did. */
  public enum Change {
    NONE,
    CREATED,
    UPDATED
  }

  /** What {@link #ensure} did, and the object as the API server now holds it. */
  public record Written<T extends HasMetadata>(Change change, T object) {}

  /**
   * Makes the object match {@code desired}.
   *
   * @param cached the object from the operator's (label-filtered) cache, if it is there; a miss
   *     is not read again: the create then fails with 409 if a foreign object has the name
   * @param sameContent whether an existing object already matches the desired one
   * @param field the spec field that names the object, for the Conflict message
   * @throws SyncFailure Conflict when an object of that name exists and is not ours
   */
  public <T extends HasMetadata> Written<T> ensure(
      HasMetadata owner, T desired, Optional<T> cached, BiPredicate<T, T> sameContent,
      String field) {
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) desired.getClass();
    String namespace = desired.getMetadata().getNamespace();
    String name = desired.getMetadata().getName();
    T existing = cached.orElse(null);
    if (existing == null) {
      try {
        return new Written<>(Change.CREATED, client.resource(desired).create());
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        existing = client.resources(type).inNamespace(namespace).withName(name).get();
        if (existing == null) {
          throw e;
        }
      }
    }
    if (!ManagedLabels.isOwnedBy(existing, owner)) {
      throw taken(existing, owner, field);
    }
    if (sameContent.test(existing, desired)
        && Objects.equals(existing.getMetadata().getLabels(), desired.getMetadata().getLabels())
        && Objects.equals(
            nullToEmpty(existing.getMetadata().getAnnotations()),
            nullToEmpty(desired.getMetadata().getAnnotations()))) {
      return new Written<>(Change.NONE, existing);
    }
    desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
    return new Written<>(Change.UPDATED, client.resource(desired).update());
  }

  /**
   * Throws Conflict when an object of that name exists and is not {@code owner}'s: checked before
   * anything is created in Logto. Reads the API server, as the cache holds only what we wrote.
   */
  public <T extends HasMetadata> void checkNotTaken(
      Class<T> type, HasMetadata owner, String namespace, String name, String field) {
    T existing = client.resources(type).inNamespace(namespace).withName(name).get();
    if (existing != null && !ManagedLabels.isOwnedBy(existing, owner)) {
      throw taken(existing, owner, field);
    }
  }

  /** The Conflict for an object someone else has: another custom resource, or nothing we know. */
  private SyncFailure taken(HasMetadata existing, HasMetadata owner, String field) {
    String namespace = existing.getMetadata().getNamespace();
    String what = HasMetadata.getKind(existing.getClass()) + " " + existing.getMetadata().getName();
    Optional<OwnerReference> controller = ManagedLabels.controllerOf(existing);
    if (controller.isEmpty()) {
      Consumer<ResourceID> wake = wakers.get(owner.getKind());
      if (wake != null) {
        foreign.wakeWhenGone(existing, ResourceID.fromResource(owner), wake);
      }
      return SyncFailure.conflict(field + ": " + what + " already exists and was not created by"
          + " the operator; it is left untouched (choose another name)");
    }
    OwnerReference ref = controller.get();
    String other = ObjectNames.of(ref.getKind(), namespace, ref.getName());
    if (ref.getKind().equals(owner.getKind())
        && ref.getName().equals(owner.getMetadata().getName())) {
      return SyncFailure.conflictWithSibling(field + ": " + what + " belongs to an earlier "
          + other + " (another uid); it is left untouched until Kubernetes removes it");
    }
    return SyncFailure.conflictWithSibling(field + ": " + other + " owns " + what
        + "; it is left untouched (choose another name)");
  }

  /** Deletes the object if it exists and is ours; anything else is left alone. */
  public <T extends HasMetadata> boolean deleteIfOwned(
      Class<T> type, HasMetadata owner, String namespace, String name) {
    if (name == null) {
      return false;
    }
    T existing = client.resources(type).inNamespace(namespace).withName(name).get();
    if (existing == null || !ManagedLabels.isOwnedBy(existing, owner)) {
      return false;
    }
    client.resource(existing).delete();
    return true;
  }

  private static java.util.Map<String, String> nullToEmpty(java.util.Map<String, String> map) {
    return map == null ? java.util.Map.of() : map;
  }
}
