package io.logto.operator.logto;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the client behaves towards Logto.
 *
 * @param connectTimeout TCP connect timeout
 * @param callTimeout bound on one HTTP call, including reading the answer
 * @param maxRetries retries of a 429, a 5xx or a failed connection before giving up
 * @param initialBackoff first backoff (doubled each retry, with jitter) when no Retry-After is given
 * @param maxBackoff upper bound of one backoff, Retry-After included
 * @param maxConcurrentCalls bound on HTTP calls in flight to Logto across all callers
 * @param tokenRefreshMargin a cached token is renewed this long before it expires
 * @param caBundle a file of extra PEM certificates to trust for TLS to Logto, or null
 * @param caBundlePem the same given as text (a connection's ConfigMap), or null
 */
public record LogtoClientOptions(
    Duration connectTimeout,
    Duration callTimeout,
    int maxRetries,
    Duration initialBackoff,
    Duration maxBackoff,
    int maxConcurrentCalls,
    Duration tokenRefreshMargin,
    Path caBundle,
    String caBundlePem) {

  public static LogtoClientOptions defaults() {
    return new LogtoClientOptions(
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        3,
        Duration.ofMillis(200),
        Duration.ofSeconds(30),
        16,
        Duration.ofSeconds(60),
        null,
        null);
  }

  public LogtoClientOptions withMaxRetries(int retries) {
    return new LogtoClientOptions(connectTimeout, callTimeout, retries, initialBackoff, maxBackoff,
        maxConcurrentCalls, tokenRefreshMargin, caBundle, caBundlePem);
  }

  public LogtoClientOptions withBackoff(Duration initial, Duration max) {
    return new LogtoClientOptions(connectTimeout, callTimeout, maxRetries, initial, max,
        maxConcurrentCalls, tokenRefreshMargin, caBundle, caBundlePem);
  }

  public LogtoClientOptions withMaxConcurrentCalls(int calls) {
    return new LogtoClientOptions(connectTimeout, callTimeout, maxRetries, initialBackoff,
        maxBackoff, calls, tokenRefreshMargin, caBundle, caBundlePem);
  }

  public LogtoClientOptions withTimeouts(Duration connect, Duration call) {
    return new LogtoClientOptions(connect, call, maxRetries, initialBackoff, maxBackoff,
        maxConcurrentCalls, tokenRefreshMargin, caBundle, caBundlePem);
  }

  public LogtoClientOptions withCaBundle(Path bundle) {
    return new LogtoClientOptions(connectTimeout, callTimeout, maxRetries, initialBackoff,
        maxBackoff, maxConcurrentCalls, tokenRefreshMargin, bundle, null);
  }

  public LogtoClientOptions withCaBundlePem(String pem) {
    return new LogtoClientOptions(connectTimeout, callTimeout, maxRetries, initialBackoff,
        maxBackoff, maxConcurrentCalls, tokenRefreshMargin, null, pem);
  }
}
