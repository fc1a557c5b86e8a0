package io.logto.operator.e2e;

import io.logto.operator.packaging.Project;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Logto (open-source 1.37.1 with its own PostgreSQL) from {@code
 * ../shared/logto-server/start.sh}: started here with a fresh database, or, when {@code
 * LOGTO_E2E_ENV} names the env file of one that {@code .ci/run} started beforehand (in parallel
 * with the build), used as it is and left to {@code .ci/run} to stop.
 */
public final class RealLogtoServer implements AutoCloseable {

  /** Where the script lives; LOGTO_SERVER_DIR overrides for a checkout elsewhere. */
  static final Path SCRIPT_DIR =
      Optional.ofNullable(System.getenv("LOGTO_SERVER_DIR")).map(Path::of)
          .orElse(Project.ROOT.resolve("../shared/logto-server")).normalize();
  /** The env file of an instance started before the build, if any. */
  static final String ENV_FILE_VARIABLE = "LOGTO_E2E_ENV";

  private static final Duration START_TIMEOUT = Duration.ofMinutes(6);

  private final LogtoInstance instance;
  private final long pid;
  private final Path log;
  private final boolean ours;
  /** How start.sh was called, to call it again for the same instance; null when attached. */
  private final Launch launch;
  private final Thread shutdownHook;

  /** start.sh's folder, port and database of an instance this JVM started. */
  private record Launch(Path dir, String database, int port) {}

  private RealLogtoServer(LogtoInstance instance, long pid, Path log, Launch launch) {
    this.instance = instance;
    this.pid = pid;
    this.log = log;
    this.ours = launch != null;
    this.launch = launch;
    this.shutdownHook = new Thread(this::stopProcess, "stop-logto");
    if (ours) {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
  }

  static boolean available() {
    return System.getenv(ENV_FILE_VARIABLE) != null
        || Files.isRegularFile(SCRIPT_DIR.resolve("start.sh"));
  }

  /** The instance {@code .ci/run} started, or a new one. */
  static RealLogtoServer startOrAttach() {
    String envFile = System.getenv(ENV_FILE_VARIABLE);
    if (envFile != null) {
      Path file = Path.of(envFile);
      awaitBackgroundStart(file);
      Map<String, String> env = readEnvFile(file);
      return new RealLogtoServer(instance(env), Long.parseLong(env.get("LOGTO_PID")),
          file.resolveSibling("logto.log"), null);
    }
    // One instance and database per checkout, so that two checkouts' suites do not stop or
    // wipe each other's; Logto's installed sources and tools (LR_DIR/..) are shared.
    return startOwn(null);
  }

  /**
   * Starts another instance (another tenant) with a fresh database, for a test class of its own:
   * its folder and database are named after {@code purpose} and the checkout, so that two
   * checkouts' suites do not wipe each other's. The caller stops it ({@link #close()}).
   *
   * @param purpose lowercase letters, or null for the suite's own instance
   */
  static RealLogtoServer startOwn(String purpose) {
    String checkout = Integer.toHexString(Project.ROOT.toAbsolutePath().normalize().hashCode());
    String label = purpose == null ? checkout : purpose + "-" + checkout;
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "logto-operator-e2e",
        "logto-" + label);
    String database = "logto_e2e_" + label.replace('-', '_');
    try {
      return start(dir, database);
    } catch (IllegalStateException failed) {
      System.err.println("the real Logto did not start; trying once more: " + failed);
      return start(dir, database);
    }
  }

  /**
   * Starts Logto with a fresh database {@code database}, its state in {@code dir} (outside
   * target/, so that Logto's installed dependencies outlive {@code mvn clean}).
   */
  static RealLogtoServer start(Path dir, String database) {
    return launch(new Launch(dir, database, RealApiServer.freePortPair()), true);
  }

  /**
   * start.sh again for this instance, once its process is gone (killed by a test): same folder,
   * port, database and operator app, without LR_FRESH, so Logto comes back holding what it held.
   * The new process has a new pid; this object no longer stands for it.
   */
  RealLogtoServer restart() {
    if (launch == null) {
      throw new IllegalStateException("only an instance this JVM started can be restarted");
    }
    close();
    return launch(launch, false);
  }

  /** Sends a signal (STOP, CONT, KILL...) to Logto's process, as kill(1) does. */
  void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(pid))
          .redirectErrorStream(true).start();
      String output = new String(kill.getInputStream().readAllBytes());
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -s " + name + " " + pid + ": " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * One start at a time, in this JVM and across JVMs of this machine: Logto creates folders in
   * its sources at start (shared by every instance, LR_DIR/..), and two starting at once were
   * seen to fail with EEXIST (mkdir .../alteration-scripts/utils).
   */
  private static RealLogtoServer launch(Launch launch, boolean fresh) {
    Path dir = launch.dir();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    synchronized (RealLogtoServer.class) {
      try (FileChannel lock = FileChannel.open(dir.resolveSibling("start.lock"),
              StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock held = lock.lock()) {
        return runStartScript(launch, fresh);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static RealLogtoServer runStartScript(Launch launch, boolean fresh) {
    Path dir = launch.dir();
    Path startLog = dir.resolve("start.log");
    ProcessBuilder builder =
        new ProcessBuilder("bash", SCRIPT_DIR.resolve("start.sh").toString())
            .redirectErrorStream(true)
            .redirectOutput(startLog.toFile());
    Map<String, String> env = builder.environment();
    env.put("LR_DIR", dir.toAbsolutePath().toString());
    env.put("LOGTO_PORT", Integer.toString(launch.port()));
    env.put("LOGTO_DB", launch.database());
    if (fresh) {
      env.put("LR_FRESH", "1");
    }
    // Logto gives PostgreSQL 5 s to accept a connection; on a loaded 2-core machine (the rest of
    // the suite running beside it) that was seen to fail its start.
    env.put("DATABASE_CONNECTION_TIMEOUT", "60000");
    long started = System.nanoTime();
    try {
      Process process = builder.start();
      if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("logto-server/start.sh did not finish within "
            + START_TIMEOUT + ":\n" + tail(startLog));
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("logto-server/start.sh failed (exit "
            + process.exitValue() + "):\n" + tail(startLog));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    List<String> lines = Project.read(startLog).lines().toList();
    Map<String, String> values = readEnvFile(Path.of(lines.get(lines.size() - 1).trim()));
    System.out.printf("real Logto on %s %s in %.1f s, state in %s%n",
        values.get("LOGTO_ENDPOINT"), fresh ? "ready" : "restarted",
        (System.nanoTime() - started) / 1e9, dir);
    return new RealLogtoServer(instance(values), Long.parseLong(values.get("LOGTO_PID")),
        dir.resolve("logto.log"), launch);
  }

  /**
   * Waits for the start {@code .ci/run} began in the background: start.sh writes the env file
   * last, once the operator's app obtains a token; a failed start leaves start.failed beside it.
   */
  private static void awaitBackgroundStart(Path envFile) {
    Path failed = envFile.resolveSibling("start.failed");
    Path startLog = envFile.resolveSibling("start.log");
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    long began = System.nanoTime();
    while (!Files.isRegularFile(envFile) || !Project.read(envFile).contains("LOGTO_PID=")) {
      if (Files.isRegularFile(failed)) {
        throw new IllegalStateException("the real Logto started by .ci/run failed ("
            + Project.read(failed).trim() + "):\n" + tail(startLog));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the real Logto started by .ci/run was not ready within "
            + START_TIMEOUT + ":\n" + tail(startLog));
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    System.out.printf("real Logto started by .ci/run: waited %.1f s for it%n",
        (System.nanoTime() - began) / 1e9);
  }

  private static LogtoInstance instance(Map<String, String> env) {
    return new LogtoInstance("real Logto 1.37.1", URI.create(env.get("LOGTO_ENDPOINT")),
        env.get("LOGTO_APP_ID"), env.get("LOGTO_APP_SECRET"));
  }

  private static Map<String, String> readEnvFile(Path file) {
    Map<String, String> values = new HashMap<>();
    for (String line : Project.read(file).lines().toList()) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        values.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
      }
    }
    for (String key : List.of("LOGTO_ENDPOINT", "LOGTO_APP_ID", "LOGTO_APP_SECRET",
        "LOGTO_PID")) {
      if (!values.containsKey(key)) {
        throw new IllegalStateException(file + " lacks " + key);
      }
    }
    return values;
  }

  public LogtoInstance instance() {
    return instance;
  }

  /** Logto's process id, for its CPU time and for faults (SIGSTOP, SIGKILL). */
  public long pid() {
    return pid;
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() {
    if (ours) {
      stopProcess();
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run
      }
    }
  }

  private void stopProcess() {
    ProcessHandle.of(pid).ifPresent(p -> {
      p.destroy();
      try {
        p.onExit().get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
      }
    });
  }

  private static String tail(Path file) {
    if (!Files.isRegularFile(file)) {
      return "(no " + file + ")";
    }
    List<String> lines = Project.read(file).lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
