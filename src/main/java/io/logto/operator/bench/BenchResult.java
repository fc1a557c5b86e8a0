package io.logto.operator.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * The benchmark's figures, printed as one JSON line: for all apps, and with several connections
 * for each connection's apps as well.
 *
 * @param convergeSeconds from the first app's create until every app is Ready with its Secret
 * @param p50ApplyToSecretMs median time from an app's create to its Secret existing
 * @param managementCallsPerApp calls under /api/applications while the apps converged, per app
 * @param managementWriteCallsPerApp those that were not GETs, per app
 * @param verificationTokenRequestsPerApp token requests with the apps' own credentials, per app
 * @param operatorTokenRequests token requests for the operator's own token, whole run
 * @param resyncReadCalls GETs to /api caused by one full resync with nothing changed
 * @param resyncWriteCalls other calls to /api caused by that resync
 * @param heapUsedMb heap in use after garbage collection, everything converged (the whole process:
 *     operator, in-process Kubernetes API and, unless a real Logto is used, the simulator)
 * @param connections the same figures per connection, the operator's own first; absent (null)
 *     with one connection, so that its line is as before connections existed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BenchResult(
    int apps,
    long latencyMs,
    double convergeSeconds,
    double p50ApplyToSecretMs,
    double p95ApplyToSecretMs,
    double managementCallsPerApp,
    double managementWriteCallsPerApp,
    double verificationTokenRequestsPerApp,
    long operatorTokenRequests,
    long resyncReadCalls,
    long resyncWriteCalls,
    double heapUsedMb,
    List<PerConnection> connections) {

  /**
   * The figures of the apps of one connection (app i is on connection i mod K), and the calls its
   * tenant served; the benchmark computes its totals the same way, over all apps and tenants.
   *
   * @param connection {@code own}, or e.g. {@code ClusterLogtoConnection/tenant-2}
   * @param convergeSeconds from the first app's create until this connection's last app is Ready
   *     with its Secret
   * @param operatorTokenRequests whole run; for a ClusterLogtoConnection these include the token
   *     that proves its credentials, once per recheck
   */
  public record PerConnection(
      String connection,
      int apps,
      double convergeSeconds,
      double p50ApplyToSecretMs,
      double p95ApplyToSecretMs,
      double managementCallsPerApp,
      double managementWriteCallsPerApp,
      double verificationTokenRequestsPerApp,
      long operatorTokenRequests,
      long resyncReadCalls,
      long resyncWriteCalls) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param all the figures of all apps, over all tenants
   * @param connections one entry per connection; null with one connection
   */
  static BenchResult of(long latencyMs, PerConnection all, double heapUsedMb,
      List<PerConnection> connections) {
    return new BenchResult(all.apps(), latencyMs, all.convergeSeconds(),
        all.p50ApplyToSecretMs(), all.p95ApplyToSecretMs(), all.managementCallsPerApp(),
        all.managementWriteCallsPerApp(), all.verificationTokenRequestsPerApp(),
        all.operatorTokenRequests(), all.resyncReadCalls(), all.resyncWriteCalls(), heapUsedMb,
        connections);
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
