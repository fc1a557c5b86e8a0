package io.logto.operator.reconciler.common;

/** How a reconcile ended, as the Ready condition will say. */
public record Outcome(boolean ready, Reason reason, String message) {

  public static Outcome synced(String message) {
    return new Outcome(true, Reason.Synced, message);
  }

  public static Outcome failed(SyncFailure failure) {
    return new Outcome(false, failure.reason(), failure.getMessage());
  }
}
