package io.logto.operator.e2e;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.packaging.Project;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * examples/ as the end-to-end tests apply it: each document as kubectl sends it, placed in a
 * namespace, and the orders in which the tests apply them.
 */
final class Examples {

  static final Path FOLDER = Project.path("examples");
  /** Dependencies first: the order in which they could be applied without any waiting. */
  private static final List<String> KINDS = List.of("LogtoApiResource", "LogtoRole",
      "LogtoM2MApp");

  private Examples() {}

  /** Every document of the folder's files, in the order of the files. */
  static List<GenericKubernetesResource> load(Path folder, String namespace) {
    List<GenericKubernetesResource> all = new ArrayList<>();
    for (Path file : Project.list(folder, ".yaml")) {
      all.addAll(ClusterObjects.manifests(file, namespace));
    }
    return all;
  }

  static List<GenericKubernetesResource> dependentsFirst(List<GenericKubernetesResource> objects) {
    return objects.stream()
        .sorted(Comparator.comparing((GenericKubernetesResource o) -> KINDS.indexOf(o.getKind()))
            .reversed())
        .toList();
  }

  /**
   * Apps, then roles, then resources, each kind only once those of the previous one that name
   * an object not applied yet report {@code WaitingForDependency}.
   */
  static void applyDependenciesLast(KubernetesClient admin,
      List<GenericKubernetesResource> objects) {
    for (String kind : List.of("LogtoM2MApp", "LogtoRole", "LogtoApiResource")) {
      List<GenericKubernetesResource> ofKind =
          objects.stream().filter(o -> o.getKind().equals(kind)).toList();
      ofKind.forEach(o -> admin.resource(o).create());
      for (GenericKubernetesResource object : ofKind) {
        if (namesAnotherExample(object)) {
          awaitWaiting(admin, object);
        }
      }
    }
  }

  private static boolean namesAnotherExample(GenericKubernetesResource object) {
    return switch (object.getKind()) {
      case "LogtoM2MApp" -> typed(object, LogtoM2MApp.class).getSpec().getRoles().stream()
          .anyMatch(r -> r.getRoleRef() != null);
      case "LogtoRole" -> typed(object, LogtoRole.class).getSpec().getPermissions().stream()
          .anyMatch(p -> p.getResourceRef() != null);
      default -> false;
    };
  }

  private static void awaitWaiting(KubernetesClient admin, GenericKubernetesResource object) {
    String ns = object.getMetadata().getNamespace();
    String name = object.getMetadata().getName();
    if (object.getKind().equals("LogtoM2MApp")) {
      ClusterObjects.awaitReady(admin, LogtoM2MApp.class, ns, name, "WaitingForDependency");
    } else {
      ClusterObjects.awaitReady(admin, LogtoRole.class, ns, name, "WaitingForDependency");
    }
  }

  /**
   * The objects with the keys Logto holds unique per tenant made unique to this {@code suffix}:
   * each indicator's first host label and each role name get it, so that several copies of the
   * examples live side by side in one tenant. References between the examples are by
   * metadata.name, which stays.
   */
  static List<GenericKubernetesResource> uniqueInTenant(List<GenericKubernetesResource> objects,
      String suffix) {
    for (GenericKubernetesResource object : objects) {
      Map<String, Object> spec = spec(object);
      if (object.getKind().equals("LogtoApiResource")) {
        spec.put("indicator", suffixHost((String) spec.get("indicator"), suffix));
      } else if (object.getKind().equals("LogtoRole")) {
        Object name = spec.getOrDefault("name", object.getMetadata().getName());
        spec.put("name", name + "-" + suffix);
      }
    }
    return objects;
  }

  static List<GenericKubernetesResource> withDeletionPolicy(
      List<GenericKubernetesResource> objects, String policy) {
    objects.forEach(o -> spec(o).put("deletionPolicy", policy));
    return objects;
  }

  /** The manifest read as its custom resource class, to read what it declares. */
  static <T extends HasMetadata> T typed(GenericKubernetesResource object, Class<T> type) {
    return Serialization.unmarshal(Serialization.asJson(object), type);
  }

  static <T extends HasMetadata> List<T> ofKind(List<GenericKubernetesResource> objects,
      Class<T> type) {
    String kind = HasMetadata.getKind(type);
    return objects.stream().filter(o -> o.getKind().equals(kind)).map(o -> typed(o, type))
        .toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource object) {
    return (Map<String, Object>) object.getAdditionalProperties().get("spec");
  }

  private static String suffixHost(String indicator, String suffix) {
    URI uri = URI.create(indicator);
    String host = uri.getHost();
    int dot = host.indexOf('.');
    String unique = dot < 0 ? host + "-" + suffix
        : host.substring(0, dot) + "-" + suffix + host.substring(dot);
    try {
      return new URI(uri.getScheme(), uri.getUserInfo(), unique, uri.getPort(), uri.getPath(),
          uri.getQuery(), uri.getFragment()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(indicator, e);
    }
  }
}
