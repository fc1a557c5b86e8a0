package io.logto.operator.simulator;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Test controls that make calls slow or fail: added latency, the next N calls failing, a share of
 * calls failing at random. Thread-safe.
 */
final class Faults {
  private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

  private volatile Duration latency = Duration.ZERO;
  private volatile double failureShare;
  private volatile int failureStatus;
  private final Burst api = new Burst();
  private final Burst token = new Burst();

  /** A number of upcoming calls that fail with one status. */
  private static final class Burst {
    private int remaining;
    private int status;
    private Duration retryAfter;

    synchronized void set(int count, int status, Duration retryAfter) {
      this.remaining = Math.max(0, count);
      this.status = status;
      this.retryAfter = retryAfter;
    }

    synchronized ApiError take() {
      if (remaining <= 0) {
        return null;
      }
      remaining--;
      return fault(status, retryAfter);
    }
  }

  void latency(Duration perCall) {
    latency = perCall == null || perCall.isNegative() ? Duration.ZERO : perCall;
  }

  /** Sleeps the configured latency in the calling (request) thread. */
  void sleep() {
    Duration d = latency;
    if (d.isZero()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void failNextApiCalls(int count, int status, Duration retryAfter) {
    api.set(count, status, retryAfter);
  }

  void failNextTokenRequests(int count, int status, Duration retryAfter) {
    token.set(count, status, retryAfter);
  }

  void failureRate(double share, int status) {
    if (share < 0 || share > 1 || Double.isNaN(share)) {
      throw new IllegalArgumentException("share must be in [0, 1]: " + share);
    }
    failureStatus = status;
    failureShare = share;
  }

  /** The injected failure for this /api call, or null. */
  ApiError nextApiFault() {
    ApiError burst = api.take();
    if (burst != null) {
      return burst;
    }
    double share = failureShare;
    if (share > 0 && ThreadLocalRandom.current().nextDouble() < share) {
      return fault(failureStatus, null);
    }
    return null;
  }

  /** The injected failure for this /oidc/token call, or null. */
  ApiError nextTokenFault() {
    return token.take();
  }

  void clear() {
    latency = Duration.ZERO;
    failureShare = 0;
    api.set(0, 0, null);
    token.set(0, 0, null);
  }

  /**
   * The injected answer: 429 is Logto's {@code request.rate_limited} with {@code Retry-After} (1 s
   * unless given); other statuses carry {@code Retry-After} only when given.
   */
  static ApiError fault(int status, Duration retryAfter) {
    ApiError error = status == 429
        ? Errors.of(429, "request.rate_limited", "Too many requests. Please try again later.")
        : Errors.of(status, "simulator.injected_fault", "Injected fault: HTTP " + status + ".");
    Duration after = retryAfter != null ? retryAfter : status == 429 ? DEFAULT_RETRY_AFTER : null;
    if (after != null) {
      long seconds = (after.toMillis() + 999) / 1000;
      error.header("Retry-After", String.valueOf(Math.max(0, seconds)));
    }
    return error;
  }
}
