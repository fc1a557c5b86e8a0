package io.logto.operator.connection;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.logto.operator.crd.connection.ClusterLogtoConnection;
import io.logto.operator.crd.connection.LogtoConnection;

/** Whether a connection object exists in the cluster, usable or not. */
public final class ConnectionObjects {

  private ConnectionObjects() {}

  public static boolean exists(KubernetesClient client, ConnectionKey key) {
    return switch (key.scope()) {
      case DEFAULT -> false;
      case NAMESPACED -> client.resources(LogtoConnection.class).inNamespace(key.namespace())
          .withName(key.name()).get() != null;
      case CLUSTER -> client.resources(ClusterLogtoConnection.class).withName(key.name())
          .get() != null;
    };
  }
}
