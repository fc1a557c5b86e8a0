package io.logto.operator.reconciler.common;

import io.fabric8.kubernetes.client.CustomResource;
import io.logto.operator.connection.ConnectionKey;
import io.logto.operator.crd.common.WithConnection;

/** The connection an object lives in, as a label for indexes and messages. */
public final class ConnectionLabels {

  private ConnectionLabels() {}

  public static ConnectionKey keyOf(CustomResource<?, ?> object) {
    Object spec = object.getSpec();
    return ConnectionKey.of(object,
        spec instanceof WithConnection connected ? connected.getConnectionRef() : null);
  }

  public static String tenantOf(CustomResource<?, ?> object) {
    return keyOf(object).label();
  }
}
