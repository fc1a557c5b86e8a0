package io.logto.operator.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.reconciler.OperatorHarness;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An object written against a newer CRD (a field these classes do not know) must not stop the
 * informer: a stopped informer makes Java Operator SDK exit the process, for every namespace.
 * (A failure here shows as the test JVM exiting.)
 */
class UnknownFieldTest {

  @Test
  void anObjectWithAnUnknownFieldIsReconciledAndTheFieldIgnored() {
    try (OperatorHarness h = OperatorHarness.start()) {
      GenericKubernetesResource raw = new GenericKubernetesResource();
      raw.setApiVersion(CrObjects.API_VERSION);
      raw.setKind("LogtoApiResource");
      raw.setMetadata(new ObjectMetaBuilder().withName("from-a-newer-crd")
          .withNamespace(OperatorHarness.NS).build());
      raw.setAdditionalProperty("spec", new LinkedHashMap<>(Map.of(
          "indicator", "https://newer.api",
          "audienceAlias", "added in a later CRD version",
          "scopes", List.of(Map.of("name", "read", "weight", 3)))));
      h.k8s.genericKubernetesResources(CrObjects.API_VERSION, "LogtoApiResource")
          .inNamespace(OperatorHarness.NS).resource(raw).create();

      LogtoApiResource typed = new LogtoApiResource();
      typed.setMetadata(raw.getMetadata());
      LogtoApiResource ready = h.awaitReady(typed);
      assertThat(ready.getStatus().getScopeIds()).containsOnlyKeys("read");
      assertThat(h.client.findApiResourceByIndicator("https://newer.api")).isPresent();
    }
  }
}
