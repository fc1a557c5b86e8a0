package io.logto.operator.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

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
 * @param cpu the CPU time this process spent while the apps converged, split by who spent it
 * @param logto with a real Logto's pid: the CPU time it spent while the apps converged
 * @param baseline with {@code --baseline}: the same apps onboarded by a sequential script
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
    Cpu cpu,
    LogtoCpu logto,
    Baseline baseline,
    List<PerConnection> connections) {

  /**
   * CPU seconds of this process from the first app's create until the apps converged and the
   * tenants were quiet.
   *
   * @param operatorSeconds the operator's threads (its reconcilers, informers, Kubernetes and
   *     Logto clients)
   * @param harnessSeconds the in-process Kubernetes API and the threads creating the objects: not
   *     part of the operator, which in a cluster has a real API server
   * @param vmSeconds spent by no Java thread the VM lists: JIT compilation, garbage collection
   *     and the VM's own threads, for both
   * @param machineBusyCores cores of the whole machine busy on average meanwhile (everything on
   *     it: Logto and its database too); absent (null) where it cannot be read
   * @param machineCores the machine's cores
   * @param jitTopTier the highest tier this JVM's JIT compiles to: 1 = C1 only, as the image runs
   *     the operator ({@code -XX:TieredStopAtLevel=1}); 4 = C2 too, the JVM's default
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Cpu(double operatorSeconds, double harnessSeconds, double vmSeconds,
      Double machineBusyCores, int machineCores, int jitTopTier) {}

  /**
   * The CPU time of the Logto process over the same interval as {@link Cpu}, and of its
   * PostgreSQL server when its pid was given (else those fields are absent).
   *
   * @param convergeOverCpu convergence time over Logto's CPU time: 1 when the operator keeps
   *     Logto busy all along, more when Logto waits for the operator (or for its database)
   * @param convergeOverCpuWithDatabase convergence time over the CPU time of Logto and its
   *     database together
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record LogtoCpu(long pid, double cpuSeconds, double cpuMsPerApp,
      double convergeOverCpu, Long databasePid, Double databaseCpuSeconds,
      Double databaseCpuMsPerApp, Double convergeOverCpuWithDatabase) {

    static LogtoCpu of(LogtoServerCpu server, LogtoServerCpu.Spent spent, int apps,
        double convergeSeconds) {
      OptionalLong databasePid = server.databasePid();
      OptionalDouble database = spent.databaseSeconds();
      OptionalDouble both = spent.withDatabaseSeconds();
      return new LogtoCpu(server.logtoPid(), round(spent.logtoSeconds(), 2),
          msPerApp(spent.logtoSeconds(), apps), round(convergeSeconds / spent.logtoSeconds(), 2),
          databasePid.isPresent() ? databasePid.getAsLong() : null,
          database.isPresent() ? round(database.getAsDouble(), 2) : null,
          database.isPresent() ? msPerApp(database.getAsDouble(), apps) : null,
          both.isPresent() ? round(convergeSeconds / both.getAsDouble(), 2) : null);
    }
  }

  static double msPerApp(double seconds, int apps) {
    return round(seconds * 1000 / apps, 1);
  }

  /**
   * A sequential script doing by hand, app after app, what the operator does for each: create the
   * app, read its secret, assign a role, obtain a token.
   *
   * @param logtoCpuMsPerApp Logto's CPU time per app while the script ran; absent without a pid
   * @param databaseCpuMsPerApp its PostgreSQL server's meanwhile; absent without that pid
   * @param operatorOverScript the operator's convergence time over the script's time
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Baseline(int apps, double seconds, double msPerApp, Double logtoCpuMsPerApp,
      Double databaseCpuMsPerApp, double operatorOverScript) {}

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
  static BenchResult of(long latencyMs, PerConnection all, double heapUsedMb, Cpu cpu,
      LogtoCpu logto, Baseline baseline, List<PerConnection> connections) {
    return new BenchResult(all.apps(), latencyMs, all.convergeSeconds(),
        all.p50ApplyToSecretMs(), all.p95ApplyToSecretMs(), all.managementCallsPerApp(),
        all.managementWriteCallsPerApp(), all.verificationTokenRequestsPerApp(),
        all.operatorTokenRequests(), all.resyncReadCalls(), all.resyncWriteCalls(), heapUsedMb,
        cpu, logto, baseline, connections);
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
