package io.logto.operator.connection;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.logto.operator.crd.common.ConnectionRef;
import java.util.Objects;

/**
 * Which Logto tenant an object lives in: the operator's own connection (from its environment), a
 * LogtoConnection of the object's namespace, or a ClusterLogtoConnection.
 *
 * @param namespace the LogtoConnection's namespace; null for the other two
 * @param name the connection's name; null for the operator's own
 */
public record ConnectionKey(Scope scope, String namespace, String name) {

  /** The three places a connection comes from. */
  public enum Scope {
    DEFAULT,
    NAMESPACED,
    CLUSTER
  }

  public static final ConnectionKey DEFAULT = new ConnectionKey(Scope.DEFAULT, null, null);

  public static ConnectionKey namespaced(String namespace, String name) {
    return new ConnectionKey(Scope.NAMESPACED, Objects.requireNonNull(namespace),
        Objects.requireNonNull(name));
  }

  public static ConnectionKey cluster(String name) {
    return new ConnectionKey(Scope.CLUSTER, null, Objects.requireNonNull(name));
  }

  /** The connection an object names in spec.connectionRef (null: the operator's own). */
  public static ConnectionKey of(HasMetadata object, ConnectionRef ref) {
    if (ref == null || ref.getKind() == null || ref.getName() == null) {
      return DEFAULT;
    }
    return ref.getKind() == ConnectionRef.Kind.ClusterLogtoConnection
        ? cluster(ref.getName())
        : namespaced(object.getMetadata().getNamespace(), ref.getName());
  }

  /** A short label: {@code default}, {@code ns/name} or {@code cluster:name} (metrics, indexes). */
  public String label() {
    return switch (scope) {
      case DEFAULT -> "default";
      case NAMESPACED -> namespace + "/" + name;
      // ":" appears in no namespace name, so this never reads as a namespaced one.
      case CLUSTER -> "cluster:" + name;
    };
  }

  /** As a user names it: {@code LogtoConnection ns/name}, or the operator's own connection. */
  public String describe() {
    return switch (scope) {
      case DEFAULT -> "the operator's own connection";
      case NAMESPACED -> "LogtoConnection " + namespace + "/" + name;
      case CLUSTER -> "ClusterLogtoConnection " + name;
    };
  }

  @Override
  public String toString() {
    return label();
  }
}
