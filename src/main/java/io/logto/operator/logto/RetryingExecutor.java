package io.logto.operator.logto;

import io.logto.operator.logto.HttpExchanger.ExchangeFailure;
import java.time.Duration;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a request, and sends it again after a pause while the {@link RetryPolicy} says so. Returns
 * the last answer, whatever its status; throws only when no answer came at all.
 */
final class RetryingExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(RetryingExecutor.class);

  private final HttpExchanger exchanger;
  private final RetryPolicy policy;
  private final CircuitBreaker breaker = new CircuitBreaker();

  RetryingExecutor(HttpExchanger exchanger, RetryPolicy policy) {
    this.exchanger = exchanger;
    this.policy = policy;
  }

  /**
   * @param repeatable whether sending the request twice is harmless (see {@link RetryPolicy})
   * @throws LogtoException with status {@link LogtoException#NO_RESPONSE} when no answer came
   */
  Answer execute(Request request, boolean repeatable) {
    String call = request.method() + " " + PathTemplate.of(request);
    breaker.check(call);
    try {
      Answer answer = send(request, repeatable, call);
      if (answer.status() == 429 || answer.status() >= 500) {
        breaker.failed();
      } else {
        breaker.succeeded();
      }
      return answer;
    } catch (LogtoException e) {
      breaker.failed();
      throw e;
    }
  }

  private Answer send(Request request, boolean repeatable, String call) {
    try {
      for (int retries = 0; ; retries++) {
        Duration pause;
        try {
          Answer answer = exchanger.exchange(request);
          if (!policy.shouldRetry(answer.status(), repeatable, retries)) {
            return answer;
          }
          pause = policy.backoff(retries + 1, answer.header("Retry-After"));
          LOG.debug("{} answered {}; retry {} of {} in {} ms",
              call, answer.status(), retries + 1, policy.maxRetries(), pause.toMillis());
        } catch (ExchangeFailure failure) {
          if (!policy.shouldRetry(failure.io(), failure.requestSent(), repeatable, retries)) {
            throw new LogtoException(
                LogtoException.NO_RESPONSE,
                null,
                call + ": no answer from Logto (" + describe(failure) + ")",
                failure.io());
          }
          pause = policy.backoff(retries + 1, null);
          LOG.debug("{} failed ({}); retry {} of {} in {} ms",
              call, describe(failure), retries + 1, policy.maxRetries(), pause.toMillis());
        }
        Thread.sleep(pause.toMillis(), pause.toNanosPart() % 1_000_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LogtoException(LogtoException.NO_RESPONSE, null, call + ": interrupted", e);
    }
  }

  private static String describe(ExchangeFailure failure) {
    String message = failure.io().getMessage();
    return failure.io().getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
