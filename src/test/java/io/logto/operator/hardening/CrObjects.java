package io.logto.operator.hardening;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads custom resources of the three kinds without their Java classes, so that objects the typed
 * classes cannot represent (an unknown enum value, a string for a number) can be inspected too.
 */
final class CrObjects {

  static final String API_VERSION = "m2m.logto.io/v1alpha1";

  private CrObjects() {}

  /** The Ready condition (type, status, reason, message) for the object's current generation. */
  record Ready(String status, String reason, String message) {}

  static Resource<GenericKubernetesResource> raw(
      KubernetesClient k8s, String kind, String namespace, String name) {
    return k8s.genericKubernetesResources(API_VERSION, kind).inNamespace(namespace)
        .withName(name);
  }

  static Resource<GenericKubernetesResource> raw(KubernetesClient k8s, HasMetadata object) {
    return raw(k8s, object.getKind(), object.getMetadata().getNamespace(),
        object.getMetadata().getName());
  }

  /** The Ready condition describing the current generation, if the operator wrote one. */
  @SuppressWarnings("unchecked")
  static Optional<Ready> ready(GenericKubernetesResource object) {
    if (object == null || !(object.getAdditionalProperties().get("status") instanceof Map)) {
      return Optional.empty();
    }
    Map<String, Object> status = (Map<String, Object>) object.getAdditionalProperties().get("status");
    if (!(status.get("conditions") instanceof List<?> conditions)) {
      return Optional.empty();
    }
    Long generation = object.getMetadata().getGeneration();
    for (Object c : conditions) {
      Map<String, Object> condition = (Map<String, Object>) c;
      if (!"Ready".equals(condition.get("type"))) {
        continue;
      }
      Object observed = condition.get("observedGeneration");
      if (generation != null
          && !(observed instanceof Number n && n.longValue() == generation)) {
        return Optional.empty();
      }
      return Optional.of(new Ready((String) condition.get("status"),
          (String) condition.get("reason"), (String) condition.get("message")));
    }
    return Optional.empty();
  }

  /** Events recorded about an object (any reason). */
  static long eventCount(KubernetesClient k8s, String namespace, String name) {
    return k8s.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> e.getInvolvedObject() != null
            && name.equals(e.getInvolvedObject().getName()))
        .count();
  }
}
