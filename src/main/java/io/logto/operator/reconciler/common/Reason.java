package io.logto.operator.reconciler.common;

/** Condition reasons (CamelCase, as Kubernetes conventions ask). */
public enum Reason {
  Synced(false),
  WaitingForDependency(false),
  InvalidSpec(true),
  Conflict(true),
  Forbidden(true),
  LogtoUnavailable(false),
  LogtoError(false),
  DeletionBlocked(false),
  ReconcileError(false),
  Verified(false),
  ScopesMissing(false),
  VerificationFailed(false),
  NotChecked(false),
  /** Of a connection: a Management API token was obtained with its credentials. */
  Connected(false),
  /** Of a connection: Logto refused its credentials. */
  Unauthorized(true),
  /** Of a connection: Logto did not answer. */
  Unreachable(false);

  private final boolean permanent;

  Reason(boolean permanent) {
    this.permanent = permanent;
  }

  /** A failure that retrying will not fix: it waits for a change of the spec or of Logto. */
  public boolean isPermanent() {
    return permanent;
  }
}
