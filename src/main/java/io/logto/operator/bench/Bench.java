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
   */
  public record Options(
      int apps,
      Duration latency,
      int rolesPerApp,
      int resources,
      int createThreads,
      Duration timeout,
      int connections,
      Optional<RemoteLogto> remote) {

    public Options {
      if (connections < 1 || connections > apps) {
        throw new IllegalArgumentException("connections must be 1 to the number of apps, got "
            + connections);
      }
      if (connections > 1 && remote.isPresent()) {
        throw new IllegalArgumentException("several connections are simulated tenants: a real"
            + " Logto is one");
      }
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
        return measure(stack, k8s, target);
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

  private BenchResult measure(OperatorStack stack, KubernetesClient k8s, LogtoTarget logto)
      throws InterruptedException {
    int k = connections.size();
    say("bench %s: %d apps, %d roles per app, %d roles over %d API resources, Logto %s%s", run,
        options.apps(), options.rolesPerApp(), options.roles(), options.resources(),
        logto.describe(), k == 1 ? "" : "; apps round-robin over " + k + " connections: "
            + String.join(", ", connections.stream().map(Connection::label).toList()));
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
    List<CallCounts> beforeApps = counts();
    long start;
    Timing all;
    List<Timing> perConnection = new ArrayList<>();
    try (AppProgress apps = new AppProgress(APP_PREFIX, options.apps())) {
      apps.watch(k8s, NAMESPACE);
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
    return BenchResult.of(options.latency().toMillis(), total, BenchResult.round(usedHeapMb(), 1),
        figuresPerConnection);
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
    spec.setIndicator("https://bench-" + run + "-" + tag + i + ".api.example");
    SCOPES.forEach(s -> spec.getScopes().add(new ApiScope(s, s + " " + i)));
    resource.setSpec(spec);
    return resource;
  }

  /** Role j holds two scopes of API resource j mod resources (of the same connection). */
  private LogtoRole role(Connection connection, int j) {
    LogtoRole role = new LogtoRole();
    String tag = connection.tag();
    role.setMetadata(meta("bench-" + tag + "role-" + j));
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
    Connection connection = connections.get(i % connections.size());
    LogtoM2MApp app = new LogtoM2MApp();
    app.setMetadata(meta(AppProgress.appName(APP_PREFIX, i)));
    LogtoM2MAppSpec spec = new LogtoM2MAppSpec();
    spec.setConnectionRef(connection.ref());
    spec.setName("bench-" + run + "-app-" + i);
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
    ExecutorService pool = Executors.newFixedThreadPool(options.createThreads());
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
