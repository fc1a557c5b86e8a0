package io.logto.operator.devtools;

import io.logto.operator.cli.LoggingOptions;
import io.logto.operator.sandbox.RemoteLogto;
import io.logto.operator.sandbox.RotationDemo;
import io.logto.operator.sandbox.Sandbox;
import java.io.Console;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sandbox}: the operator, a Kubernetes API and Logto, all in this process. */
@Command(
    name = "sandbox",
    mixinStandardHelpOptions = true,
    description = {
      "Runs an in-process Kubernetes API (with the CRDs), the Logto simulator and the operator,"
          + " applies the manifests of the examples folder, waits until they are Ready and prints"
          + " them, their Secrets (app secrets masked) and a curl command to get a token (with"
          + " the simulator's app secret in clear, masked for a real Logto).",
      "Then keeps the folder applied (changed files are applied, removed files deleted) until"
          + " Ctrl-C, unless --once: after a change it prints the objects whose state changed,"
          + " and the table and the Secrets when you press Enter."
    },
    exitCodeListHeading = "%nExit codes:%n",
    // The README lists the same codes (SandboxHelpTest compares them).
    exitCodeList = {
      "0:every object is Ready (with --once); --help, --version",
      "1:some object is not Ready: a permanent failure or the timeout; with --rotate-demo, a"
          + " token request did not answer as a rotation without downtime must; or the sandbox"
          + " failed (its stack trace is printed)",
      "2:the examples folder is missing or has no .yaml file, or a document was refused (the"
          + " others were applied and awaited); or an option is wrong",
      "3:the given Logto cannot be used with the given credentials",
      "130:stopped by Ctrl-C, as watch mode ends (the JVM's status after SIGINT)",
      "143:stopped by SIGTERM (kill)"
    })
public final class SandboxCommand implements Callable<Integer> {

  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  /** Each tenant is a simulator in this process: a bound on what a typo could start. */
  static final int MAX_TENANTS = 10;

  @Spec CommandSpec spec;

  @Mixin LoggingOptions logging;

  @Option(names = "--examples", paramLabel = "DIR", defaultValue = "examples",
      description = "Folder of manifests (.yaml, several documents per file allowed; namespace"
          + " defaults to default). Default: ${DEFAULT-VALUE}.")
  Path examples;

  @Option(names = "--once",
      description = "Exit after converging: 0 if all objects are Ready, 2 if a document was"
          + " refused, 1 if an object is not Ready.")
  boolean once;

  @Option(names = "--privileged-namespaces", paramLabel = "NS[,NS...]",
      defaultValue = "default",
      description = "The operator's privileged namespaces (PRIVILEGED_NAMESPACES): objects there"
          + " may use Logto's own roles and API resources, elsewhere they are Forbidden. Empty"
          + " for none (default: ${DEFAULT-VALUE}).")
  String privilegedNamespaces;

  @Option(names = "--timeout-seconds", paramLabel = "N", defaultValue = "60",
      description = "How long to wait for the objects to be Ready (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(names = "--summary-file", paramLabel = "FILE",
      description = "Write a JSON summary (objects and their connection, Secrets with plain"
          + " values, Logto counts, connections).")
  Path summaryFile;

  @Option(names = "--logto-latency-ms", paramLabel = "N", defaultValue = "0",
      description = "Simulator: latency added to each call (default: ${DEFAULT-VALUE}).")
  long latencyMs;

  @Option(names = "--logto-fail-rate", paramLabel = "R", defaultValue = "0",
      description = "Simulator: share (0 to 1) of Management API calls answered 503"
          + " (default: ${DEFAULT-VALUE}).")
  double failRate;

  @Option(names = "--tenants", paramLabel = "N", defaultValue = "1",
      description = "Simulated Logto tenants, 1 to " + MAX_TENANTS + " (default:"
          + " ${DEFAULT-VALUE}). Tenant 1 is the operator's own connection; tenant k is the"
          + " ClusterLogtoConnection tenant-k, which objects name in spec.connectionRef. Try"
          + " --tenants 2 --examples examples/two-tenants.")
  int tenants;

  @Mixin RealLogtoOptions realLogto;

  @Option(names = "--rotate-demo",
      description = "Once converged, rotate one app's secret on demand (grace period 10s) and"
          + " show a token request with the old and the new secret before, during and after.")
  boolean rotateDemo;

  @Option(names = "--verbose",
      description = "Show the operator's log on the screen instead of writing it to the log file.")
  boolean verbose;

  @Option(names = "--log-file", paramLabel = "FILE",
      description = "Where the operator's log goes unless --verbose (overwritten; default:"
          + " logto-operator-sandbox.log in the system's temporary folder).")
  Path logFile;

  @Override
  public Integer call() throws InterruptedException {
    try {
      logging.apply();
      Sandbox.quietLibraryNoise();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Sandbox.Options options = options();
    try (LogToFile log = options.logFile().map(LogToFile::start).orElse(null)) {
      Sandbox sandbox = new Sandbox(options, spec.commandLine().getOut(),
          spec.commandLine().getErr());
      if (!once && stdinIsATerminal()) {
        sandbox.tableOnEnter(System.in);
      }
      if (!rotateDemo) {
        return run(sandbox);
      }
      RotationDemo demo = new RotationDemo(spec.commandLine().getOut());
      int code = run(sandbox.onConverged(demo::run));
      return code == Sandbox.ALL_READY && !demo.succeeded() ? Sandbox.NOT_READY : code;
    }
  }

  private int run(Sandbox sandbox) throws InterruptedException {
    // Ctrl-C stops the wait or the watch; run() then reports and, with a real Logto, deletes what
    // it created there before the JVM exits.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      sandbox.stop();
      try {
        sandbox.awaitFinished(Duration.ofSeconds(90));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "sandbox-shutdown"));
    return sandbox.run();
  }

  Sandbox.Options options() {
    if (timeoutSeconds < 1) {
      throw new ParameterException(spec.commandLine(), "--timeout-seconds must be at least 1");
    }
    if (latencyMs < 0) {
      throw new ParameterException(spec.commandLine(), "--logto-latency-ms must not be negative");
    }
    if (!(failRate >= 0 && failRate < 1)) {
      throw new ParameterException(spec.commandLine(),
          "--logto-fail-rate must be at least 0 and below 1");
    }
    if (tenants < 1 || tenants > MAX_TENANTS) {
      throw new ParameterException(spec.commandLine(),
          "--tenants must be 1 to " + MAX_TENANTS + ", got " + tenants);
    }
    Optional<RemoteLogto> remote = realLogto.remote(spec.commandLine());
    if (remote.isPresent() && (latencyMs != 0 || failRate != 0)) {
      throw new ParameterException(spec.commandLine(),
          "--logto-latency-ms and --logto-fail-rate apply to the simulator only");
    }
    if (remote.isPresent() && tenants > 1) {
      throw new ParameterException(spec.commandLine(), "--tenants " + tenants + " starts"
          + " simulated tenants: it cannot be used with --logto-endpoint (a real Logto is one"
          + " tenant, the operator's own connection)");
    }
    Optional<Path> log = verbose ? Optional.empty() : Optional.of(logFile != null ? logFile
        : Path.of(System.getProperty("java.io.tmpdir"), "logto-operator-sandbox.log"));
    return new Sandbox.Options(examples, once, Duration.ofSeconds(timeoutSeconds),
        Optional.ofNullable(summaryFile), Duration.ofMillis(latencyMs), failRate, tenants, remote,
        log, namespaces(privilegedNamespaces));
  }

  /** {@code a,b}: each a namespace name, as Kubernetes allows it (an RFC 1123 label). */
  private Set<String> namespaces(String list) {
    Set<String> names = new TreeSet<>();
    for (String item : list.split(",", -1)) {
      String name = item.strip();
      if (name.isEmpty()) {
        continue;
      }
      if (name.length() > 63 || !NAMESPACE.matcher(name).matches()) {
        throw new ParameterException(spec.commandLine(), "--privileged-namespaces: '" + name
            + "' is not a namespace name (at most 63 lowercase letters, digits and '-',"
            + " starting and ending with a letter or a digit)");
      }
      names.add(name);
    }
    return names;
  }

  /**
   * Whether someone may type on stdin. Java 17 to 21 give a console only when stdin and stdout
   * are a terminal; Java 22 and later give one always, and {@code isTerminal()} tells.
   */
  private static boolean stdinIsATerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
