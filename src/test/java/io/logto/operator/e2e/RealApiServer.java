package io.logto.operator.e2e;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.logto.operator.packaging.Project;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real kube-apiserver with etcd, started by {@code ../shared/kube-apiserver/start.sh} on free
 * loopback ports, with an audit log of every request (who, verb, resource, answer code) for the
 * RBAC tests. {@link #close()} stops both processes by the pids the script wrote, and a shutdown
 * hook does the same if the JVM ends first.
 */
public final class RealApiServer implements AutoCloseable {

  /** Where the script lives; KUBE_APISERVER_DIR overrides for a checkout elsewhere. */
  static final Path SCRIPT_DIR =
      Optional.ofNullable(System.getenv("KUBE_APISERVER_DIR")).map(Path::of)
          .orElse(Project.ROOT.resolve("../shared/kube-apiserver")).normalize();

  private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

  private static final String AUDIT_POLICY = """
      apiVersion: audit.k8s.io/v1
      kind: Policy
      omitStages: ["RequestReceived"]
      rules:
        - level: Metadata
      """;

  private final Path dir;
  private final Path kubeconfig;
  private final List<Long> pids;
  private final Thread shutdownHook;

  private RealApiServer(Path dir, Path kubeconfig, List<Long> pids) {
    this.dir = dir;
    this.kubeconfig = kubeconfig;
    this.pids = pids;
    this.shutdownHook = new Thread(this::stopProcesses, "stop-kube-apiserver");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  static boolean available() {
    return Files.isRegularFile(SCRIPT_DIR.resolve("start.sh"));
  }

  /** Starts a fresh API server and etcd in {@code dir} (wiped first). */
  static RealApiServer start(Path dir) {
    Path state = dir.toAbsolutePath();
    stopLeftovers(state);
    deleteRecursively(state);
    try {
      Files.createDirectories(state);
      Files.writeString(state.resolve("audit-policy.yaml"), AUDIT_POLICY);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int etcdPort = freePortPair();
    int apiPort = freePort();
    ProcessBuilder builder =
        new ProcessBuilder("bash", SCRIPT_DIR.resolve("start.sh").toString())
            .redirectErrorStream(true)
            .redirectOutput(state.resolve("start.log").toFile());
    Map<String, String> env = builder.environment();
    env.put("KR_DIR", state.toString());
    env.put("ETCD_PORT", Integer.toString(etcdPort));
    env.put("KAS_PORT", Integer.toString(apiPort));
    env.put("KAS_EXTRA_ARGS", "--audit-policy-file=" + state.resolve("audit-policy.yaml")
        + " --audit-log-path=" + state.resolve("audit.log") + " --audit-log-maxsize=0");
    long started = System.nanoTime();
    int exit = run(builder, state);
    List<Long> pids = readPids(state);
    if (exit != 0) {
      pids.forEach(RealApiServer::stop);
      throw new IllegalStateException("start.sh failed (exit " + exit + "):\n"
          + tail(state.resolve("start.log")) + "\nkube-apiserver log:\n"
          + tail(state.resolve("kube-apiserver.log")) + "\netcd log:\n"
          + tail(state.resolve("etcd.log")));
    }
    List<String> lines = Project.read(state.resolve("start.log")).lines().toList();
    Path kubeconfig = Path.of(lines.get(lines.size() - 1).trim());
    System.out.printf("kube-apiserver on 127.0.0.1:%d (etcd %d) ready in %.1f s, state in %s%n",
        apiPort, etcdPort, (System.nanoTime() - started) / 1e9, state);
    return new RealApiServer(state, kubeconfig, pids);
  }

  private static int run(ProcessBuilder builder, Path state) {
    try {
      Process process = builder.start();
      if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        readPids(state).forEach(RealApiServer::stop);
        throw new IllegalStateException("start.sh did not finish within " + START_TIMEOUT
            + ":\n" + tail(state.resolve("start.log")));
      }
      return process.exitValue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An admin client (system:masters). */
  public KubernetesClient adminClient() {
    return clientFor(adminConfig());
  }

  /** The admin kubeconfig, parsed: the server's URL and CA among others. */
  Config adminConfig() {
    return Config.fromKubeconfig(Project.read(kubeconfig));
  }

  private static KubernetesClient clientFor(Config config) {
    config.setRequestTimeout(30_000);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  public Path auditLog() {
    return dir.resolve("audit.log");
  }

  @Override
  public void close() {
    stopProcesses();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook is running or has run
    }
  }

  private void stopProcesses() {
    pids.forEach(RealApiServer::stop);
  }

  // The API server first, then etcd (the order of the list).
  private static List<Long> readPids(Path state) {
    return List.of("kas.pid", "etcd.pid").stream()
        .map(state::resolve)
        .filter(Files::isRegularFile)
        .map(f -> Long.parseLong(Project.read(f).trim()))
        .toList();
  }

  private static void stop(long pid) {
    ProcessHandle.of(pid).ifPresent(process -> {
      process.destroy();
      try {
        process.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (Exception e) {
        process.destroyForcibly();
      }
    });
  }

  /** A previous run killed before its cleanup: stop its processes, but only if they are ours. */
  private static void stopLeftovers(Path state) {
    if (!Files.isDirectory(state)) {
      return;
    }
    for (long pid : readPids(state)) {
      ProcessHandle.of(pid)
          .filter(p -> p.info().commandLine().map(c -> c.contains(state.toString())).orElse(false))
          .ifPresent(p -> stop(pid));
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A port whose successor is free too (etcd's client and peer ports). */
  static int freePortPair() {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(20_000, 40_000);
      try (ServerSocket a = new ServerSocket(port); ServerSocket b = new ServerSocket(port + 1)) {
        return port;
      } catch (IOException e) {
        // taken: try another
      }
    }
    throw new IllegalStateException("no two free consecutive ports found");
  }

  private static String tail(Path file) {
    if (!Files.isRegularFile(file)) {
      return "(no " + file.getFileName() + ")";
    }
    List<String> lines = Project.read(file).lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  private static void deleteRecursively(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (var files = Files.walk(path)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
