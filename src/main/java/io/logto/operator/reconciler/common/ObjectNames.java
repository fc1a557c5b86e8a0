package io.logto.operator.reconciler.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Comparator;

/** How messages name a Kubernetes object, and the order in which siblings' claims count. */
public final class ObjectNames {

  /**
   * Oldest first: creation time, then uid. The API server stamps creation to the second, so two
   * objects of one apply often tie; the uid makes the order total and the same for every reader.
   */
  public static final Comparator<HasMetadata> OLDEST_FIRST =
      Comparator.comparing((HasMetadata o) -> o.getMetadata().getCreationTimestamp(),
              Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(o -> o.getMetadata().getUid(),
              Comparator.nullsLast(Comparator.naturalOrder()));

  private ObjectNames() {}

  /** {@code Kind namespace/name}, e.g. {@code LogtoApiResource default/shop}. */
  public static String of(HasMetadata object) {
    return of(object.getKind(), object.getMetadata().getNamespace(),
        object.getMetadata().getName());
  }

  public static String of(String kind, String namespace, String name) {
    return kind + " " + namespace + "/" + name;
  }

  static boolean sameObject(HasMetadata a, HasMetadata b) {
    String uid = a.getMetadata().getUid();
    return uid != null
        ? uid.equals(b.getMetadata().getUid())
        : a.getMetadata().getName().equals(b.getMetadata().getName())
            && a.getMetadata().getNamespace().equals(b.getMetadata().getNamespace());
  }
}
