package io.logto.operator.devtools;

import io.logto.operator.bench.Bench;
import io.logto.operator.bench.BenchResult;
import io.logto.operator.cli.LoggingOptions;
import io.logto.operator.sandbox.RemoteLogto;
import io.logto.operator.sandbox.Sandbox;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bench}: N apps at once against the in-process Kubernetes API and the simulator. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the operator in-process: creates shared API resources and roles, then N"
          + " LogtoM2MApps at once, waits until every app is Ready with its Secret, runs one full"
          + " resync, and prints one JSON line of figures last on stdout (progress on stderr).",
    })
public final class BenchCommand implements Callable<Integer> {

  /** Each extra connection is a simulator in this process. */
  static final int MAX_CONNECTIONS = 20;

  @Spec CommandSpec spec;

  @Option(names = "--apps", paramLabel = "N", required = true,
      description = "LogtoM2MApps to create.")
  int apps;

  @Option(names = "--latency-ms", paramLabel = "L", defaultValue = "10",
      description = "Simulator latency added to each Logto call (default: ${DEFAULT-VALUE}).")
  long latencyMs;

  @Option(names = "--roles-per-app", paramLabel = "R", defaultValue = "1",
      description = "Roles per app, chosen round-robin among max(10, R) (default:"
          + " ${DEFAULT-VALUE}).")
  int rolesPerApp;

  @Option(names = "--resources", paramLabel = "N", defaultValue = "5",
      description = "Shared API resources (default: ${DEFAULT-VALUE}).")
  int resources;

  @Option(names = "--create-threads", paramLabel = "N", defaultValue = "8",
      description = "Threads creating the custom resources (default: ${DEFAULT-VALUE}).")
  int createThreads;

  @Option(names = "--timeout-seconds", paramLabel = "N", defaultValue = "600",
      description = "Bound on each wait (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(names = "--connections", paramLabel = "K", defaultValue = "1",
      description = "Logto tenants the apps are spread over, round-robin, 1 to " + MAX_CONNECTIONS
          + " and at most N (default: ${DEFAULT-VALUE}): the operator's own connection and K - 1"
          + " simulators reached through ClusterLogtoConnections, each with its own shared API"
          + " resources and roles. The figures then have a \"connections\" list, one entry per"
          + " connection.")
  int connections;

  @Option(names = "--warmup-apps", paramLabel = "W", defaultValue = "0",
      description = "Apps converged and deleted before anything is measured, so that the JVM has"
          + " compiled the operator's code as in an operator that has run a while (default:"
          + " ${DEFAULT-VALUE}).")
  int warmupApps;

  @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "WARN",
      description = "Log level (default: ${DEFAULT-VALUE}: one line per app at INFO would"
          + " weigh on the figures).")
  String logLevel;

  @Mixin RealLogtoOptions realLogto;

  @Option(names = "--logto-pid", paramLabel = "PID",
      description = "With --logto-endpoint: the pid of that Logto on this machine; the figures"
          + " then hold the CPU time it spent while the apps converged (\"logto\").")
  Long logtoPid;

  @Option(names = "--database-pid", paramLabel = "PID",
      description = "With --logto-pid: the pid of that Logto's PostgreSQL server (its"
          + " postmaster); the figures then hold the CPU time it and its backends spent too.")
  Long databasePid;

  @Option(names = "--baseline",
      description = "With --logto-endpoint: before the operator's run, onboard as many apps with"
          + " a sequential script (per app: create it, read its secret, assign a role, obtain a"
          + " token), delete them, and give its figures (\"baseline\").")
  boolean baseline;

  @Override
  public Integer call() throws InterruptedException {
    try {
      LoggingOptions.apply(logLevel);
      Sandbox.quietLibraryNoise();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    BenchResult result = new Bench(options(), spec.commandLine().getErr()).run();
    spec.commandLine().getOut().println(result.toJson());
    spec.commandLine().getOut().flush();
    return 0;
  }

  Bench.Options options() {
    if (apps < 1) {
      throw new ParameterException(spec.commandLine(), "--apps must be at least 1");
    }
    if (rolesPerApp < 0 || rolesPerApp > 100) {
      throw new ParameterException(spec.commandLine(), "--roles-per-app must be 0 to 100");
    }
    if (resources < 1 || createThreads < 1 || timeoutSeconds < 1 || latencyMs < 0) {
      throw new ParameterException(spec.commandLine(), "--resources, --create-threads and"
          + " --timeout-seconds must be at least 1, --latency-ms not negative");
    }
    if (warmupApps < 0) {
      throw new ParameterException(spec.commandLine(), "--warmup-apps must not be negative");
    }
    if (connections < 1 || connections > Math.min(MAX_CONNECTIONS, apps)) {
      throw new ParameterException(spec.commandLine(), "--connections must be 1 to "
          + MAX_CONNECTIONS + " and at most --apps, got " + connections);
    }
    Optional<RemoteLogto> remote = realLogto.remote(spec.commandLine());
    if (remote.isPresent() && connections > 1) {
      throw new ParameterException(spec.commandLine(), "--connections " + connections
          + " adds simulated tenants: it cannot be used with --logto-endpoint");
    }
    if (remote.isEmpty() && (logtoPid != null || baseline)) {
      throw new ParameterException(spec.commandLine(),
          "--logto-pid and --baseline measure a real Logto: give --logto-endpoint as well");
    }
    if (logtoPid != null && logtoPid < 1) {
      throw new ParameterException(spec.commandLine(), "--logto-pid must be a pid, got "
          + logtoPid);
    }
    if (databasePid != null && logtoPid == null) {
      throw new ParameterException(spec.commandLine(),
          "--database-pid measures Logto's database beside Logto: give --logto-pid as well");
    }
    if (databasePid != null && databasePid < 1) {
      throw new ParameterException(spec.commandLine(), "--database-pid must be a pid, got "
          + databasePid);
    }
    return new Bench.Options(apps, Duration.ofMillis(remote.isPresent() ? 0 : latencyMs),
        rolesPerApp, resources, createThreads, Duration.ofSeconds(timeoutSeconds), connections,
        remote, optional(logtoPid), optional(databasePid), baseline, warmupApps);
  }

  private static OptionalLong optional(Long pid) {
    return pid == null ? OptionalLong.empty() : OptionalLong.of(pid);
  }
}
