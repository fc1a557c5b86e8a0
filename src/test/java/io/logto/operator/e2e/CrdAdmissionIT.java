package io.logto.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.logto.operator.crdrules.CrdRuleCase;
import io.logto.operator.crdrules.CrdRuleCatalog;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of the three CRDs as installed from crds/ (types, required fields, enums, patterns,
 * lengths, bounds, item counts, CEL rules, the immutable indicator): the real API server accepts
 * the valid document and refuses the invalid one with the catalog's message for the field, the
 * line {@code kubectl} prints. Creates are dry runs; update rules create the object first.
 */
@ExtendWith(RealCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrdAdmissionIT {

  private static final String NS = "e2e-admission";
  private KubernetesClient admin;

  @BeforeAll
  void connect(RealApiServer server) {
    admin = server.adminClient();
    RealCluster.createNamespaces(admin, NS);
  }

  @AfterAll
  void disconnect() {
    ClusterObjects.release(admin, List.of(NS), E2eKinds.ALL);
    admin.close();
  }

  static Stream<CrdRuleCase> cases() {
    return CrdRuleCatalog.cases().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theApiServerJudgesAsTheCatalogSays(CrdRuleCase rule) {
    KubernetesClientException refusal =
        catchThrowableOfType(KubernetesClientException.class, () -> submit(rule));
    if (rule.valid()) {
      assertThat(refusal).as("refusal of a valid document").isNull();
      return;
    }
    assertThat(refusal).as("a refusal").isNotNull();
    assertThat(refusal.getCode()).isEqualTo(422);
    Status status = refusal.getStatus();
    assertThat(status.getDetails().getKind()).isEqualTo(rule.kind());
    assertThat(status.getDetails().getName()).isEqualTo(rule.name());
    assertThat(status.getDetails().getCauses()).extracting(CrdAdmissionIT::asKubectlShowsIt)
        .as(status.getMessage())
        .contains(rule.expectedError());
  }

  /** kubectl prints each cause as {@code field: message}. */
  private static String asKubectlShowsIt(StatusCause cause) {
    return cause.getField() + ": " + cause.getMessage();
  }

  private void submit(CrdRuleCase rule) {
    GenericKubernetesResource document = asResource(rule.document());
    if (rule.update().isEmpty()) {
      admin.resource(document).dryRun().create();
      return;
    }
    GenericKubernetesResource created = admin.resource(document).create();
    GenericKubernetesResource update = asResource(rule.update().get());
    update.getMetadata().setResourceVersion(created.getMetadata().getResourceVersion());
    admin.resource(update).dryRun().update();
  }

  private static GenericKubernetesResource asResource(
      com.fasterxml.jackson.databind.node.ObjectNode document) {
    GenericKubernetesResource resource =
        Serialization.unmarshal(document.toString(), GenericKubernetesResource.class);
    resource.getMetadata().setNamespace(NS);
    return resource;
  }
}
