package io.logto.operator.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.logto.operator.reconciler.OperatorHarness;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * KNOWN DEFECT, pinned (see the hardening report): one object whose spec the typed classes cannot
 * hold stops the whole operator. Fabric8 fails to convert the watch event, the informer of that
 * kind stops, and Java Operator SDK's default informer-stopped handler calls System.exit(1); after
 * a restart the initial list fails the same way, so the pod crash-loops for every namespace. A real
 * API server refuses these values at admission while the CRD is installed and current, but an
 * unknown field also arrives when the CRD is newer than the operator. Runs in a child JVM, since
 * the exit would end the test run. When the defect is fixed, this test should instead expect the
 * operator to survive and the object to get Ready=False, InvalidSpec.
 */
class UnreadableObjectStopsOperatorTest {

  /** The child: starts the operator, creates an object with an unknown field, waits. */
  public static void main(String[] args) throws Exception {
    try (OperatorHarness h = OperatorHarness.start()) {
      GenericKubernetesResource raw = new GenericKubernetesResource();
      raw.setApiVersion(CrObjects.API_VERSION);
      raw.setKind("LogtoApiResource");
      raw.setMetadata(new ObjectMetaBuilder().withName("from-a-newer-crd")
          .withNamespace(OperatorHarness.NS).build());
      raw.setAdditionalProperty("spec", new LinkedHashMap<>(Map.of(
          "indicator", "https://newer.api", "audienceAlias", "added in a later CRD version")));
      h.k8s.genericKubernetesResources(CrObjects.API_VERSION, "LogtoApiResource")
          .inNamespace(OperatorHarness.NS).resource(raw).create();
      Thread.sleep(10_000);
      System.out.println("OPERATOR-SURVIVED");
    }
    System.exit(0);
  }

  @Test
  void anObjectWithAnUnknownFieldStopsTheOperatorProcess() throws Exception {
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    Path output = Files.createTempFile("unreadable-object", ".log");
    Process child = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpath, UnreadableObjectStopsOperatorTest.class.getName()))
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
    boolean ended = child.waitFor(60, TimeUnit.SECONDS);
    if (!ended) {
      child.destroyForcibly();
    }
    String log = Files.readString(output, StandardCharsets.UTF_8);
    Files.deleteIfExists(output);
    assertThat(ended).as("child ended").isTrue();
    assertThat(log).doesNotContain("OPERATOR-SURVIVED")
        .contains("Fatal error in informer", "Unrecognized field \"audienceAlias\"");
    assertThat(child.exitValue()).isEqualTo(1);
  }
}
