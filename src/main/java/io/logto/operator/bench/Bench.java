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
import io.logto.operator.crd.common.LocalObjectReference;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.crd.role.LogtoRoleSpec;
import io.logto.operator.crd.role.RolePermission;
import io.logto.operator.logto.LogtoClientOptions;
import io.logto.operator.logto.LogtoException;
import io.logto.operator.sandbox.CallCounts;
import io.logto.operator.sandbox.Convergence;
import io.logto.operator.sandbox.LogtoTarget;
import io.logto.operator.sandbox.ObjectKey;
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
import java.util.function.Supplier;

/**
 * Measures the operator at scale: shared API resources and roles, then N apps created at once;
 * the time until each app's Secret exists, the Logto calls per app, one full resync with nothing
 * changed, and the heap with everything converged.
 */
public final class Bench {

  /**
   * @param apps how many LogtoM2MApps to create
   * @param latency simulator only: added to each Logto call
   * @param rolesPerApp roles each app holds, chosen round-robin
   * @param resources shared API resources (roles hold scopes of one each)
   * @param createThreads threads creating the custom resources
   * @param timeout bound on each wait
   * @param remote a real Logto instead of the simulator
   */
  public record Options(
      int apps,
      Duration latency,
      int rolesPerApp,
      int resources,
      int createThreads,
      Duration timeout,
      Optional<RemoteLogto> remote) {

    public int roles() {
      return Math.max(10, rolesPerApp);
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
      stack.startOperator(Set.of(), Duration.ZERO);
      KubernetesClient k8s = stack.kubernetes();
      try {
        return measure(stack, k8s, target);
      } finally {
        if (target.simulator().isEmpty()) {
          cleanUp(k8s);
        }
      }
    }
  }

  private BenchResult measure(OperatorStack stack, KubernetesClient k8s, LogtoTarget logto)
      throws InterruptedException {
    say("bench %s: %d apps, %d roles per app, %d roles over %d API resources, Logto %s", run,
        options.apps(), options.rolesPerApp(), options.roles(), options.resources(),
        logto.describe());
    long sharedStart = System.nanoTime();
    List<ObjectKey> shared = new ArrayList<>();
    createAll(k8s, options.resources(), i -> apiResource(i), shared);
    createAll(k8s, options.roles(), i -> role(i), shared);
    Convergence.Outcome sharedOutcome = new Convergence(k8s).await(shared, options.timeout(),
        Duration.ofMillis(100), () -> false, s -> {});
    if (!sharedOutcome.allReady()) {
      throw new IllegalStateException("the shared API resources and roles did not become Ready: "
          + sharedOutcome.notReady().stream().map(o -> o.key() + " " + o.reason() + ": "
              + o.message()).toList());
    }
    say("%d API resources and %d roles Ready in %.1f s", options.resources(), options.roles(),
        (System.nanoTime() - sharedStart) / 1e9);

    awaitQuiet(logto, QUIET);
    CallCounts beforeApps = logto.counts();
    long start;
    long end;
    double[] applyToSecret;
    try (AppProgress apps = new AppProgress(APP_PREFIX, options.apps())) {
      apps.watch(k8s, NAMESPACE);
      start = System.nanoTime();
      createApps(k8s, apps);
      say("created %d LogtoM2MApps in %.1f s", options.apps(), (System.nanoTime() - start) / 1e9);
      awaitApps(k8s, apps, start);
      end = apps.lastChangeNanos();
      applyToSecret = apps.applyToSecretMillis();
    }
    say("all %d apps Ready with their Secrets in %.1f s", options.apps(), (end - start) / 1e9);
    awaitQuiet(logto, QUIET);
    CallCounts appCalls = logto.counts().minus(beforeApps);

    CallCounts beforeResync = logto.counts();
    var report = stack.operator().resyncNow();
    awaitQuiet(logto, Duration.ofSeconds(1));
    CallCounts resync = logto.counts().minus(beforeResync);
    say("resync: %s; %d calls to /api", report, resync.managementCalls("/api", false));

    double heap = usedHeapMb();
    int n = options.apps();
    return new BenchResult(
        n,
        options.latency().toMillis(),
        BenchResult.round((end - start) / 1e9, 2),
        BenchResult.round(AppProgress.percentile(applyToSecret, 0.50), 1),
        BenchResult.round(AppProgress.percentile(applyToSecret, 0.95), 1),
        BenchResult.round((double) appCalls.managementCalls("/api/applications", false) / n, 3),
        BenchResult.round((double) appCalls.managementCalls("/api/applications", true) / n, 3),
        BenchResult.round((double) appCalls.otherTokenRequests() / n, 3),
        logto.counts().operatorTokenRequests(),
        resync.count((method, path) -> path.startsWith("/api") && "GET".equals(method)),
        resync.count((method, path) -> path.startsWith("/api") && !"GET".equals(method)),
        BenchResult.round(heap, 1));
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

  private LogtoApiResource apiResource(int i) {
    LogtoApiResource resource = new LogtoApiResource();
    resource.setMetadata(meta("bench-api-" + i));
    LogtoApiResourceSpec spec = new LogtoApiResourceSpec();
    spec.setName("bench " + run + " API " + i);
    spec.setIndicator("https://bench-" + run + "-" + i + ".api.example");
    SCOPES.forEach(s -> spec.getScopes().add(new ApiScope(s, s + " " + i)));
    resource.setSpec(spec);
    return resource;
  }

  /** Role j holds two scopes of API resource j mod resources. */
  private LogtoRole role(int j) {
    LogtoRole role = new LogtoRole();
    role.setMetadata(meta("bench-role-" + j));
    LogtoRoleSpec spec = new LogtoRoleSpec();
    spec.setName("bench-" + run + "-role-" + j);
    spec.setDescription("Benchmark role " + j);
    RolePermission permission = new RolePermission();
    permission.setResourceRef(new LocalObjectReference("bench-api-" + (j % options.resources())));
    permission.setScopes(List.of(SCOPES.get(0), SCOPES.get(1 + j % 2)));
    spec.setPermissions(List.of(permission));
    role.setSpec(spec);
    return role;
  }

  /** App i holds roles (i*R + k) mod roles for k < R: round-robin, each role equally used. */
  private LogtoM2MApp app(int i) {
    LogtoM2MApp app = new LogtoM2MApp();
    app.setMetadata(meta(AppProgress.appName(APP_PREFIX, i)));
    LogtoM2MAppSpec spec = new LogtoM2MAppSpec();
    spec.setName("bench-" + run + "-app-" + i);
    int roles = options.roles();
    for (int k = 0; k < options.rolesPerApp(); k++) {
      AppRoleAssignment assignment = new AppRoleAssignment();
      assignment.setRoleRef(new LocalObjectReference(
          "bench-role-" + ((i * options.rolesPerApp() + k) % roles)));
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

  /** Waits until no call reaches Logto for {@code quiet}, at most 30 s. */
  private static void awaitQuiet(LogtoTarget logto, Duration quiet) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    long last = total(logto.counts());
    long quietSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      Thread.sleep(100);
      long now = total(logto.counts());
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
