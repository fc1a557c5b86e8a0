package io.logto.operator.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crdrules.CrdRuleCase;
import io.logto.operator.crdrules.CrdRuleCatalog;
import io.logto.operator.sandbox.admission.Refusal;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The embedded API server admits custom resources as a cluster does: the CRD rule catalog over
 * HTTP with a Fabric8 client (422, Status with kind, name and causes), nothing stored when refused,
 * status and metadata writes not blocked by the spec of an object stored before, and a documented
 * way around admission for tests.
 */
class EmbeddedKubernetesAdmissionTest {

  private static final String NS = "admission";
  private static EmbeddedKubernetes kubernetes;
  private static KubernetesClient k8s;

  @BeforeAll
  static void start() {
    kubernetes = EmbeddedKubernetes.start();
    k8s = kubernetes.client();
  }

  @AfterAll
  static void stop() {
    kubernetes.close();
  }

  static Stream<CrdRuleCase> cases() {
    return CrdRuleCatalog.cases().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void judgesEveryRuleOfTheCrdsAsTheCatalogSays(CrdRuleCase rule) {
    KubernetesClientException refusal =
        catchThrowableOfType(KubernetesClientException.class, () -> submit(rule));
    GenericKubernetesResource stored = raw(rule.kind(), rule.name()).get();
    if (rule.valid()) {
      assertThat(refusal).as("refusal of a valid document").isNull();
      assertThat(stored).isNotNull();
      return;
    }
    assertThat(refusal).as("a refusal").isNotNull();
    assertThat(refusal.getCode()).isEqualTo(422);
    Status status = refusal.getStatus();
    assertThat(status.getReason()).isEqualTo("Invalid");
    assertThat(status.getDetails().getKind()).isEqualTo(rule.kind());
    assertThat(status.getDetails().getName()).isEqualTo(rule.name());
    assertThat(status.getDetails().getCauses())
        .extracting(c -> c.getField() + ": " + c.getMessage()).contains(rule.expectedError());
    assertThat(status.getMessage()).startsWith(rule.kind() + ".m2m.logto.io \"" + rule.name()
        + "\" is invalid: ");
    assertThat(Refusal.asKubectlPrintsIt(status)).startsWith(rule.expectedHeadline() + ":");
    if (rule.update().isEmpty()) {
      assertThat(stored).as("nothing stored").isNull();
    } else {
      assertThat(stored.getAdditionalProperties().get("spec"))
          .as("the spec stays as last admitted")
          .isEqualTo(asResource(rule.document()).getAdditionalProperties().get("spec"));
    }
  }

  @Test
  void aRefusedCreateGivesKubectlsMessage() {
    GenericKubernetesResource app = asResource(Serialization.unmarshal("""
        {"apiVersion": "m2m.logto.io/v1alpha1", "kind": "LogtoM2MApp",
         "metadata": {"name": "wrong-policy"}, "spec": {"deletionPolicy": "Sometimes"}}""",
        ObjectNode.class));

    KubernetesClientException refusal = catchThrowableOfType(KubernetesClientException.class,
        () -> k8s.resource(app).create());

    assertThat(Refusal.asKubectlPrintsIt(refusal.getStatus())).isEqualTo("""
        The LogtoM2MApp "wrong-policy" is invalid:
        * spec.deletionPolicy: Unsupported value: "Sometimes": supported values: "Delete", \
        "Retain"
        * <nil>: Invalid value: "null": some validation rules were not checked because the \
        object was invalid; correct the existing errors to complete validation""");
  }

  @Test
  void strictFieldValidationRefusesUnknownFieldsAsKubectlAsksFor() {
    GenericKubernetesResource api = asResource(Serialization.unmarshal("""
        {"apiVersion": "m2m.logto.io/v1alpha1", "kind": "LogtoApiResource",
         "metadata": {"name": "typo"},
         "spec": {"indicator": "https://typo.api", "deletionpolicy": "Retain"}}""",
        ObjectNode.class));

    KubernetesClientException refusal = catchThrowableOfType(KubernetesClientException.class,
        () -> k8s.resource(api).fieldValidation(
            io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation.STRICT).create());

    assertThat(refusal.getCode()).isEqualTo(400);
    assertThat(refusal.getStatus().getMessage()).isEqualTo("LogtoApiResource in version"
        + " \"v1alpha1\" cannot be handled as a LogtoApiResource: strict decoding error:"
        + " unknown field \"spec.deletionpolicy\"");
    // Without it, as with a real API server's default, the object is accepted.
    assertThat(k8s.resource(api).create()).isNotNull();
  }

  @Test
  void anObjectStoredPastAdmissionCanStillHaveItsStatusAndFinalizersWritten() {
    GenericKubernetesResource invalid = asResource(Serialization.unmarshal("""
        {"apiVersion": "m2m.logto.io/v1alpha1", "kind": "LogtoApiResource",
         "metadata": {"name": "stored-before"},
         "spec": {"indicator": "relative", "accessTokenTtl": 0}}""", ObjectNode.class));
    assertThat(catchThrowableOfType(KubernetesClientException.class,
        () -> k8s.resource(invalid).create())).isNotNull();

    kubernetes.clientWithoutAdmission().resource(invalid).create();
    // As the operator does: a finalizer (patch of metadata), then status on its subresource.
    raw("LogtoApiResource", "stored-before").edit(r -> {
      r.getMetadata().setFinalizers(List.of("m2m.logto.io/finalizer"));
      return r;
    });
    raw("LogtoApiResource", "stored-before").subresource("status").patch(
        PatchContext.of(PatchType.JSON_MERGE),
        Serialization.asJson(Map.of("status", Map.of("observedGeneration", 1))));
    var typed = k8s.resources(LogtoApiResource.class).inNamespace(NS)
        .withName("stored-before").get();
    assertThat(typed.getMetadata().getFinalizers()).containsExactly("m2m.logto.io/finalizer");
    assertThat(typed.getStatus().getObservedGeneration()).isEqualTo(1L);

    // A change to the spec is judged, and only the fields it changes are held against it.
    KubernetesClientException refusal = catchThrowableOfType(KubernetesClientException.class,
        () -> raw("LogtoApiResource", "stored-before").patch(
            PatchContext.of(PatchType.JSON_MERGE), "{\"spec\": {\"accessTokenTtl\": -1}}"));
    assertThat(refusal.getStatus().getDetails().getCauses())
        .extracting(c -> c.getField() + ": " + c.getMessage())
        .containsExactly("spec.accessTokenTtl: Invalid value: -1: spec.accessTokenTtl in body"
            + " should be greater than or equal to 1");
  }

  @Test
  void theStatusSchemaJudgesStatusWrites() {
    GenericKubernetesResource api = asResource(CrdRuleCatalog.validDocument("LogtoApiResource",
        "status-typed"));
    k8s.resource(api).create();

    KubernetesClientException refusal = catchThrowableOfType(KubernetesClientException.class,
        () -> raw("LogtoApiResource", "status-typed").subresource("status").patch(
            PatchContext.of(PatchType.JSON_MERGE),
            Serialization.asJson(Map.of("status", Map.of("observedGeneration", "one")))));

    assertThat(refusal.getStatus().getDetails().getCauses())
        .extracting(c -> c.getField() + ": " + c.getMessage())
        .contains("status.observedGeneration: Invalid value: \"string\":"
            + " status.observedGeneration in body must be of type integer: \"string\"");
  }

  private static void submit(CrdRuleCase rule) {
    GenericKubernetesResource document = asResource(rule.document());
    if (rule.update().isEmpty()) {
      k8s.resource(document).create();
      return;
    }
    GenericKubernetesResource created = k8s.resource(document).create();
    GenericKubernetesResource update = asResource(rule.update().get());
    update.getMetadata().setResourceVersion(created.getMetadata().getResourceVersion());
    k8s.resource(update).update();
  }

  private static io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource> raw(
      String kind, String name) {
    return k8s.genericKubernetesResources(CrdRuleCatalog.API_VERSION, kind).inNamespace(NS)
        .withName(name);
  }

  private static GenericKubernetesResource asResource(ObjectNode document) {
    GenericKubernetesResource resource =
        Serialization.unmarshal(document.toString(), GenericKubernetesResource.class);
    resource.getMetadata().setNamespace(NS);
    return resource;
  }
}
