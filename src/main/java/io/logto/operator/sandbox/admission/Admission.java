package io.logto.operator.sandbox.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the embedded API server admits, learnt as a real one learns it: from the CRDs created
 * through it. Each CRD's openAPIV3Schema and x-kubernetes-validations rules judge every create and
 * update of its custom resources; a CRD whose rules do not compile is itself refused. A rule added
 * to a CR class is therefore enforced as soon as the generated CRD carries it.
 */
public final class Admission {

  private static final String CRD_GROUP = "apiextensions.k8s.io";
  private static final String CRD_PLURAL = "customresourcedefinitions";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** By group/version/plural. */
  private final Map<String, CustomResourceAdmission> resources = new ConcurrentHashMap<>();

  /**
   * Judges a write about to be stored.
   *
   * @param requestPath the request's path, with its query
   * @param written the object as it would be stored
   * @param stored the object as stored before, null for a create
   * @return the refusal, if the API server would refuse it
   */
  public Optional<Refusal> review(String requestPath, String written, String stored) {
    Optional<ResourcePath> parsed = ResourcePath.parse(requestPath);
    if (parsed.isEmpty() || written == null) {
      return Optional.empty();
    }
    ResourcePath path = parsed.get();
    JsonNode object = read(written);
    if (path.group().equals(CRD_GROUP) && path.plural().equals(CRD_PLURAL)) {
      return learn(object);
    }
    CustomResourceAdmission admission =
        resources.get(path.group() + "/" + path.version() + "/" + path.plural());
    if (admission == null) {
      return Optional.empty();
    }
    CustomResourceAdmission.Operation operation = stored == null
        ? CustomResourceAdmission.Operation.CREATE
        : path.subresource().equals("status")
            ? CustomResourceAdmission.Operation.UPDATE_STATUS
            : CustomResourceAdmission.Operation.UPDATE;
    boolean strict = "Strict".equalsIgnoreCase(path.query().get("fieldValidation"));
    return admission.review(operation, object, stored == null ? null : read(stored), strict);
  }

  private Optional<Refusal> learn(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    String group = spec.path("group").asText();
    String kind = spec.path("names").path("kind").asText();
    String plural = spec.path("names").path("plural").asText();
    Map<String, CustomResourceAdmission> learnt = new java.util.HashMap<>();
    int index = 0;
    for (JsonNode version : spec.path("versions")) {
      JsonNode schema = version.path("schema").get("openAPIV3Schema");
      FieldPath at = FieldPath.root().child("spec").child("versions").index(index++)
          .child("schema").child("openAPIV3Schema");
      if (schema == null) {
        continue;
      }
      try {
        learnt.put(group + "/" + version.path("name").asText() + "/" + plural,
            new CustomResourceAdmission(group, kind, version.path("name").asText(), schema, at));
      } catch (CelRules.InvalidRuleException e) {
        return Optional.of(Refusal.invalid(CRD_GROUP, "CustomResourceDefinition",
            crd.path("metadata").path("name").asText(), List.of(e.error())));
      }
    }
    resources.putAll(learnt);
    return Optional.empty();
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
