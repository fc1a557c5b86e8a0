package io.logto.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.ConfigurationService;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.reconciler.OperatorHarness;
import org.junit.jupiter.api.Test;

/**
 * The operator writes without server-side apply, in production as in tests (the README's
 * development section says why; GitOpsApplyIT shows on a real API server that Git's applies and
 * the operator's writes keep out of each other's way). The mock server cannot serve the other
 * choice at all.
 */
class ServerSideApplyDecisionTest {

  @Test
  void theOperatorIsConfiguredWithoutServerSideApply() {
    try (OperatorHarness h = OperatorHarness.start()) {
      ConfigurationService configuration = h.operator().operator().getConfigurationService();
      assertThat(configuration.useSSAToPatchPrimaryResource()).isFalse();
      assertThat(configuration.ssaBasedCreateUpdateMatchForDependentResources()).isFalse();
    }
  }

  @Test
  void theMockServerServesNoServerSideApply() {
    try (OperatorHarness h = OperatorHarness.startWithoutOperator()) {
      LogtoApiResource api = OperatorHarness.apiResource("ssa-api", "https://ssa.api", "read");
      assertThatThrownBy(() -> h.k8s.resource(api).serverSideApply())
          .isInstanceOf(KubernetesClientException.class);
    }
  }
}
