package io.logto.operator.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.logto.operator.packaging.Processes;
import io.logto.operator.packaging.Project;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The kubectl that .ci/run installs beside helm (KUBECTL_BIN, .ci/tools/bin, or the PATH). */
final class Kubectl {

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

  Processes.Result run(String... args) {
    List<String> command = new ArrayList<>(List.of(binary.toString(), "--kubeconfig",
        kubeconfig.toString()));
    command.addAll(List.of(args));
    return Processes.run(command, Map.of(), Duration.ofSeconds(60));
  }
}
