package io.logto.operator.logto;

import java.time.Duration;

/**
 * Stops calling a Logto that keeps failing. After {@link #THRESHOLD} calls in a row got no answer
 * or a 5xx/429 (each after its retries), calls fail at once for a pause (2 s, doubling up to 60 s)
 * instead of holding a thread for their timeouts and retries; the first call after the pause
 * decides whether it is over. With several tenants this keeps one that is down from taking every
 * reconcile thread while the others wait.
 */
final class CircuitBreaker {

  static final int THRESHOLD = 5;
  private static final Duration FIRST_PAUSE = Duration.ofSeconds(2);
  private static final Duration MAX_PAUSE = Duration.ofSeconds(60);

  private int failuresInARow;
  private long openUntil;
  private boolean open;
  private Duration pause = FIRST_PAUSE;

  /** Refuses the call while the breaker is open. */
  synchronized void check(String call) {
    if (open && System.nanoTime() - openUntil < 0) {
      throw new LogtoException(LogtoException.NO_RESPONSE, null, call + ": not sent: Logto failed"
          + " the last " + failuresInARow + " calls; trying again in "
          + Math.max(1, (openUntil - System.nanoTime()) / 1_000_000_000) + " s");
    }
  }

  synchronized void succeeded() {
    failuresInARow = 0;
    open = false;
    pause = FIRST_PAUSE;
  }

  synchronized void failed() {
    failuresInARow++;
    if (failuresInARow >= THRESHOLD) {
      open = true;
      openUntil = System.nanoTime() + pause.toNanos();
      Duration doubled = pause.multipliedBy(2);
      pause = doubled.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : doubled;
    }
  }
}
