package io.logto.operator.logto;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.DoubleSupplier;

/**
 * When to try a call to Logto again, and after how long.
 *
 * <p>A request that may create something (a POST creating an application, a secret, a role...) is
 * tried again only when Logto cannot have processed it: 429 and 503 (refused before any work) or a
 * connection that failed before the request was sent. After a 500, 502, 504 or a lost answer the
 * object may exist, and a second POST could make a duplicate application; the operator's reconcilers
 * recover from that state themselves. Every other request is tried again on 429, 5xx and I/O errors.
 */
final class RetryPolicy {

  private final int maxRetries;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final DoubleSupplier random;
  private final Clock clock;

  RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff) {
    this(maxRetries, initialBackoff, maxBackoff, Math::random, Clock.systemUTC());
  }

  RetryPolicy(
      int maxRetries,
      Duration initialBackoff,
      Duration maxBackoff,
      DoubleSupplier random,
      Clock clock) {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative");
    }
    if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
      throw new IllegalArgumentException("backoffs must not be negative");
    }
    this.maxRetries = maxRetries;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.random = random;
    this.clock = clock;
  }

  /** Whether an answer with this status, after {@code retriesDone} retries, deserves another. */
  boolean shouldRetry(int status, boolean repeatable, int retriesDone) {
    if (retriesDone >= maxRetries) {
      return false;
    }
    if (status == 429 || status == 503) {
      return true;
    }
    return repeatable && status >= 500;
  }

  /**
   * Whether a call that got no answer deserves another. {@code requestSent} tells whether the
   * request went out at all: if it did not, Logto has not seen it and even a create is safe to send
   * again.
   */
  boolean shouldRetry(Exception failure, boolean requestSent, boolean repeatable, int retriesDone) {
    if (retriesDone >= maxRetries) {
      return false;
    }
    return repeatable || !requestSent || failedBeforeSending(failure);
  }

  private static boolean failedBeforeSending(Exception failure) {
    return failure instanceof ConnectException
        || failure instanceof UnknownHostException
        || failure instanceof NoRouteToHostException;
  }

  /**
   * The pause before retry number {@code retry} (1 for the first): Logto's Retry-After when given,
   * else exponential backoff with full jitter; both capped at maxBackoff.
   */
  Duration backoff(int retry, String retryAfter) {
    Duration asked = parseRetryAfter(retryAfter);
    if (asked != null) {
      return min(asked, maxBackoff);
    }
    Duration ceiling = min(exponential(retry), maxBackoff);
    return Duration.ofNanos((long) (random.getAsDouble() * ceiling.toNanos()));
  }

  private Duration exponential(int retry) {
    int doublings = Math.max(0, Math.min(retry - 1, 30));
    long nanos = initialBackoff.toNanos();
    for (int i = 0; i < doublings && nanos < maxBackoff.toNanos(); i++) {
      nanos = nanos > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : nanos * 2;
    }
    return Duration.ofNanos(nanos);
  }

  /**
   * A Retry-After header (RFC 9110 section 10.2.3): delay-seconds or an HTTP-date; null when absent
   * or unreadable. A date in the past means no wait.
   */
  Duration parseRetryAfter(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String text = value.trim();
    if (text.chars().allMatch(Character::isDigit)) {
      try {
        return Duration.ofSeconds(Long.parseLong(text));
      } catch (NumberFormatException e) {
        return maxBackoff; // more digits than a long: "very long"
      }
    }
    try {
      Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(clock.instant(), at);
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  int maxRetries() {
    return maxRetries;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
