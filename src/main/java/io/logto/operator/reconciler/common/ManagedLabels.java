package io.logto.operator.reconciler.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;
import java.util.Optional;

/** Labels and owner references that mark the Secrets and ConfigMaps the operator writes. */
public final class ManagedLabels {

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String OPERATOR = "logto-operator";
  /** Label selector of the informers: the operator caches only what it wrote. */
  public static final String SELECTOR = MANAGED_BY + "=" + OPERATOR;
  public static final String FINALIZER = "m2m.logto.io/finalizer";

  private ManagedLabels() {}

  public static OwnerReference ownerReference(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(false)
        .build();
  }

  /** The custom resource that controls an object the operator wrote, if it carries our label. */
  public static Optional<OwnerReference> controllerOf(HasMetadata object) {
    var labels = object.getMetadata().getLabels();
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    if (labels == null || !OPERATOR.equals(labels.get(MANAGED_BY)) || refs == null) {
      return Optional.empty();
    }
    return refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
  }

  /** Whether {@code object} carries our label and a controller reference to {@code owner}. */
  public static boolean isOwnedBy(HasMetadata object, HasMetadata owner) {
    var labels = object.getMetadata().getLabels();
    if (labels == null || !OPERATOR.equals(labels.get(MANAGED_BY))) {
      return false;
    }
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    return refs != null
        && refs.stream()
            .anyMatch(
                r ->
                    owner.getKind().equals(r.getKind())
                        && owner.getMetadata().getName().equals(r.getName())
                        && (owner.getMetadata().getUid() == null
                            || owner.getMetadata().getUid().equals(r.getUid())));
  }
}
