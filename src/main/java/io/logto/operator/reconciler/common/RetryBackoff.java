package io.logto.operator.reconciler.common;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Per-object exponential backoff with jitter between failed reconciles, so that an outage of Logto
 * turns into a slow trickle of attempts rather than a tight loop.
 */
public final class RetryBackoff {

  private final Duration initial;
  private final Duration max;
  private final Map<ResourceID, Integer> attempts = new ConcurrentHashMap<>();

  public RetryBackoff(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
  }

  /** Delay before the next attempt, growing with each consecutive failure. */
  public Duration next(ResourceID id) {
    int attempt = attempts.merge(id, 1, Integer::sum);
    long base = initial.toMillis() << Math.min(attempt - 1, 20);
    long capped = Math.min(base, max.toMillis());
    // Jitter in [capped/2, capped] spreads thousands of objects failing at once.
    long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    return Duration.ofMillis(jittered);
  }

  public void reset(ResourceID id) {
    attempts.remove(id);
  }

  public int failures(ResourceID id) {
    return attempts.getOrDefault(id, 0);
  }
}
