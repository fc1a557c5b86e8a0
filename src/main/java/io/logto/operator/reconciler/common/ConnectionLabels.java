package io.logto.operator.reconciler.common;

import io.fabric8.kubernetes.client.CustomResource;
import io.logto.operator.connection.ConnectionKey;
import io.logto.operator.crd.common.ConnectionRef;
import io.logto.operator.crd.common.WithConnection;

/** The connection an object lives in, as a label for indexes and messages. */
public final class ConnectionLabels {

  private ConnectionLabels() {}

  /** The connection the object names in spec.connectionRef; null for the operator's own. */
  public static ConnectionRef refOf(CustomResource<?, ?> object) {
    return object.getSpec() instanceof WithConnection connected
        ? connected.getConnectionRef() : null;
  }

  public static ConnectionKey keyOf(CustomResource<?, ?> object) {
    return ConnectionKey.of(object, refOf(object));
  }

  public static String tenantOf(CustomResource<?, ?> object) {
    return keyOf(object).label();
  }
}
