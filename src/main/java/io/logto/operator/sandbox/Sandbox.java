package io.logto.operator.sandbox;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.logto.LogtoClientOptions;
import io.logto.operator.logto.LogtoConnection;
import io.logto.operator.logto.LogtoException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The operator at work on a laptop: an in-process Kubernetes API with the CRDs, the Logto simulator
 * (or a real Logto), the operator, and a folder of manifests applied and kept applied.
 */
public final class Sandbox {

  /** {@code default}, so that the management-app example may use Logto's built-in role. */
  public static final Set<String> DEFAULT_PRIVILEGED_NAMESPACES = Set.of("default");

  /** Exit codes ({@code SandboxCommand} lists them with picocli's and the JVM's own). */
  public static final int ALL_READY = 0;
  public static final int NOT_READY = 1;
  /** The folder is missing or empty, or a document was refused (the others were applied). */
  public static final int BAD_EXAMPLES = 2;
  public static final int LOGTO_UNUSABLE = 3;

  private static final Duration CONVERGENCE_POLL = Duration.ofMillis(100);
  private static final Duration FOLDER_POLL = Duration.ofSeconds(2);
  private static final Duration CLEANUP_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration CONNECTION_WAIT = Duration.ofSeconds(20);

  /**
   * @param examples the folder of manifests
   * @param once exit after converging instead of watching the folder
   * @param timeout bound on the wait for convergence
   * @param summaryFile where to write the JSON summary, if anywhere
   * @param latency simulator only: added to every Logto call
   * @param failureRate simulator only: share of Management API calls answered 503
   * @param tenants simulator only: how many simulated Logto tenants; tenant 1 is the operator's
   *     own connection, tenant k a ClusterLogtoConnection {@code tenant-k} (see
   *     {@link ExtraTenants})
   * @param remote a real Logto instead of the simulator
   * @param logFile where the operator's log goes, named on screen; empty when it goes to the
   *     screen ({@code --verbose})
   * @param privilegedNamespaces the operator's: where objects may use Logto's own roles and API
   *     resources
   */
  public record Options(
      Path examples,
      boolean once,
      Duration timeout,
      Optional<Path> summaryFile,
      Duration latency,
      double failureRate,
      int tenants,
      Optional<RemoteLogto> remote,
      Optional<Path> logFile,
      Set<String> privilegedNamespaces) {

    public Options {
      privilegedNamespaces = Set.copyOf(privilegedNamespaces);
      if (tenants < 1) {
        throw new IllegalArgumentException("tenants must be at least 1, got " + tenants);
      }
      if (tenants > 1 && remote.isPresent()) {
        throw new IllegalArgumentException("several tenants are simulated ones: a real Logto is"
            + " one tenant");
      }
    }
  }

  /** What wakes the watch before its next look at the folder. */
  private enum Wake { TABLE_ASKED, OTHER_INPUT, STOP }

  private final Options options;
  private final PrintWriter out;
  private final PrintWriter err;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private final BlockingQueue<Wake> wakes = new LinkedBlockingQueue<>();
  private java.util.function.Consumer<OperatorStack> onConverged = stack -> {};
  private InputStream keyboard;

  public Sandbox(Options options, PrintWriter out, PrintWriter err) {
    this.options = options;
    this.out = out;
    this.err = err;
  }

  /**
   * Silences Fabric8's warning that v1alpha1 is an unstable version, printed once per kind: our
   * own CRDs are meant to be v1alpha1, and in the sandbox and the benchmark it only buries the
   * output. Kept at DEBUG and TRACE.
   */
  public static void quietLibraryNoise() {
    var root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
        org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (root.getLevel() != null
        && root.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.INFO)) {
      ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
          "io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils"))
          .setLevel(ch.qos.logback.classic.Level.ERROR);
    }
  }

  /**
   * Runs {@code hook} once the first report is out, while everything still runs (tests use it to
   * try the credentials before the simulator stops).
   */
  public Sandbox onConverged(java.util.function.Consumer<OperatorStack> hook) {
    this.onConverged = hook;
    return this;
  }

  /**
   * In watch mode, reads lines typed on {@code keyboard}: Enter (or {@code t}) prints the table
   * and the Secrets. Only for a terminal: a closed or redirected stdin has nobody typing.
   */
  public Sandbox tableOnEnter(InputStream keyboard) {
    this.keyboard = keyboard;
    return this;
  }

  /** Asks a running sandbox to stop (Ctrl-C); {@link #run()} then cleans up and returns. */
  public void stop() {
    stop.countDown();
    wakes.offer(Wake.STOP);
  }

  /** Waits until {@link #run()} has returned, or the timeout. */
  public boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public int run() throws InterruptedException {
    try {
      return runSandbox();
    } finally {
      finished.countDown();
    }
  }

  private int runSandbox() throws InterruptedException {
    long start = System.nanoTime();
    Path dir = options.examples();
    if (!Files.isDirectory(dir)) {
      err.println("sandbox: no folder " + dir.toAbsolutePath() + ": run from the repository root"
          + " or pass --examples DIR");
      writeSummary(SandboxSummary.empty());
      return BAD_EXAMPLES;
    }
    if (ExamplesFolder.yamlFiles(dir).isEmpty()) {
      err.println("sandbox: no .yaml files in " + dir);
      writeSummary(SandboxSummary.empty());
      return BAD_EXAMPLES;
    }

    boolean local = options.remote().isEmpty();
    Supplier<LogtoTarget> logto = () -> options.remote().<LogtoTarget>map(r -> r)
        .orElseGet(() -> SimulatedLogto.start(options.latency(), options.failureRate()));
    try (OperatorStack stack = OperatorStack.prepare(logto, LogtoClientOptions.defaults())) {
      if (!local && !logtoUsable(stack)) {
        writeSummary(SandboxSummary.empty());
        return LOGTO_UNUSABLE;
      }
      ExtraTenants extra = options.tenants() == 1 ? ExtraTenants.none()
          : stack.startExtraTenants(options.tenants() - 1, options.latency(),
              options.failureRate());
      stack.startOperator(options.privilegedNamespaces(),
          options.once() ? Duration.ZERO : Duration.ofMinutes(10));
      Set<String> namespaces = ExamplesFolder.namespacesIn(dir);
      extra.connect(stack.kubernetes(), OperatorStack.OPERATOR_NAMESPACE, namespaces);
      printHeader(stack, namespaces);
      awaitConnections(stack);

      ExamplesFolder folder = new ExamplesFolder(dir, stack.kubernetes());
      WatchScreen screen = new WatchScreen(out, err);
      ExamplesFolder.SyncResult applied = folder.sync();
      screen.sync(applied);
      int refused = folder.rejected().size();
      out.println("Applied " + folder.objects().size() + " objects from " + dir
          + (refused == 0 ? "" : " (" + refused + (refused == 1 ? " document" : " documents")
              + " refused, above)")
          + "; waiting for them to be Ready (timeout " + options.timeout().toSeconds() + " s)");
      out.flush();
      Convergence convergence = new Convergence(stack.kubernetes());
      Convergence.Outcome outcome =
          convergence.await(folder.objects(), options.timeout(), CONVERGENCE_POLL,
              () -> stop.getCount() == 0, states -> {});
      out.println();
      printOutcome(outcome, start);
      report(stack, outcome.objects(), folder.rejected());
      screen.shown(outcome.objects());
      int code = !folder.rejected().isEmpty() ? BAD_EXAMPLES
          : outcome.allReady() && applied.errors().isEmpty() ? ALL_READY : NOT_READY;
      onConverged.accept(stack);
      if (!options.once()) {
        watch(stack, folder, convergence, screen);
        // Only a stop() from within the process gets here with its code: after Ctrl-C the JVM
        // exits with the signal's status whatever run() returns.
        code = ALL_READY;
      }
      if (!local) {
        cleanUp(stack.kubernetes(), folder.objects());
      }
      return code;
    } catch (RuntimeException e) {
      writeSummary(SandboxSummary.empty());
      throw e;
    }
  }

  private boolean logtoUsable(OperatorStack stack) {
    try {
      stack.client().listApiResources();
      return true;
    } catch (LogtoException e) {
      var connection = stack.logto().connection();
      err.println("sandbox: cannot use the Logto Management API at " + connection.endpoint()
          + " with App ID " + connection.appId() + ": "
          + (e.isUnauthorized()
              ? "the credentials were refused (" + e.status() + " " + e.code() + ")"
              : e.getMessage()));
      return false;
    }
  }

  /**
   * The objects of a tenant wait for its connection anyway; waiting here only spares them a first
   * reconcile that finds it not ready yet.
   */
  private void awaitConnections(OperatorStack stack) throws InterruptedException {
    ExtraTenants extra = stack.extraTenants();
    if (extra.isEmpty() || extra.awaitConnected(stack.kubernetes(), CONNECTION_WAIT)) {
      return;
    }
    extra.observe(stack.kubernetes()).stream().filter(t -> !t.connected())
        .forEach(t -> err.println("sandbox: " + t.tenant().label() + " is not connected yet ("
            + t.reason() + ": " + t.message() + "); its objects wait for it"));
  }

  private void printHeader(OperatorStack stack, Set<String> namespaces) {
    out.println("Logto operator sandbox");
    out.println("  Kubernetes API  " + stack.kubernetesUrl()
        + " (in-process mock server, CRDs installed)");
    ExtraTenants extra = stack.extraTenants();
    if (extra.isEmpty()) {
      out.println("  Logto           " + stack.logto().describe());
    } else {
      out.println("  Logto           tenant 1: " + stack.logto().describe()
          + ": the operator's own connection (objects without spec.connectionRef)");
      for (ExtraTenants.Tenant tenant : extra.tenants()) {
        out.println("                  tenant " + tenant.number() + ": "
            + tenant.logto().describe() + ": ClusterLogtoConnection " + tenant.connectionName()
            + " (credentials in Secret " + OperatorStack.OPERATOR_NAMESPACE + "/"
            + tenant.secretName() + "; allows namespaces " + String.join(",",
                new java.util.TreeSet<>(namespaces)) + ")");
      }
    }
    Set<String> privileged = options.privilegedNamespaces();
    out.println("  Operator        in-process; privileged namespaces: " + (privileged.isEmpty()
        ? "none (an object using Logto's own roles or API resources is Forbidden)"
        : String.join(",", new TreeSet<>(privileged)) + " (objects there may use Logto's own"
            + " roles and API resources, e.g. \"Logto Management API access\")"));
    options.logFile().ifPresent(file ->
        out.println("  Operator log    " + file + " (--verbose shows it here instead)"));
    out.println();
  }

  private void printOutcome(Convergence.Outcome outcome, long start) {
    String took = seconds(outcome.elapsed().toNanos()) + " (" + seconds(System.nanoTime() - start)
        + " since the sandbox started)";
    int total = outcome.objects().size();
    if (outcome.allReady()) {
      out.println("All " + total + " objects are Ready after " + took);
    } else if (outcome.settled()) {
      out.println(outcome.notReady().size() + " of " + total + " objects cannot become Ready"
          + " (permanent failures; see reasons below), after " + took);
    } else {
      out.println("Timed out: " + outcome.notReady().size() + " of " + total
          + " objects are not Ready after " + took);
    }
  }

  /** Prints the table, the Secrets and the curl line; writes the summary file. */
  private void report(OperatorStack stack, List<ObjectState> states, List<Rejection> rejected) {
    KubernetesClient client = stack.kubernetes();
    ExtraTenants extra = stack.extraTenants();
    List<SandboxSummary.SecretEntry> secrets = SandboxSummary.managedSecrets(client);
    List<ExtraTenants.State> connections = extra.observe(client);
    out.println();
    SandboxReport.printTable(out, states, !extra.isEmpty() || states.stream()
        .anyMatch(o -> !ObjectState.OWN_CONNECTION.equals(o.connection())));
    if (!extra.isEmpty()) {
      out.println();
      SandboxReport.printConnections(out, stack.logto(), connections);
    }
    out.println();
    List<LogtoM2MApp> apps = client.resources(LogtoM2MApp.class).inAnyNamespace().list()
        .getItems();
    SandboxReport.printSecrets(out, secrets, apps);
    Map<String, LogtoConnection> tenants = new LinkedHashMap<>();
    tenants.put(ObjectState.OWN_CONNECTION, stack.logto().connection());
    extra.tenants().forEach(t -> tenants.put(t.label(), t.logto().connection()));
    List<String> curls = SandboxReport.curlCommands(apps, secrets, tenants,
        stack.logto().simulator().isPresent());
    if (!curls.isEmpty()) {
      out.println();
      out.println("Get a token:");
      curls.forEach(curl -> curl.lines().forEach(line -> out.println("  " + line)));
    }
    out.flush();
    writeSummary(SandboxSummary.of(states, rejected, secrets, stack.logto(), connections));
  }

  /**
   * Keeps the folder applied until stopped. Prints each change and refusal as the sync meets it,
   * and once the objects have settled, one line per object whose state changed; the table and the
   * Secrets when the user presses Enter.
   */
  private void watch(OperatorStack stack, ExamplesFolder folder, Convergence convergence,
      WatchScreen screen) throws InterruptedException {
    if (keyboard != null) {
      Keyboard.listen(keyboard, line -> wakes.offer(
          line.isBlank() || line.strip().equalsIgnoreCase("t") ? Wake.TABLE_ASKED
              : Wake.OTHER_INPUT));
    }
    out.println();
    out.println("Watching " + folder.dir() + " (every " + FOLDER_POLL.toSeconds()
        + " s): changed files are applied, removed files deleted."
        + (keyboard != null ? " Enter prints the table and the Secrets." : "")
        + " Ctrl-C to stop.");
    out.flush();
    long changedAt = 0;
    boolean pending = false;
    while (stop.getCount() > 0) {
      Wake wake = wakes.poll(FOLDER_POLL.toMillis(), TimeUnit.MILLISECONDS);
      if (stop.getCount() == 0) {
        break;
      }
      if (wake == Wake.TABLE_ASKED) {
        List<ObjectState> states = convergence.observe(folder.objects());
        report(stack, states, folder.rejected());
        screen.stillRefused(folder.rejected());
        screen.shown(states);
      } else if (wake == Wake.OTHER_INPUT) {
        out.println("  Enter (or t, Enter) prints the table and the Secrets; Ctrl-C stops.");
        out.flush();
      }
      ExamplesFolder.SyncResult result;
      try {
        // Before the objects of a namespace new to the folder arrive, or they would be refused.
        if (!stack.extraTenants().isEmpty()) {
          stack.extraTenants().allow(stack.kubernetes(),
              ExamplesFolder.namespacesIn(folder.dir()));
        }
        result = folder.sync();
      } catch (RuntimeException e) {
        err.println("sandbox: " + e.getMessage());
        continue;
      }
      screen.sync(result);
      if (result.changedAnything() || !result.rejected().isEmpty()) {
        pending = true;
        changedAt = System.nanoTime();
      }
      if (pending) {
        List<ObjectState> states = convergence.observe(folder.objects());
        boolean settled = states.stream().allMatch(ObjectState::isSettled);
        if (settled || System.nanoTime() - changedAt > options.timeout().toNanos()) {
          screen.settled(states);
          writeSummary(SandboxSummary.of(states, folder.rejected(),
              SandboxSummary.managedSecrets(stack.kubernetes()), stack.logto(),
              stack.extraTenants().observe(stack.kubernetes())));
          pending = false;
        }
      }
    }
    out.println("Stopping");
  }

  /**
   * With a real Logto, deletes the objects (apps, then roles, then API resources) and waits for the
   * operator to remove them from Logto: the in-process Kubernetes API dies with the sandbox, and
   * what it created in Logto would otherwise stay there with nothing to manage it.
   */
  private void cleanUp(KubernetesClient client, List<ObjectKey> objects)
      throws InterruptedException {
    out.println("Deleting what the sandbox created in Logto");
    for (String kind : List.of("LogtoM2MApp", "LogtoRole", "LogtoApiResource")) {
      List<ObjectKey> ofKind = objects.stream().filter(k -> k.kind().equals(kind))
          .sorted(Comparator.comparing(ObjectKey::path)).toList();
      ofKind.forEach(k -> client.resources(Manifests.typeOf(kind)).inNamespace(k.namespace())
          .withName(k.name()).delete());
      long deadline = System.nanoTime() + CLEANUP_TIMEOUT.toNanos();
      for (ObjectKey k : ofKind) {
        while (client.resources(Manifests.typeOf(kind)).inNamespace(k.namespace())
            .withName(k.name()).get() != null) {
          if (System.nanoTime() > deadline) {
            err.println("sandbox: " + k + " is still being deleted; check Logto for leftovers");
            break;
          }
          Thread.sleep(200);
        }
      }
    }
  }

  private void writeSummary(SandboxSummary summary) {
    if (options.summaryFile().isEmpty()) {
      return;
    }
    Path file = options.summaryFile().get();
    try {
      summary.write(file);
    } catch (IOException e) {
      err.println("sandbox: cannot write the summary to " + file + ": " + e.getMessage());
    }
  }

  private static String seconds(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
  }
}
