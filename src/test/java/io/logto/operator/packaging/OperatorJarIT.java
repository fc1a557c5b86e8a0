package io.logto.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The two jars that mvn package builds: the image's jar carries the operator and nothing of the
 * sandbox, the benchmark, the simulator or their libraries, and still refers to nothing it left
 * out; the sandbox jar runs the sandbox.
 */
class OperatorJarIT {

  static final Path OPERATOR_JAR = Project.path("target/logto-operator.jar");
  static final Path SANDBOX_JAR = Project.path("target/logto-operator-sandbox.jar");

  /** Packages of this project and libraries that only the sandbox jar may hold. */
  static final List<String> TOOLING = List.of(
      "io/logto/operator/devtools/", "io/logto/operator/sandbox/", "io/logto/operator/bench/",
      "io/logto/operator/simulator/", "io/fabric8/mockwebserver/",
      "io/fabric8/kubernetes/client/server/mock/", "io/vertx/", "io/netty/", "com/nimbusds/",
      "org/bouncycastle/", "com/networknt/", "com/ethlo/", "dev/cel/", "com/google/common/",
      "com/google/thirdparty/",
      "com/google/protobuf/", "com/google/re2j/", "com/google/auto/value/",
      "com/google/errorprone/", "com/google/j2objc/", "org/antlr/", "org/threeten/");

  /**
   * Classes that refer to a left-out library without being used: Micrometer's optional binders for
   * Netty's allocator and event loops and for Guava caches, bound only by an application that asks
   * for them.
   */
  static final List<String> OPTIONAL_REFERRERS =
      List.of("io.micrometer.core.instrument.binder.netty4.",
          "io.micrometer.core.instrument.binder.cache.GuavaCacheMetrics");

  @Test
  void theOperatorJarHoldsNoTestTooling() throws IOException {
    Set<String> entries = entries(OPERATOR_JAR);
    assertThat(entries).filteredOn(e -> TOOLING.stream().anyMatch(e::startsWith)).isEmpty();
    assertThat(entries).contains("io/logto/operator/Main.class",
        "io/logto/operator/cli/RunCommand.class",
        "io/logto/operator/reconciler/app/M2MAppReconciler.class");
    // The sandbox jar has all of it.
    assertThat(entries(SANDBOX_JAR)).contains("io/logto/operator/simulator/LogtoSimulator.class",
        "io/logto/operator/devtools/SandboxMain.class",
        "io/logto/operator/sandbox/admission/Admission.class", "dev/cel/bundle/Cel.class",
        "com/networknt/schema/Schema.class",
        "io/fabric8/kubernetes/client/server/mock/KubernetesMockServer.class");
    System.out.printf("jar sizes: %s %.1f MB (%d entries), %s %.1f MB (%d entries)%n",
        OPERATOR_JAR.getFileName(), Files.size(OPERATOR_JAR) / 1e6, entries.size(),
        SANDBOX_JAR.getFileName(), Files.size(SANDBOX_JAR) / 1e6, entries(SANDBOX_JAR).size());
  }

  /** jdeps: no class the operator jar keeps refers to a class that only the sandbox jar has. */
  @Test
  void nothingInTheOperatorJarRefersToWhatItLeftOut() throws IOException {
    Set<String> onlyInSandbox = new TreeSet<>(classes(SANDBOX_JAR));
    onlyInSandbox.removeAll(classes(OPERATOR_JAR));
    String jdeps = Path.of(System.getProperty("java.home"), "bin", "jdeps").toString();
    Processes.Result result = run(jdeps, "--multi-release", "17", "--missing-deps",
        OPERATOR_JAR.toString());
    List<String> dangling = new ArrayList<>();
    for (String line : result.output().lines().toList()) {
      String[] parts = line.trim().split("\\s+");
      // "origin.Class -> missing.Class   not found"
      if (parts.length >= 3 && parts[1].equals("->") && onlyInSandbox.contains(parts[2])
          && OPTIONAL_REFERRERS.stream().noneMatch(parts[0]::startsWith)) {
        dangling.add(parts[0] + " -> " + parts[2]);
      }
    }
    assertThat(onlyInSandbox).as("the sandbox jar's extra classes").isNotEmpty();
    assertThat(dangling).as("references from the operator jar to left-out classes").isEmpty();
  }

  @Test
  void theOperatorJarRunsOnlyTheOperator() {
    Processes.Result help = run(java(), "-jar", OPERATOR_JAR.toString(), "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.output()).contains("run").doesNotContain("sandbox  ", "bench  ")
        .contains("logto-operator-sandbox.jar");
    Processes.Result sandbox = run(java(), "-jar", OPERATOR_JAR.toString(), "sandbox");
    assertThat(sandbox.exitCode()).isNotZero();
  }

  /** The README's first command, from the sandbox jar. */
  @Test
  void theSandboxJarRunsTheSandbox() throws IOException {
    Path summary = Files.createTempFile("sandbox-summary", ".json");
    Processes.Result result = run(java(), "-jar", SANDBOX_JAR.toString(), "sandbox", "--once",
        "--examples", Project.path("examples").toString(), "--summary-file", summary.toString());
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(Files.readString(summary)).contains("order-stats", "shopping-api");
    // The user's screen: no log line (they go to a file named there), and no library's noise.
    assertThat(result.output()).contains("Operator log    ")
        .doesNotContainPattern("(?m)^\\d{2}:\\d{2}:\\d{2}\\.\\d{3} ")
        .doesNotContain("SLF4J", "WARNING", "Exception");
    Processes.Result help = run(java(), "-jar", SANDBOX_JAR.toString(), "--help");
    assertThat(help.output()).contains("sandbox", "bench", "simulator", "run");
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static Processes.Result run(String... command) {
    return Processes.run(List.of(command), Map.of(), Duration.ofSeconds(180));
  }

  private static Set<String> entries(Path jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return zip.stream().map(ZipEntry::getName).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static Set<String> classes(Path jar) throws IOException {
    return entries(jar).stream()
        .filter(e -> e.endsWith(".class") && !e.startsWith("META-INF/"))
        .map(e -> e.substring(0, e.length() - ".class".length()).replace('/', '.'))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
