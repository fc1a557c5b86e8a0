package io.logto.operator.sandbox;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.role.LogtoRole;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Parses YAML manifests (one or more documents per file) into the operator's custom resource
 * classes. Only the three kinds of the operator are accepted; a missing namespace becomes
 * {@code default}, as kubectl does with the default context.
 */
public final class Manifests {

  public static final String DEFAULT_NAMESPACE = "default";

  /** The kinds, in the order they depend on each other. */
  public static final List<Class<? extends CustomResource<?, ?>>> KINDS =
      List.of(LogtoApiResource.class, LogtoRole.class, LogtoM2MApp.class);

  private static final Map<String, Class<? extends CustomResource<?, ?>>> BY_KIND =
      Map.of(
          "LogtoApiResource", LogtoApiResource.class,
          "LogtoRole", LogtoRole.class,
          "LogtoM2MApp", LogtoM2MApp.class);

  private final KubernetesSerialization serialization = new KubernetesSerialization();

  public Manifests() {
    KINDS.forEach(serialization::registerKubernetesResource);
  }

  /** A manifest that cannot be used, with the file and document it came from. */
  public static final class InvalidManifestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidManifestException(String message) {
      super(message);
    }
  }

  public static Class<? extends CustomResource<?, ?>> typeOf(String kind) {
    Class<? extends CustomResource<?, ?>> type = BY_KIND.get(kind);
    if (type == null) {
      throw new IllegalArgumentException("not a kind of this operator: " + kind);
    }
    return type;
  }

  /** 0 for API resources, 1 for roles, 2 for apps: the order in which they are best created. */
  public static int rank(String kind) {
    return switch (kind) {
      case "LogtoApiResource" -> 0;
      case "LogtoRole" -> 1;
      default -> 2;
    };
  }

  /**
   * The objects of a YAML text, namespaced.
   *
   * @param source names the text in error messages (a file name)
   * @throws InvalidManifestException if the text is not YAML, or holds another kind or an object
   *     without a name
   */
  public List<HasMetadata> parse(String text, String source) {
    Object parsed;
    try {
      parsed = serialization.unmarshal(text);
    } catch (RuntimeException e) {
      throw new InvalidManifestException(source + ": not a valid manifest: " + rootMessage(e));
    }
    List<HasMetadata> objects = new ArrayList<>();
    collect(parsed, source, objects);
    return objects;
  }

  private void collect(Object parsed, String source, List<HasMetadata> into) {
    if (parsed == null) {
      return;
    }
    if (parsed instanceof Collection<?> documents) {
      documents.forEach(d -> collect(d, source, into));
    } else if (parsed instanceof KubernetesResourceList<?> list) {
      list.getItems().forEach(d -> collect(d, source, into));
    } else if (parsed instanceof CustomResource<?, ?> resource
        && BY_KIND.containsKey(resource.getKind())) {
      into.add(namespaced(resource, source));
    } else if (parsed instanceof HasMetadata other) {
      throw new InvalidManifestException(source + ": " + other.getKind() + " "
          + (other.getMetadata() == null ? "" : other.getMetadata().getName())
          + " is not a kind of this operator (expected one of " + BY_KIND.keySet() + " of "
          + "m2m.logto.io/v1alpha1)");
    } else {
      throw new InvalidManifestException(source + ": a document is not a Kubernetes object");
    }
  }

  private static HasMetadata namespaced(CustomResource<?, ?> resource, String source) {
    if (resource.getMetadata() == null || resource.getMetadata().getName() == null
        || resource.getMetadata().getName().isBlank()) {
      throw new InvalidManifestException(source + ": a " + resource.getKind()
          + " has no metadata.name");
    }
    if (resource.getMetadata().getNamespace() == null
        || resource.getMetadata().getNamespace().isBlank()) {
      resource.getMetadata().setNamespace(DEFAULT_NAMESPACE);
    }
    if (resource.getSpec() == null) {
      throw new InvalidManifestException(source + ": " + ObjectKey.of(resource) + " has no spec");
    }
    return resource;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.toString() : root.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
