package io.logto.operator.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.logto.operator.crd.common.LogtoObjectStatus;
import io.logto.operator.packaging.Project;
import io.logto.operator.reconciler.common.Conditions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Reading, writing and waiting for the operator's objects on a real API server. */
final class ClusterObjects {

  static final Duration WAIT = Duration.ofSeconds(40);

  private ClusterObjects() {}

  /** The documents of a manifest file, as kubectl reads them, placed in {@code namespace}. */
  static List<GenericKubernetesResource> manifests(Path file, String namespace) {
    return Project.yamlDocuments(Project.read(file)).stream()
        .map(document -> {
          GenericKubernetesResource object =
              Serialization.unmarshal(document.toString(), GenericKubernetesResource.class);
          object.getMetadata().setNamespace(namespace);
          return object;
        })
        .toList();
  }

  static <T extends CustomResource<?, ? extends LogtoObjectStatus>> Optional<Condition> condition(
      KubernetesClient client, Class<T> type, String namespace, String name, String conditionType) {
    T current = client.resources(type).inNamespace(namespace).withName(name).get();
    if (current == null || current.getStatus() == null) {
      return Optional.empty();
    }
    Long generation = current.getMetadata().getGeneration();
    return Conditions.find(current.getStatus().getConditions(), conditionType)
        .filter(c -> generation.equals(c.getObservedGeneration()));
  }

  /** Waits until Ready has {@code reason} for the object's current generation. */
  static <T extends CustomResource<?, ? extends LogtoObjectStatus>> T awaitReady(
      KubernetesClient client, Class<T> type, String namespace, String name, String reason) {
    try {
      await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
          .until(() -> condition(client, type, namespace, name, Conditions.READY)
              .map(Condition::getReason).filter(reason::equals).isPresent());
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(type.getSimpleName() + " " + namespace + "/" + name
          + " did not reach Ready reason " + reason + " within " + WAIT + "; conditions: "
          + describe(client, type, namespace, name), e);
    }
    return client.resources(type).inNamespace(namespace).withName(name).get();
  }

  static <T extends CustomResource<?, ? extends LogtoObjectStatus>> String describe(
      KubernetesClient client, Class<T> type, String namespace, String name) {
    T current = client.resources(type).inNamespace(namespace).withName(name).get();
    return current == null || current.getStatus() == null ? "no status"
        : String.valueOf(current.getStatus().getConditions());
  }

  /**
   * Edits an object as a user would: on a conflict with the operator's concurrent write (409),
   * reads it again and retries.
   */
  static <T extends HasMetadata> T edit(KubernetesClient client, Class<T> type, String namespace,
      String name, java.util.function.UnaryOperator<T> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return named(client, type, namespace, name).edit(change);
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 20) {
          throw e;
        }
      }
    }
  }

  static void awaitGone(KubernetesClient client, Class<? extends HasMetadata> type,
      String namespace, String name) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
        .alias(type.getSimpleName() + " " + namespace + "/" + name + " deleted")
        .until(() -> named(client, type, namespace, name).get() == null);
  }

  /** @param namespace null for a cluster-scoped kind */
  static <T extends HasMetadata> io.fabric8.kubernetes.client.dsl.Resource<T> named(
      KubernetesClient client, Class<T> type, String namespace, String name) {
    return namespace == null ? client.resources(type).withName(name)
        : client.resources(type).inNamespace(namespace).withName(name);
  }

  static Map<String, String> decoded(Secret secret) {
    Map<String, String> data = new TreeMap<>();
    secret.getData().forEach((k, v) ->
        data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    return data;
  }

  /** Removes the finalizers of every custom resource left in the namespaces, so nothing lingers. */
  static void release(KubernetesClient client, Iterable<String> namespaces,
      List<Class<? extends CustomResource<?, ?>>> kinds) {
    for (String namespace : namespaces) {
      for (Class<? extends CustomResource<?, ?>> kind : kinds) {
        for (CustomResource<?, ?> object : client.resources(kind).inNamespace(namespace).list()
            .getItems()) {
          edit(client, kind, namespace, object.getMetadata().getName(), o -> {
            o.getMetadata().setFinalizers(List.of());
            return o;
          });
          client.resources(kind).inNamespace(namespace).withName(object.getMetadata().getName())
              .delete();
        }
      }
    }
  }
}
