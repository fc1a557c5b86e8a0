package io.logto.operator.sandbox;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Comparator;

/** Identifies one custom resource: its kind, namespace and name. */
public record ObjectKey(String kind, String namespace, String name) {

  /** Dependencies first (API resources, then roles, then apps), then by namespace and name. */
  public static final Comparator<ObjectKey> APPLY_ORDER =
      Comparator.comparingInt((ObjectKey k) -> Manifests.rank(k.kind()))
          .thenComparing(ObjectKey::namespace)
          .thenComparing(ObjectKey::name);

  public static ObjectKey of(HasMetadata object) {
    return new ObjectKey(object.getKind(), object.getMetadata().getNamespace(),
        object.getMetadata().getName());
  }

  /** {@code namespace/name}. */
  public String path() {
    return namespace + "/" + name;
  }

  @Override
  public String toString() {
    return kind + " " + path();
  }
}
