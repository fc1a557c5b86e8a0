package io.logto.operator.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.logto.operator.packaging.Project;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The kubectl that .ci/run installs beside helm (KUBECTL_BIN, .ci/tools/bin, or the PATH). */
final class Kubectl {

  record Result(int exitCode, String output) {}

  private final Path binary;
  private final Path kubeconfig;

  private Kubectl(Path binary, Path kubeconfig) {
    this.binary = binary;
    this.kubeconfig = kubeconfig;
  }

  static Kubectl required(Path kubeconfig) {
    Optional<Path> binary = locate();
    if (binary.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException("No kubectl in CI: .ci/run installs it into .ci/tools/bin");
    }
    assumeTrue(binary.isPresent(), "No kubectl (KUBECTL_BIN, .ci/tools/bin/kubectl or PATH):"
        + " the kubectl apply tests are SKIPPED; .ci/run installs it");
    return new Kubectl(binary.get(), kubeconfig);
  }

  private static Optional<Path> locate() {
    String env = System.getenv("KUBECTL_BIN");
    if (env != null && !env.isBlank()) {
      return Optional.of(Path.of(env));
    }
    Path installed = Project.path(".ci/tools/bin/kubectl");
    if (Files.isExecutable(installed)) {
      return Optional.of(installed);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, "kubectl");
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  Result run(String... args) {
    List<String> command = new ArrayList<>(List.of(binary.toString(), "--kubeconfig",
        kubeconfig.toString()));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("kubectl timed out: " + command);
      }
      return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
