package io.logto.operator.logto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong now = new AtomicLong(42 * SECOND);
  private final CircuitBreaker breaker = new CircuitBreaker(now::get);

  private void failTimes(int times) {
    for (int i = 0; i < times; i++) {
      breaker.failed();
    }
  }

  private void passes() {
    assertThatCode(() -> breaker.check("GET /api/roles")).doesNotThrowAnyException();
  }

  private LogtoException refused() {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
        () -> breaker.check("GET /api/roles"));
    assertThat(thrown).isInstanceOf(LogtoException.class);
    return (LogtoException) thrown;
  }

  @Test
  void opensAfterFiveFailuresInARowAndSaysWhenItTriesAgain() {
    failTimes(CircuitBreaker.THRESHOLD - 1);
    passes();
    breaker.failed();
    LogtoException e = refused();
    assertThat(e.status()).isEqualTo(LogtoException.NO_RESPONSE);
    assertThat(e.isUnavailable()).as("objects report LogtoUnavailable, not a bad spec").isTrue();
    assertThat(e.getMessage()).isEqualTo("GET /api/roles: not sent: Logto failed the last 5"
        + " calls; trying again in 2 s");
  }

  @Test
  void aSuccessInBetweenStartsTheCountAgain() {
    failTimes(CircuitBreaker.THRESHOLD - 1);
    breaker.succeeded();
    failTimes(CircuitBreaker.THRESHOLD - 1);
    passes();
  }

  @Test
  void thePauseDoublesWhileLogtoStaysDownUpToThirtySeconds() {
    failTimes(CircuitBreaker.THRESHOLD);
    long[] pauses = {2, 4, 8, 16, 30, 30};
    for (long pause : pauses) {
      now.addAndGet(pause * SECOND - 1);
      refused();
      now.addAndGet(1);
      passes();
      breaker.failed();
    }
    assertThat(refused().getMessage()).endsWith("trying again in 30 s");
  }

  @Test
  void callsThatFailWhileItIsOpenDoNotLengthenThePause() {
    failTimes(CircuitBreaker.THRESHOLD + 20);
    now.addAndGet(2 * SECOND);
    passes();
    failTimes(3);
    assertThat(refused().getMessage()).as("only the first failure after the pause doubles it")
        .endsWith("trying again in 4 s");
  }

  @Test
  void oneAnswerAfterThePauseClosesItAndResetsThePause() {
    failTimes(CircuitBreaker.THRESHOLD);
    now.addAndGet(2 * SECOND);
    breaker.failed();
    now.addAndGet(4 * SECOND);
    passes();
    breaker.succeeded();
    passes();
    failTimes(CircuitBreaker.THRESHOLD);
    now.addAndGet(2 * SECOND);
    passes();
  }

  @Test
  void refusesWithoutThrowingAnythingButLogtoException() {
    failTimes(CircuitBreaker.THRESHOLD);
    assertThatThrownBy(() -> breaker.check("POST /api/applications"))
        .isExactlyInstanceOf(LogtoException.class)
        .hasMessageStartingWith("POST /api/applications: not sent");
  }
}
