package io.logto.operator.runtime;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.logto.operator.logto.LogtoCallListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus metrics: the framework's reconcile counts and errors, and the Logto client's calls by
 * endpoint (a path template, never an id) and status, and token requests.
 */
public final class OperatorMetrics {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  public Metrics josdkMetrics() {
    return MicrometerMetrics.withoutPerResourceMetrics(registry);
  }

  /** The listener of the operator's own connection's client. */
  public LogtoCallListener logtoCallListener() {
    return logtoCallListener("default");
  }

  /**
   * The listener of a connection's client: its calls carry the label {@code connection}
   * ({@code default}, {@code ns/name} or {@code cluster:name}; see ConnectionKey#label).
   */
  public LogtoCallListener logtoCallListener(String connection) {
    return new LogtoCallListener() {
      @Override
      public void onCall(String method, String pathTemplate, int status, long durationNanos) {
        Timer.builder("logto.calls")
            .description("HTTP calls to Logto")
            .tag("connection", connection)
            .tag("method", method)
            .tag("path", pathTemplate)
            .tag("status", Integer.toString(status))
            .register(registry)
            .record(durationNanos, TimeUnit.NANOSECONDS);
      }

      @Override
      public void onOperatorTokenRequest(boolean success) {
        Counter.builder("logto.token.requests")
            .description("Requests for the operator's own Management API token")
            .tag("connection", connection)
            .tag("outcome", success ? "success" : "failure")
            .register(registry)
            .increment();
      }
    };
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    return registry.scrape();
  }
}
