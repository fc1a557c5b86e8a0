package io.logto.operator.bench;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.logto.operator.crd.apiresource.ApiScope;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.apiresource.LogtoApiResourceSpec;
import io.logto.operator.crd.app.AppRoleAssignment;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.app.LogtoM2MAppSpec;
import io.logto.operator.crd.common.ConnectionRef;
import io.logto.operator.crd.common.LocalObjectReference;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.crd.role.LogtoRoleSpec;
import io.logto.operator.crd.role.RolePermission;
import io.logto.operator.logto.LogtoClientOptions;
import io.logto.operator.logto.LogtoException;
import io.logto.operator.sandbox.CallCounts;
import io.logto.operator.sandbox.Convergence;
import io.logto.operator.sandbox.ExtraTenants;
import io.logto.operator.sandbox.LogtoTarget;
import io.logto.operator.sandbox.ObjectKey;
import io.logto.operator.sandbox.ObjectState;
import io.logto.operator.sandbox.OperatorStack;
import io.logto.operator.sandbox.RemoteLogto;
import io.logto.operator.sandbox.SimulatedLogto;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Measures the operator at scale: shared API resources and roles, then N apps created at once;
 * the time until each app's Secret exists, the Logto calls per app, one full resync with nothing
 * changed, and the heap with everything converged. With K connections the apps are spread
 * round-robin over K tenants: the operator's own and K - 1 simulators reached through
 * ClusterLogtoConnections, each with shared API resources and roles of its own (references do not
 * cross connections); the figures are then given per connection as well.
 */
public final class Bench {

  /**
   * @param apps how many LogtoM2MApps to create
   * @param latency simulator only: added to each Logto call
   * @param rolesPerApp roles each app holds, chosen round-robin
   * @param resources shared API resources (roles hold scopes of one each), per connection
   * @param createThreads threads creating the custom resources
   * @param timeout bound on each wait
   * @param connections tenants the apps are spread over; more than one only with the simulator
   * @param remote a real Logto instead of the simulator
   * @param logtoPid with {@code remote}: the pid of that Logto on this machine, to read its CPU
   *     time
   * @param databasePid with {@code logtoPid}: the pid of that Logto's PostgreSQL server (its
   *     postmaster), to read its CPU time and its backends'
   * @param baseline with {@code remote}: first onboard as many apps with a sequential script
   * @param warmupApps apps converged and deleted before anything is measured
   */
  public record Options(
      int apps,
      Duration latency,
      int rolesPerApp,
      int resources,
      int createThreads,
      Duration timeout,
      int connections,
      Optional<RemoteLogto> remote,
      OptionalLong logtoPid,
      OptionalLong databasePid,
      boolean baseline,
      int warmupApps) {

    public Options {
      if (connections < 1 || connections > apps) {
        throw new IllegalArgumentException("connections must be 1 to the number of apps, got "
            + connections);
      }
      if (connections > 1 && remote.isPresent()) {
        throw new IllegalArgumentException("several connections are simulated tenants: a real"
            + " Logto is one");
      }
      if ((logtoPid.isPresent() || baseline) && remote.isEmpty()) {
        throw new IllegalArgumentException("Logto's pid and the baseline are for a real Logto");
      }
      if (databasePid.isPresent() && logtoPid.isEmpty()) {
        throw new IllegalArgumentException("the database's pid comes with Logto's");
      }
    }

    /** The simulator's options, as before there was a real Logto to measure. */
    public Options(int apps, Duration latency, int rolesPerApp, int resources, int createThreads,
        Duration timeout, int connections) {
      this(apps, latency, rolesPerApp, resources, createThreads, timeout, connections,
          Optional.empty(), OptionalLong.empty(), OptionalLong.empty(), false, 0);
    }

    public int roles() {
      return Math.max(10, rolesPerApp);
    }
  }

  /**
   * One connection of the run and its tenant.
   *
   * @param index 0 for the operator's own, k - 1 for tenant k
   * @param ref null for the operator's own
   * @param tag in the names of its shared objects: empty for the operator's own (the names of a
   *     run with one connection), {@code t2-} for tenant 2
   */
  private record Connection(int index, String label, ConnectionRef ref, LogtoTarget logto,
      String tag) {

    /** Whether app {@code i} is on this connection, of {@code count}. */
    boolean has(int app, int count) {
      return app % count == index;
    }
  }

  static final String NAMESPACE = "default";
  static final String APP_PREFIX = "bench-app-";
  static final String WARMUP_PREFIX = "bench-warmup-";
  static final String RUN_LABEL = "bench.m2m.logto.io/run";
  static final List<String> SCOPES = List.of("read", "write", "delete");
  private static final Duration QUIET = Duration.ofMillis(500);

  private final Options options;
  private final PrintWriter progress;
  private final String run = HexFormat.of().formatHex(randomBytes(4));
  private List<Connection> connections = List.of();

  public Bench(Options options, PrintWriter progress) {
    this.options = options;
    this.progress = progress;
  }

  public BenchResult run() throws InterruptedException {
    Optional<LogtoServerCpu> logtoCpu = LogtoServerCpu.of(options.logtoPid(),
        options.databasePid());
    Supplier<LogtoTarget> logto = () -> options.remote().<LogtoTarget>map(r -> r)
        .orElseGet(() -> SimulatedLogto.start(options.latency(), 0));
    try (OperatorStack stack = OperatorStack.prepare(logto, LogtoClientOptions.defaults())) {
      LogtoTarget target = stack.logto();
      if (target.simulator().isEmpty()) {
        checkLogto(stack);
      }
      ExtraTenants extra = options.connections() == 1 ? ExtraTenants.none()
          : stack.startExtraTenants(options.connections() - 1, options.latency(), 0);
      stack.startOperator(Set.of(), Duration.ZERO);
      KubernetesClient k8s = stack.kubernetes();
      connections = connect(k8s, target, extra);
      try {
        try (JvmCpu cpu = JvmCpu.start()) {
          return measure(stack, k8s, target, cpu, logtoCpu);
        }
      } finally {
        if (target.simulator().isEmpty()) {
          cleanUp(k8s);
        }
      }
    }
  }

  /** The operator's own connection, and one ClusterLogtoConnection per extra tenant. */
  private List<Connection> connect(KubernetesClient k8s, LogtoTarget own, ExtraTenants extra)
      throws InterruptedException {
    List<Connection> all = new ArrayList<>();
    all.add(new Connection(0, ObjectState.OWN_CONNECTION, null, own, ""));
    if (extra.isEmpty()) {
      return all;
    }
    extra.connect(k8s, OperatorStack.OPERATOR_NAMESPACE, Set.of(NAMESPACE));
    if (!extra.awaitConnected(k8s, options.timeout())) {
      throw new IllegalStateException("the connections did not become Connected: "
          + extra.observe(k8s).stream().filter(t -> !t.connected())
              .map(t -> t.tenant().label() + " " + t.reason() + ": " + t.message()).toList());
    }
    for (ExtraTenants.Tenant tenant : extra.tenants()) {
      all.add(new Connection(tenant.number() - 1, tenant.label(), tenant.ref(), tenant.logto(),
          "t" + tenant.number() + "-"));
    }
    return all;
  }

  private BenchResult measure(OperatorStack stack, KubernetesClient k8s, LogtoTarget logto,
      JvmCpu cpu, Optional<LogtoServerCpu> logtoCpu) throws InterruptedException {
    int k = connections.size();
    say("bench %s: %d apps, %d roles per app, %d roles over %d API resources, Logto %s%s", run,
        options.apps(), options.rolesPerApp(), options.roles(), options.resources(),
        logto.describe(), k == 1 ? "" : "; apps round-robin over " + k + " connections: "
            + String.join(", ", connections.stream().map(Connection::label).toList()));
    if (JvmCpu.jitTopTier() != 1) {
      say("this JVM compiles with C2 too; the image runs the operator with C1 only (java"
          + " -XX:TieredStopAtLevel=1 -jar ... for the same JIT)");
    }
    long sharedStart = System.nanoTime();
    List<ObjectKey> shared = new ArrayList<>();
    for (Connection connection : connections) {
      createAll(k8s, options.resources(), i -> apiResource(connection, i), shared);
      createAll(k8s, options.roles(), j -> role(connection, j), shared);
    }
    Convergence.Outcome sharedOutcome = new Convergence(k8s).await(shared, options.timeout(),
        Duration.ofMillis(100), () -> false, s -> {});
    if (!sharedOutcome.allReady()) {
      throw new IllegalStateException("the shared API resources and roles did not become Ready: "
          + sharedOutcome.notReady().stream().map(o -> o.key() + " " + o.reason() + ": "
              + o.message()).toList());
    }
    say("%d API resources and %d roles Ready in %.1f s", options.resources() * k,
        options.roles() * k, (System.nanoTime() - sharedStart) / 1e9);

    awaitQuiet(QUIET);
    if (options.warmupApps() > 0) {
      warmUp(k8s);
    }
    Optional<Script> script = options.baseline()
        ? Optional.of(runScript(stack, k8s, logtoCpu)) : Optional.empty();
    List<CallCounts> beforeApps = counts();
    long start;
    Timing all;
    List<Timing> perConnection = new ArrayList<>();
    JvmCpu.Mark cpuBefore;
    Optional<MachineCpu.Mark> machineBefore = MachineCpu.mark();
    Optional<LogtoServerCpu.Mark> logtoBefore = logtoCpu.map(LogtoServerCpu::mark);
    try (AppProgress apps = new AppProgress(APP_PREFIX, options.apps())) {
      apps.watch(k8s, NAMESPACE);
      cpuBefore = cpu.mark();
      start = System.nanoTime();
      createApps(k8s, apps);
      say("created %d LogtoM2MApps in %.1f s", options.apps(), (System.nanoTime() - start) / 1e9);
      awaitApps(k8s, apps, start);
      all = Timing.of(apps, i -> true);
      for (Connection connection : connections) {
        perConnection.add(Timing.of(apps, i -> connection.has(i, k)));
      }
    }
    say("all %d apps Ready with their Secrets in %.1f s", options.apps(),
        (all.end() - start) / 1e9);
    awaitQuiet(QUIET);
    List<CallCounts> appCalls = minus(counts(), beforeApps);
    JvmCpu.Split appsCpu = cpu.mark().since(cpuBefore);
    Optional<MachineCpu.Mark> machineAfter = MachineCpu.mark();
    int cores = machineAfter.map(MachineCpu.Mark::cores)
        .orElse(Runtime.getRuntime().availableProcessors());
    Double busyCores = machineBefore.isPresent() && machineAfter.isPresent()
        ? BenchResult.round(machineAfter.get().busyCoresSince(machineBefore.get()), 2)
        : null;
    Optional<LogtoServerCpu.Spent> logtoSpent = spentSince(logtoCpu, logtoBefore);
    double convergeSeconds = (all.end() - start) / 1e9;
    say("CPU while the apps converged: operator %.2f s, harness (in-process Kubernetes API,"
        + " creators) %.2f s, JIT, garbage collection and VM %.2f s (compiling %.2f s, collecting"
        + " %.2f s); machine %s of %d cores busy%s", appsCpu.operatorSeconds(),
        appsCpu.harnessSeconds(), appsCpu.vmSeconds(), appsCpu.compileSeconds(),
        appsCpu.gcSeconds(),
        busyCores == null ? "?" : String.format(java.util.Locale.ROOT, "%.2f", busyCores), cores,
        logtoSpent.map(spent -> "; " + describe(spent, options.apps())).orElse(""));

    List<CallCounts> beforeResync = counts();
    var report = stack.operator().resyncNow();
    awaitQuiet(Duration.ofSeconds(1));
    List<CallCounts> resync = minus(counts(), beforeResync);
    CallCounts resyncTotal = sum(resync);
    say("resync: %s; %d calls to /api", report, resyncTotal.managementCalls("/api", false));

    List<CallCounts> whole = counts();
    List<BenchResult.PerConnection> figuresPerConnection = null;
    if (k > 1) {
      figuresPerConnection = new ArrayList<>();
      for (Connection connection : connections) {
        int c = connection.index();
        BenchResult.PerConnection figures = figures(connection.label(), start,
            perConnection.get(c), appCalls.get(c), whole.get(c), resync.get(c));
        figuresPerConnection.add(figures);
        say("%s: %d apps Ready with their Secrets %.1f s after the first create (apply→Secret p50"
            + " %.0f ms, p95 %.0f ms); %.1f Logto calls per app (%.1f writes); resync %d reads,"
            + " %d writes", figures.connection(), figures.apps(), figures.convergeSeconds(),
            figures.p50ApplyToSecretMs(), figures.p95ApplyToSecretMs(),
            figures.managementCallsPerApp(), figures.managementWriteCallsPerApp(),
            figures.resyncReadCalls(), figures.resyncWriteCalls());
      }
    }
    BenchResult.PerConnection total = figures("all", start, all, sum(appCalls), sum(whole),
        resyncTotal);
    BenchResult.Cpu cpuFigures = new BenchResult.Cpu(
        BenchResult.round(appsCpu.operatorSeconds(), 2),
        BenchResult.round(appsCpu.harnessSeconds(), 2),
        BenchResult.round(appsCpu.vmSeconds(), 2), busyCores, cores, JvmCpu.jitTopTier());
    BenchResult.LogtoCpu logtoFigures = logtoCpu.flatMap(server -> logtoSpent
            .map(spent -> BenchResult.LogtoCpu.of(server, spent, options.apps(), convergeSeconds)))
        .orElse(null);
    BenchResult.Baseline baseline = script.map(s -> s.figures(convergeSeconds)).orElse(null);
    return BenchResult.of(options.latency().toMillis(), total, BenchResult.round(usedHeapMb(), 1),
        cpuFigures, logtoFigures, baseline, figuresPerConnection);
  }

  /**
   * Converges and deletes some apps before the measured ones: the JIT compiles the operator's
   * code paths (and the harness's) first, as in an operator that has run for a while.
   */
  private void warmUp(KubernetesClient k8s) throws InterruptedException {
    long begin = System.nanoTime();
    List<ObjectKey> keys = new ArrayList<>();
    createAll(k8s, options.warmupApps(), i -> app(WARMUP_PREFIX, i), keys);
    Convergence.Outcome outcome = new Convergence(k8s).await(keys, options.timeout(),
        Duration.ofMillis(100), () -> false, s -> {});
    if (!outcome.allReady()) {
      throw new IllegalStateException("the warm-up apps did not become Ready: "
          + outcome.notReady().stream().limit(5).map(o -> o.key() + " " + o.reason() + ": "
              + o.message()).toList());
    }
    for (ObjectKey key : keys) {
      k8s.resources(LogtoM2MApp.class).inNamespace(NAMESPACE).withName(key.name()).delete();
    }
    long deadline = System.nanoTime() + options.timeout().toNanos();
    while (keys.stream().anyMatch(key -> k8s.resources(LogtoM2MApp.class).inNamespace(NAMESPACE)
        .withName(key.name()).get() != null)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the warm-up apps were not deleted in "
            + options.timeout().toSeconds() + " s");
      }
      Thread.sleep(100);
    }
    awaitQuiet(QUIET);
    say("warm-up: %d apps converged and deleted in %.1f s", options.warmupApps(),
        (System.nanoTime() - begin) / 1e9);
  }

  /** The sequential script's run, with Logto's CPU time over it when its pid is known. */
  private record Script(SequentialScript.Outcome outcome,
      Optional<LogtoServerCpu.Spent> logtoCpu) {
    BenchResult.Baseline figures(double operatorSeconds) {
      int apps = outcome.apps();
      return new BenchResult.Baseline(apps, BenchResult.round(outcome.seconds(), 2),
          BenchResult.round(outcome.millisPerApp(), 1),
          logtoCpu.map(spent -> BenchResult.msPerApp(spent.logtoSeconds(), apps)).orElse(null),
          logtoCpu.filter(spent -> spent.databaseSeconds().isPresent())
              .map(spent -> BenchResult.msPerApp(spent.databaseSeconds().getAsDouble(), apps))
              .orElse(null),
          BenchResult.round(operatorSeconds / outcome.seconds(), 2));
    }
  }

  /**
   * Onboards as many apps as the run has with the sequential script, on the shared roles, then
   * deletes them: the baseline the operator's figures are read against.
   */
  private Script runScript(OperatorStack stack, KubernetesClient k8s,
      Optional<LogtoServerCpu> logtoCpu) throws InterruptedException {
    Connection own = connections.get(0);
    List<SequentialScript.Grant> grants = new ArrayList<>();
    for (int j = 0; j < options.roles(); j++) {
      LogtoRole role = k8s.resources(LogtoRole.class).inNamespace(NAMESPACE)
          .withName(roleName(own, j)).get();
      grants.add(new SequentialScript.Grant(role.getStatus().getRoleId(),
          indicator(own, j % options.resources()), SCOPES.get(0)));
    }
    SequentialScript script = new SequentialScript(stack.client());
    Optional<LogtoServerCpu.Mark> before = logtoCpu.map(LogtoServerCpu::mark);
    SequentialScript.Outcome outcome = script.run("bench-" + run + "-script", options.apps(),
        grants);
    Optional<LogtoServerCpu.Spent> logtoSpent = spentSince(logtoCpu, before);
    say("sequential script: %d apps (create, read secret, assign role, token) in %.1f s: %.1f ms"
        + " per app%s", outcome.apps(), outcome.seconds(), outcome.millisPerApp(),
        logtoSpent.map(spent -> "; " + describe(spent, outcome.apps())).orElse(""));
    script.deleteAll(outcome.applicationIds());
    awaitQuiet(QUIET);
    return new Script(outcome, logtoSpent);
  }

  private static Optional<LogtoServerCpu.Spent> spentSince(Optional<LogtoServerCpu> cpu,
      Optional<LogtoServerCpu.Mark> earlier) {
    return cpu.flatMap(c -> earlier.map(mark -> c.mark().since(mark)));
  }

  private static String describe(LogtoServerCpu.Spent spent, int apps) {
    String logto = String.format(java.util.Locale.ROOT, "Logto CPU %.2f s (%.1f ms per app)",
        spent.logtoSeconds(), spent.logtoSeconds() * 1000 / apps);
    if (spent.databaseSeconds().isEmpty()) {
      return logto;
    }
    double database = spent.databaseSeconds().getAsDouble();
    return logto + String.format(java.util.Locale.ROOT, ", its PostgreSQL %.2f s (%.1f ms per"
        + " app)", database, database * 1000 / apps);
  }

  /**
   * When the last of some apps was Ready with its Secret, and each one's time from create to
   * Secret (sorted), read while their progress is followed.
   */
  private record Timing(int apps, long end, double[] applyToSecretMillis) {
    static Timing of(AppProgress progress, IntPredicate member) {
      double[] millis = progress.applyToSecretMillis(member);
      return new Timing(millis.length, progress.lastSettledNanos(member), millis);
    }
  }

  /** The figures of some apps (all, or a connection's) and the calls their tenants served. */
  private static BenchResult.PerConnection figures(String label, long start, Timing timing,
      CallCounts appCalls, CallCounts whole, CallCounts resync) {
    int n = timing.apps();
    return new BenchResult.PerConnection(label, n,
        BenchResult.round((timing.end() - start) / 1e9, 2),
        BenchResult.round(AppProgress.percentile(timing.applyToSecretMillis(), 0.50), 1),
        BenchResult.round(AppProgress.percentile(timing.applyToSecretMillis(), 0.95), 1),
        perApp(appCalls.managementCalls("/api/applications", false), n),
        perApp(appCalls.managementCalls("/api/applications", true), n),
        perApp(appCalls.otherTokenRequests(), n),
        whole.operatorTokenRequests(),
        resync.count((method, path) -> path.startsWith("/api") && "GET".equals(method)),
        resync.managementCalls("/api", true));
  }

  private static double perApp(long calls, int apps) {
    return BenchResult.round((double) calls / apps, 3);
  }

  /** Each connection's tenant's calls so far, in connection order. */
  private List<CallCounts> counts() {
    return connections.stream().map(c -> c.logto().counts()).toList();
  }

  private static List<CallCounts> minus(List<CallCounts> now, List<CallCounts> earlier) {
    return IntStream.range(0, now.size()).mapToObj(i -> now.get(i).minus(earlier.get(i)))
        .toList();
  }

  private static CallCounts sum(List<CallCounts> counts) {
    return counts.stream().reduce(CallCounts.NONE, CallCounts::plus);
  }

  private void checkLogto(OperatorStack stack) {
    try {
      stack.client().listApiResources();
    } catch (LogtoException e) {
      throw new IllegalStateException("cannot use the Logto Management API at "
          + stack.logto().connection().endpoint() + ": " + e.getMessage(), e);
    }
  }

  // The objects

  private LogtoApiResource apiResource(Connection connection, int i) {
    LogtoApiResource resource = new LogtoApiResource();
    String tag = connection.tag();
    resource.setMetadata(meta("bench-" + tag + "api-" + i));
    LogtoApiResourceSpec spec = new LogtoApiResourceSpec();
    spec.setConnectionRef(connection.ref());
    spec.setName("bench " + run + " " + tag + "API " + i);
    spec.setIndicator(indicator(connection, i));
    SCOPES.forEach(s -> spec.getScopes().add(new ApiScope(s, s + " " + i)));
    resource.setSpec(spec);
    return resource;
  }

  private String indicator(Connection connection, int i) {
    return "https://bench-" + run + "-" + connection.tag() + i + ".api.example";
  }

  private static String roleName(Connection connection, int j) {
    return "bench-" + connection.tag() + "role-" + j;
  }

  /** Role j holds two scopes of API resource j mod resources (of the same connection). */
  private LogtoRole role(Connection connection, int j) {
    LogtoRole role = new LogtoRole();
    String tag = connection.tag();
    role.setMetadata(meta(roleName(connection, j)));
    LogtoRoleSpec spec = new LogtoRoleSpec();
    spec.setConnectionRef(connection.ref());
    spec.setName("bench-" + run + "-" + tag + "role-" + j);
    spec.setDescription("Benchmark role " + j);
    RolePermission permission = new RolePermission();
    permission.setResourceRef(new LocalObjectReference(
        "bench-" + tag + "api-" + (j % options.resources())));
    permission.setScopes(List.of(SCOPES.get(0), SCOPES.get(1 + j % 2)));
    spec.setPermissions(List.of(permission));
    role.setSpec(spec);
    return role;
  }

  /**
   * App i is on connection i mod K and holds its roles (i*R + k) mod roles for k < R: round-robin,
   * each role equally used.
   */
  private LogtoM2MApp app(int i) {
    return app(APP_PREFIX, i);
  }

  private LogtoM2MApp app(String prefix, int i) {
    Connection connection = connections.get(i % connections.size());
    LogtoM2MApp app = new LogtoM2MApp();
    app.setMetadata(meta(AppProgress.appName(prefix, i)));
    LogtoM2MAppSpec spec = new LogtoM2MAppSpec();
    spec.setConnectionRef(connection.ref());
    spec.setName("bench-" + run + "-" + prefix.substring("bench-".length()) + i);
    int roles = options.roles();
    for (int k = 0; k < options.rolesPerApp(); k++) {
      AppRoleAssignment assignment = new AppRoleAssignment();
      assignment.setRoleRef(new LocalObjectReference(
          "bench-" + connection.tag() + "role-" + ((i * options.rolesPerApp() + k) % roles)));
      spec.getRoles().add(assignment);
    }
    app.setSpec(spec);
    return app;
  }

  private io.fabric8.kubernetes.api.model.ObjectMeta meta(String name) {
    return new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE)
        .addToLabels(RUN_LABEL, run).build();
  }

  // Creating and waiting

  private interface Factory {
    CustomResource<?, ?> make(int index);
  }

  private void createAll(KubernetesClient k8s, int count, Factory factory, List<ObjectKey> keys) {
    for (int i = 0; i < count; i++) {
      CustomResource<?, ?> resource = factory.make(i);
      k8s.resource(resource).create();
      keys.add(ObjectKey.of(resource));
    }
  }

  private void createApps(KubernetesClient k8s, AppProgress apps) throws InterruptedException {
    java.util.concurrent.atomic.AtomicInteger threadNumber =
        new java.util.concurrent.atomic.AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(options.createThreads(),
        task -> new Thread(task, JvmCpu.THREAD_PREFIX + "create-" + threadNumber.incrementAndGet()));
    try {
      List<Future<?>> done = new ArrayList<>();
      int threads = options.createThreads();
      for (int t = 0; t < threads; t++) {
        int first = t;
        done.add(pool.submit(() -> {
          for (int i = first; i < options.apps(); i += threads) {
            LogtoM2MApp app = app(i);
            apps.created(i, System.nanoTime());
            k8s.resource(app).create();
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("creating the apps failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private void awaitApps(KubernetesClient k8s, AppProgress apps, long start)
      throws InterruptedException {
    long deadline = start + options.timeout().toNanos();
    long nextReport = System.nanoTime() + 2_000_000_000L;
    while (!apps.complete()) {
      long now = System.nanoTime();
      if (now > deadline) {
        throw new IllegalStateException(new TimeoutException("after "
            + options.timeout().toSeconds() + " s only " + apps.readyCount() + " of "
            + options.apps() + " apps are Ready and " + apps.secretCount() + " have a Secret"));
      }
      if (now >= nextReport) {
        say("%5.1f s: %d/%d Ready, %d Secrets", (now - start) / 1e9, apps.readyCount(),
            options.apps(), apps.secretCount());
        nextReport = now + 2_000_000_000L;
        if (now - apps.lastChangeNanos() > 5_000_000_000L) {
          apps.recheck(k8s, NAMESPACE);
        }
      }
      Thread.sleep(20);
    }
  }

  /** Waits until no call reaches any tenant for {@code quiet}, at most 30 s. */
  private void awaitQuiet(Duration quiet) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    long last = total(sum(counts()));
    long quietSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      Thread.sleep(100);
      long now = total(sum(counts()));
      if (now != last) {
        last = now;
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince >= quiet.toNanos()) {
        return;
      }
    }
  }

  private static long total(CallCounts counts) {
    return counts.calls().values().stream().mapToLong(Long::longValue).sum();
  }

  private static double usedHeapMb() throws InterruptedException {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 2; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return (runtime.totalMemory() - runtime.freeMemory()) / (1024.0 * 1024.0);
  }

  /** Deletes what the run created (apps, roles, API resources) and waits for Logto's side. */
  private void cleanUp(KubernetesClient k8s) throws InterruptedException {
    say("deleting what the benchmark created in Logto");
    for (Class<? extends CustomResource<?, ?>> type :
        List.of(LogtoM2MApp.class, LogtoRole.class, LogtoApiResource.class)) {
      var objects = k8s.resources(type).inNamespace(NAMESPACE).withLabel(RUN_LABEL, run);
      objects.delete();
      long deadline = System.nanoTime() + options.timeout().toNanos();
      Supplier<Integer> left = () -> objects.list().getItems().size();
      int remaining;
      while ((remaining = left.get()) > 0) {
        if (System.nanoTime() > deadline) {
          say("%d %s still being deleted; check Logto for leftovers of run %s", remaining,
              type.getSimpleName(), run);
          break;
        }
        TimeUnit.MILLISECONDS.sleep(500);
      }
    }
  }

  private void say(String format, Object... args) {
    progress.println(String.format(java.util.Locale.ROOT, format, args));
    progress.flush();
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }
}
