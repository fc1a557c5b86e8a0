package io.logto.operator.logto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

  private static RetryPolicy policy(double random) {
    return new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(2), () -> random,
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void backoffDoublesFromTheInitialOneAndIsCapped() {
    RetryPolicy atTop = policy(0.999_999_999);
    assertThat(atTop.backoff(1, null)).isBetween(Duration.ofMillis(99), Duration.ofMillis(100));
    assertThat(atTop.backoff(2, null)).isBetween(Duration.ofMillis(199), Duration.ofMillis(200));
    assertThat(atTop.backoff(3, null)).isBetween(Duration.ofMillis(399), Duration.ofMillis(400));
    assertThat(atTop.backoff(10, null)).isBetween(Duration.ofMillis(1999), Duration.ofSeconds(2));
    assertThat(atTop.backoff(1000, null)).isLessThanOrEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void backoffHasFullJitter() {
    assertThat(policy(0).backoff(3, null)).isEqualTo(Duration.ZERO);
    assertThat(policy(0.5).backoff(3, null)).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void retryAfterInSecondsWinsOverBackoffButIsCapped() {
    assertThat(policy(0).backoff(1, "1")).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy(0).backoff(1, " 0 ")).isEqualTo(Duration.ZERO);
    assertThat(policy(0).backoff(1, "120")).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy(0).backoff(1, "99999999999999999999999")).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void retryAfterAsHttpDate() {
    RetryPolicy policy = policy(0);
    assertThat(policy.parseRetryAfter("Sun, 01 Mar 2026 10:00:01 GMT"))
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.parseRetryAfter("Sun, 01 Mar 2026 09:00:00 GMT")).isEqualTo(Duration.ZERO);
    assertThat(policy.backoff(1, "Sun, 01 Mar 2026 11:00:00 GMT")).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void unreadableRetryAfterFallsBackToBackoff() {
    RetryPolicy policy = policy(0.5);
    assertThat(policy.parseRetryAfter("soon")).isNull();
    assertThat(policy.parseRetryAfter("-3")).isNull();
    assertThat(policy.parseRetryAfter(null)).isNull();
    assertThat(policy.backoff(1, "soon")).isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void repeatableRequestsAreRetriedOnEvery5xxAnd429() {
    RetryPolicy policy = policy(0);
    for (int status : new int[] {429, 500, 502, 503, 504}) {
      assertThat(policy.shouldRetry(status, true, 0)).as("status %d", status).isTrue();
    }
    for (int status : new int[] {200, 201, 204, 400, 401, 403, 404, 422}) {
      assertThat(policy.shouldRetry(status, true, 0)).as("status %d", status).isFalse();
    }
  }

  @Test
  void createsAreRetriedOnlyWhenLogtoCannotHaveProcessedThem() {
    RetryPolicy policy = policy(0);
    assertThat(policy.shouldRetry(429, false, 0)).isTrue();
    assertThat(policy.shouldRetry(503, false, 0)).isTrue();
    assertThat(policy.shouldRetry(500, false, 0)).isFalse();
    assertThat(policy.shouldRetry(502, false, 0)).isFalse();
    assertThat(policy.shouldRetry(504, false, 0)).isFalse();
  }

  @Test
  void createsAreRetriedAfterAConnectionFailureButNotAfterALostAnswer() {
    RetryPolicy policy = policy(0);
    assertThat(policy.shouldRetry(new ConnectException("refused"), false, false, 0)).isTrue();
    assertThat(policy.shouldRetry(new UnknownHostException("logto"), false, false, 0)).isTrue();
    assertThat(policy.shouldRetry(new ConnectException("refused"), true, false, 0)).isTrue();
    assertThat(policy.shouldRetry(new SocketTimeoutException("timeout"), true, false, 0))
        .isFalse();
    assertThat(policy.shouldRetry(new IOException("unexpected end of stream"), true, false, 0))
        .isFalse();
    assertThat(policy.shouldRetry(new SocketTimeoutException("connect timed out"), false, false,
        0)).isTrue();
    assertThat(policy.shouldRetry(new SocketTimeoutException("timeout"), true, true, 0)).isTrue();
  }

  @Test
  void retriesStopAtTheMaximum() {
    RetryPolicy policy = policy(0);
    assertThat(policy.shouldRetry(503, true, 2)).isTrue();
    assertThat(policy.shouldRetry(503, true, 3)).isFalse();
    assertThat(policy.shouldRetry(new ConnectException(), false, true, 3)).isFalse();
  }
}
