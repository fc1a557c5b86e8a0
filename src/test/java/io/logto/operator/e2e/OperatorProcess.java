package io.logto.operator.e2e;

import io.logto.operator.packaging.Dockerfile;
import io.logto.operator.packaging.Project;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar target/logto-operator.jar run}, the image's command, as a child process with the
 * image's JVM options ({@code JAVA_TOOL_OPTIONS} of the Dockerfile) and the given environment; its
 * output goes to a file. Closing sends SIGTERM, as the kubelet does.
 */
final class OperatorProcess implements AutoCloseable {

  static final Path JAR = Project.path("target/logto-operator.jar");

  private final Process process;
  private final Path output;

  private OperatorProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  static OperatorProcess start(Map<String, String> environment, Path output) {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: the suite runs after mvn package");
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "-jar", JAR.toString(),
        "run"))
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    builder.environment().put("JAVA_TOOL_OPTIONS", Dockerfile.javaToolOptions());
    builder.environment().putAll(environment);
    try {
      return new OperatorProcess(builder.start(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The chart's settings of the operator's place in the cluster: the API server (KUBECONFIG),
   * the namespaces it watches, its own namespace (where a ClusterLogtoConnection's Secret is),
   * its health port; one replica, so no leader election.
   */
  static Map<String, String> clusterEnvironment(RealApiServer server, String watchNamespaces,
      String podNamespace, int httpPort) {
    return Map.of(
        "KUBECONFIG", server.kubeconfig().toString(),
        "WATCH_NAMESPACES", watchNamespaces,
        "POD_NAMESPACE", podNamespace,
        "HTTP_PORT", Integer.toString(httpPort),
        "LEADER_ELECTION_ENABLED", "false");
  }

  /** Waits until {@code /readyz} answers 200 on {@code port}, or the process has exited. */
  void awaitReady(int port, Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the operator exited with " + process.exitValue()
            + ":\n" + output());
      }
      try {
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
            HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(200);
    }
    throw new IllegalStateException("the operator was not ready within " + timeout + ":\n"
        + output());
  }

  String output() {
    return Files.isRegularFile(output) ? Project.read(output) : "";
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
