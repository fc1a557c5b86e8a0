package io.logto.operator.crd.common;

/** A spec that may name the Logto connection its object is reconciled through. */
public interface WithConnection {

  /** spec.connectionRef; null for the operator's own connection. */
  ConnectionRef getConnectionRef();
}
