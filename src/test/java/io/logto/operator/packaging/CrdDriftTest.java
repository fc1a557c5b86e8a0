package io.logto.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The CRDs committed in crds/ and helm/logto-operator/crds/ are byte-identical copies of what the
 * Fabric8 CRD generator produced from the CR classes in this build. Run with -Dcrds.update=true to
 * rewrite them.
 */
class CrdDriftTest {

  static final Path GENERATED = Project.path("target/classes/META-INF/fabric8");
  static final List<String> COMMITTED_DIRS = List.of("crds", "helm/logto-operator/crds");
  static final String UPDATE_COMMAND = "mvn -B -Dcrds.update=true -Dtest=CrdDriftTest test";
  private static final String GENERATED_SUFFIX = "." + Project.GROUP + "-v1.yml";
  private static final String COMMITTED_SUFFIX = "." + Project.GROUP + ".yaml";

  /** Generated CRDs by their committed file name, e.g. logtoroles.m2m.logto.io.yaml. */
  static Map<String, byte[]> generatedCrds() throws IOException {
    Map<String, byte[]> crds = new TreeMap<>();
    for (Path file : Project.list(GENERATED, GENERATED_SUFFIX)) {
      String name = file.getFileName().toString();
      String plural = name.substring(0, name.length() - GENERATED_SUFFIX.length());
      crds.put(plural + COMMITTED_SUFFIX, Files.readAllBytes(file));
    }
    return crds;
  }

  @Test
  void buildGeneratesOneCrdPerKind() throws IOException {
    assertThat(generatedCrds().keySet())
        .as(
            "CRDs generated in %s (crd-generator-maven-plugin runs at process-classes: build with"
                + " mvn, not only the IDE)",
            GENERATED)
        .containsExactlyInAnyOrderElementsOf(
            Project.PLURALS.stream().map(p -> p + COMMITTED_SUFFIX).toList());
  }

  @Test
  void committedCrdsAreTheGeneratedOnes() throws IOException {
    Map<String, byte[]> generated = generatedCrds();
    assertThat(generated).as("generated CRDs in %s", GENERATED).isNotEmpty();

    if (Boolean.getBoolean("crds.update")) {
      for (String dir : COMMITTED_DIRS) {
        rewrite(Project.path(dir), generated);
      }
      return;
    }

    List<String> problems = new ArrayList<>();
    for (String dir : COMMITTED_DIRS) {
      Path committedDir = Project.path(dir);
      for (Map.Entry<String, byte[]> crd : generated.entrySet()) {
        Path committed = committedDir.resolve(crd.getKey());
        if (!Files.exists(committed)) {
          problems.add(dir + "/" + crd.getKey() + " is missing");
        } else if (!Arrays.equals(Files.readAllBytes(committed), crd.getValue())) {
          problems.add(
              dir + "/" + crd.getKey() + " differs from the generated CRD: "
                  + firstDifference(Files.readAllBytes(committed), crd.getValue()));
        }
      }
      for (Path committed : Project.list(committedDir, COMMITTED_SUFFIX)) {
        if (!generated.containsKey(committed.getFileName().toString())) {
          problems.add(dir + "/" + committed.getFileName() + " has no CR class any more");
        }
      }
    }
    if (!problems.isEmpty()) {
      fail(
          "The committed CRDs are out of date with the CR classes:\n  - "
              + String.join("\n  - ", problems)
              + "\nRegenerate them with:\n  "
              + UPDATE_COMMAND
              + "\nthen review and commit crds/ and helm/logto-operator/crds/.");
    }
  }

  private static void rewrite(Path dir, Map<String, byte[]> generated) throws IOException {
    Files.createDirectories(dir);
    for (Path stale : Project.list(dir, COMMITTED_SUFFIX)) {
      if (!generated.containsKey(stale.getFileName().toString())) {
        Files.delete(stale);
      }
    }
    for (Map.Entry<String, byte[]> crd : generated.entrySet()) {
      Files.write(dir.resolve(crd.getKey()), crd.getValue());
    }
    System.out.println("crds.update: rewrote " + generated.keySet() + " in " + dir);
  }

  private static String firstDifference(byte[] committed, byte[] generated) {
    String[] a = new String(committed, StandardCharsets.UTF_8).split("\n", -1);
    String[] b = new String(generated, StandardCharsets.UTF_8).split("\n", -1);
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      String left = i < a.length ? a[i] : "<end of file>";
      String right = i < b.length ? b[i] : "<end of file>";
      if (!left.equals(right)) {
        return "line " + (i + 1) + ": committed [" + left.strip() + "], generated ["
            + right.strip() + "]";
      }
    }
    return "line endings or encoding";
  }
}
