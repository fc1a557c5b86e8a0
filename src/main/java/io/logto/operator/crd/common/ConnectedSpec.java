package io.logto.operator.crd.common;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * spec.connectionRef, shared by the three kinds: the field and its rule (the CRD generator reads a
 * superclass's {@code @ValidationRule} into each kind's schema).
 */
// The Logto tenant an object lives in cannot change: its Logto objects would be left behind.
@ValidationRule(
    value = "has(self.connectionRef) == has(oldSelf.connectionRef)"
        + " && (!has(self.connectionRef) || self.connectionRef == oldSelf.connectionRef)",
    message = "connectionRef cannot be added, changed or removed")
public abstract class ConnectedSpec implements WithConnection {

  @JsonPropertyDescription(
      "The LogtoConnection (this namespace) or ClusterLogtoConnection to reconcile through;"
          + " unset: the operator's own connection. Immutable.")
  private ConnectionRef connectionRef;

  @Override
  public ConnectionRef getConnectionRef() {
    return connectionRef;
  }

  public void setConnectionRef(ConnectionRef connectionRef) {
    this.connectionRef = connectionRef;
  }
}
