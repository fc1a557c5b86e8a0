package io.logto.operator.logto;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Stops calling a Logto that keeps failing. After {@link #THRESHOLD} calls in a row got no answer
 * or a 5xx/429 (each after its retries), calls fail at once for a pause (2 s, doubling up to 30 s)
 * instead of holding a thread for their timeouts and retries; the calls after the pause decide
 * whether it is over. With several tenants this keeps one that is down from taking every
 * reconcile thread while the others wait.
 */
final class CircuitBreaker {

  static final int THRESHOLD = 5;
  private static final Duration FIRST_PAUSE = Duration.ofSeconds(2);
  private static final Duration MAX_PAUSE = Duration.ofSeconds(30);

  private final LongSupplier nanoTime;
  private int failuresInARow;
  /** While {@link #failuresInARow} is at least the threshold: until when calls are refused. */
  private long openUntil;
  private Duration pause = FIRST_PAUSE;

  CircuitBreaker() {
    this(System::nanoTime);
  }

  CircuitBreaker(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** Refuses the call while the breaker is open. */
  synchronized void check(String call) {
    if (failuresInARow >= THRESHOLD && nanoTime.getAsLong() - openUntil < 0) {
      throw new LogtoException(LogtoException.NO_RESPONSE, null, call + ": not sent: Logto failed"
          + " the last " + failuresInARow + " calls; trying again in "
          + Math.max(1, (openUntil - nanoTime.getAsLong()) / 1_000_000_000) + " s");
    }
  }

  synchronized void succeeded() {
    failuresInARow = 0;
    pause = FIRST_PAUSE;
  }

  synchronized void failed() {
    failuresInARow++;
    if (failuresInARow < THRESHOLD) {
      return;
    }
    long now = nanoTime.getAsLong();
    if (failuresInARow > THRESHOLD) {
      if (now - openUntil < 0) {
        // A call that was already under way when the breaker opened: the pause stands.
        return;
      }
      // A call let through after the pause failed too: wait longer this time.
      Duration doubled = pause.multipliedBy(2);
      pause = doubled.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : doubled;
    }
    openUntil = now + pause.toNanos();
  }
}
