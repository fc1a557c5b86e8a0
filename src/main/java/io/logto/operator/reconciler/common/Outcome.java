package io.logto.operator.reconciler.common;

/**
 * How a reconcile ended, as the Ready condition will say.
 *
 * @param recheck whether to look again later although nothing failed (e.g. a credentials check
 *     that did not pass yet) or the failure is permanent (a conflict with another object), with
 *     the backoff
 * @param lookAgainIn when something is due by the clock (a scheduled rotation), how soon to
 *     reconcile again; null for never
 */
public record Outcome(boolean ready, Reason reason, String message, boolean recheck,
    java.time.Duration lookAgainIn) {

  public Outcome(boolean ready, Reason reason, String message, boolean recheck) {
    this(ready, reason, message, recheck, null);
  }

  public static Outcome synced(String message) {
    return new Outcome(true, Reason.Synced, message, false);
  }

  public static Outcome failed(SyncFailure failure) {
    return new Outcome(false, failure.reason(), failure.getMessage(), failure.recheck());
  }

  public Outcome withRecheck() {
    return new Outcome(ready, reason, message, true, lookAgainIn);
  }

  public Outcome lookingAgainIn(java.time.Duration delay) {
    return new Outcome(ready, reason, message, recheck, delay);
  }
}
