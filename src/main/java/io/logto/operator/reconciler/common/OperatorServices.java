package io.logto.operator.reconciler.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.logto.operator.connection.ConnectionKey;
import io.logto.operator.connection.ConnectionRegistry;
import io.logto.operator.crd.common.ConnectionRef;
import java.time.Clock;
import java.util.function.Predicate;

/**
 * What the reconcilers share: the Logto tenants by connection, the drift queue, the event
 * recorder and the clock.
 *
 * @param connectionExists whether a connection object exists in the cluster (usable or not)
 */
public record OperatorServices(
    ConnectionRegistry connections,
    Predicate<ConnectionKey> connectionExists,
    DriftQueue drift,
    EventRecorder events,
    Clock clock) {

  /** Whether the connection an object names exists, even if it is not usable yet. */
  public boolean connectionExists(HasMetadata object, ConnectionRef ref) {
    return connectionExists.test(ConnectionKey.of(object, ref));
  }
}
