package io.logto.operator.sandbox.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.logto.operator.crdrules.CrdRuleCase;
import io.logto.operator.crdrules.CrdRuleCatalog;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of the generated CRDs, judged by the embedded API server's admission as the
 * catalog says a real API server judges it (CrdAdmissionIT holds the catalog to a real one): the
 * valid document is admitted, the invalid one refused with the exact line for its field.
 */
class AdmissionCatalogTest {

  private static final String NS = "default";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  static Stream<CrdRuleCase> cases() {
    return CrdRuleCatalog.cases().stream();
  }

  static Admission admission() {
    Admission admission = new Admission();
    for (String kind : CrdRuleCatalog.PLURALS.keySet()) {
      String crd = SERIALIZATION.asJson(CrdRuleCatalog.crd(kind));
      assertThat(admission.review("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd,
          null)).as("the CRD of " + kind).isEmpty();
    }
    return admission;
  }

  private static final Admission ADMISSION = admission();

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void judgesAsTheApiServer(CrdRuleCase rule) {
    String collection = "/apis/m2m.logto.io/v1alpha1/namespaces/" + NS + "/"
        + CrdRuleCatalog.PLURALS.get(rule.kind());
    Optional<Refusal> refusal;
    if (rule.update().isEmpty()) {
      refusal = ADMISSION.review(collection, rule.document().toString(), null);
    } else {
      assertThat(ADMISSION.review(collection, rule.document().toString(), null)).isEmpty();
      refusal = ADMISSION.review(collection + "/" + rule.name(), rule.update().get().toString(),
          rule.document().toString());
    }
    if (rule.valid()) {
      assertThat(refusal).as("refusal of a valid document").isEmpty();
      return;
    }
    assertThat(refusal).as("a refusal").isPresent();
    Status status = refusal.get().status();
    assertThat(refusal.get().code()).isEqualTo(422);
    assertThat(status.getReason()).isEqualTo("Invalid");
    assertThat(status.getDetails().getKind()).isEqualTo(rule.kind());
    assertThat(status.getDetails().getName()).isEqualTo(rule.name());
    assertThat(status.getDetails().getCauses()).extracting(AdmissionCatalogTest::asKubectlShowsIt)
        .as(status.getMessage()).contains(rule.expectedError());
    assertThat(Refusal.asKubectlPrintsIt(status)).startsWith(rule.expectedHeadline() + ":")
        .contains(rule.expectedError());
  }

  static String asKubectlShowsIt(StatusCause cause) {
    return cause.getField() + ": " + cause.getMessage();
  }
}
