package io.logto.operator.reconciler.common;

import io.logto.operator.logto.LogtoException;

/**
 * Why a reconcile could not bring Logto to the desired state: becomes the Ready condition's reason
 * and message. Messages are for humans and never carry a secret or a token.
 */
public final class SyncFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final Reason reason;
  private final boolean recheck;

  private SyncFailure(Reason reason, String message, Throwable cause) {
    this(reason, message, cause, false);
  }

  private SyncFailure(Reason reason, String message, Throwable cause, boolean recheck) {
    super(message, cause, false, false);
    this.reason = reason;
    this.recheck = recheck;
  }

  public Reason reason() {
    return reason;
  }

  /** Whether to look again later although the reason is permanent. */
  public boolean recheck() {
    return recheck;
  }

  /** The same failure told with another reason (e.g. a connection's Unauthorized). */
  public SyncFailure withReason(Reason other) {
    return new SyncFailure(other, getMessage(), getCause(), recheck);
  }

  public static SyncFailure invalidSpec(String message) {
    return new SyncFailure(Reason.InvalidSpec, message, null);
  }

  public static SyncFailure waitingFor(String message) {
    return new SyncFailure(Reason.WaitingForDependency, message, null);
  }

  public static SyncFailure conflict(String message) {
    return new SyncFailure(Reason.Conflict, message, null);
  }

  /**
   * A conflict with another custom resource of the operator. That object may let go without any
   * event reaching this one (it changes its spec, or never gets to write what it claims), so the
   * conflict is looked at again with backoff; the usual wake-up is the other object's deletion.
   */
  public static SyncFailure conflictWithSibling(String message) {
    return new SyncFailure(Reason.Conflict, message, null, true);
  }

  public static SyncFailure forbidden(String message) {
    return new SyncFailure(Reason.Forbidden, message, null);
  }

  public static SyncFailure deletionBlocked(String message) {
    return new SyncFailure(Reason.DeletionBlocked, message, null);
  }

  /** Classifies an error answer of Logto met while doing {@code what}. */
  public static SyncFailure fromLogto(String what, LogtoException e) {
    String detail = what + ": Logto answered " + describe(e);
    if (e.isUnavailable()) {
      return new SyncFailure(Reason.LogtoUnavailable, detail, e);
    }
    if (e.isUnauthorized()) {
      return new SyncFailure(
          Reason.Forbidden,
          detail + " (check the operator's Logto credentials and Management API access)",
          e);
    }
    if (e.isConflict()) {
      return new SyncFailure(Reason.Conflict, detail, e);
    }
    if (e.isInvalidInput()) {
      return new SyncFailure(Reason.InvalidSpec, detail, e);
    }
    return new SyncFailure(Reason.LogtoError, detail, e);
  }

  /**
   * A write the Kubernetes API refused (e.g. 422 for a Secret it finds invalid, 403 for missing
   * RBAC) is reported; anything else (conflicts, outages) is rethrown for the framework's retry.
   */
  public static SyncFailure fromKubernetes(
      io.fabric8.kubernetes.client.KubernetesClientException e) {
    String detail = "the Kubernetes API refused a write (" + e.getCode() + "): "
        + (e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : e.getMessage());
    return switch (e.getCode()) {
      case 400, 422 -> new SyncFailure(Reason.InvalidSpec, detail, e);
      case 401, 403 -> new SyncFailure(Reason.Forbidden,
          detail + " (check the operator's RBAC)", e);
      default -> throw e;
    };
  }

  private static String describe(LogtoException e) {
    if (e.status() == LogtoException.NO_RESPONSE) {
      return "nothing (" + e.getMessage() + ")";
    }
    String code = e.code() == null ? "" : " " + e.code();
    return e.status() + code + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
