package io.logto.operator.sandbox;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.role.LogtoRole;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * Reads YAML manifests (one or more documents per file) as kubectl does: each document on its own,
 * kept as written (not bound to the operator's classes), so that the API server, not the parser,
 * judges its fields. A document of another kind, or without a name, is refused by itself; where
 * the text stops being YAML, the documents from there on are not read, those before are. A missing namespace becomes {@code default}, as
 * kubectl does with the default context.
 */
public final class Manifests {

  public static final String DEFAULT_NAMESPACE = "default";
  public static final String API_VERSION = "m2m.logto.io/v1alpha1";

  /** The kinds, in the order they depend on each other. */
  public static final List<Class<? extends CustomResource<?, ?>>> KINDS =
      List.of(LogtoApiResource.class, LogtoRole.class, LogtoM2MApp.class);

  private static final Map<String, Class<? extends CustomResource<?, ?>>> BY_KIND =
      Map.of(
          "LogtoApiResource", LogtoApiResource.class,
          "LogtoRole", LogtoRole.class,
          "LogtoM2MApp", LogtoM2MApp.class);

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One document of a file, ready to be sent to the API server. */
  public record Manifest(ObjectKey key, GenericKubernetesResource object) {}

  /**
   * The documents of a file: those to apply, and those refused before reaching the API; when the
   * text stops being YAML part way, what the parser said and how many documents it did not read
   * (the broken one and those after it), while those before it are read as kubectl reads them.
   *
   * @param yamlError {@code file:line:column: not valid YAML: ...}, or null
   */
  public record Parsed(List<Manifest> manifests, List<Rejection> rejected, String yamlError,
      int unread) {}

  public static Class<? extends CustomResource<?, ?>> typeOf(String kind) {
    Class<? extends CustomResource<?, ?>> type = BY_KIND.get(kind);
    if (type == null) {
      throw new IllegalArgumentException("not a kind of this operator: " + kind);
    }
    return type;
  }

  /** Where the API serves a kind, for clients of objects that are not bound to its class. */
  public static ResourceDefinitionContext contextOf(String kind) {
    return ResourceDefinitionContext.fromResourceType(typeOf(kind));
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
   * The documents of a YAML text.
   *
   * @param source names the text in messages (a file name, as the user gave it)
   *     (in {@link Parsed#yamlError()}: {@code source:line:column: } where the parser knows the
   *     position)
   */
  public Parsed parse(String text, String source) {
    List<Object> documents = new ArrayList<>();
    String yamlError = null;
    int unread = 0;
    try {
      // Read one document at a time: those before a broken one are kept, as kubectl does.
      new Load(LoadSettings.builder().setLabel(source).build()).loadAllFromString(text)
          .forEach(documents::add);
    } catch (MarkedYamlEngineException e) {
      yamlError = at(source, e.getProblemMark()) + "not valid YAML: " + oneLine(e.getProblem())
          + context(e);
      unread = documentsFrom(text, e.getProblemMark().map(Mark::getLine).orElse(0));
    } catch (RuntimeException e) {
      yamlError = source + ": not valid YAML: " + messageOf(e);
      unread = documentsFrom(text, 0);
    }
    List<Manifest> manifests = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    for (Object document : documents) {
      if (document == null) {
        continue; // an empty document, e.g. after a trailing ---
      }
      if (!(document instanceof Map<?, ?>)) {
        rejected.add(Rejection.ofFile(source, "a document is not a Kubernetes object (a YAML"
            + " mapping with apiVersion, kind, metadata)"));
        continue;
      }
      GenericKubernetesResource object;
      try {
        object = JSON.convertValue(document, GenericKubernetesResource.class);
      } catch (IllegalArgumentException e) {
        // e.g. "metadata: foo": kubectl cannot read that document either; the others still go.
        rejected.add(Rejection.ofFile(source, "error validating data: " + wrongType(e)));
        continue;
      }
      String kind = object.getKind();
      String name = object.getMetadata() == null ? null : object.getMetadata().getName();
      String namespace = object.getMetadata() == null ? null : object.getMetadata().getNamespace();
      if (namespace == null || namespace.isBlank()) {
        namespace = DEFAULT_NAMESPACE;
      }
      if (kind == null || kind.isBlank() || object.getApiVersion() == null) {
        rejected.add(new Rejection(source, kind, namespace, name,
            "error validating data: " + (kind == null || kind.isBlank() ? "kind not set"
                : "apiVersion not set")));
      } else if (!BY_KIND.containsKey(kind) || !API_VERSION.equals(object.getApiVersion())) {
        rejected.add(new Rejection(source, kind, namespace, name,
            "resource mapping not found for name: \"" + (name == null ? "" : name)
                + "\" namespace: \"" + namespace + "\" from \"" + source + "\": no matches for"
                + " kind \"" + kind + "\" in version \"" + object.getApiVersion() + "\" (the"
                + " sandbox serves LogtoApiResource, LogtoRole and LogtoM2MApp of "
                + API_VERSION + ")"));
      } else if (name == null || name.isBlank()) {
        rejected.add(new Rejection(source, kind, namespace, name, "The " + kind
            + " \"\" is invalid: metadata.name: Required value: name or generateName is"
            + " required"));
      } else {
        object.getMetadata().setNamespace(namespace);
        manifests.add(new Manifest(new ObjectKey(kind, namespace, name), object));
      }
    }
    return new Parsed(manifests, rejected, yamlError, unread);
  }

  /**
   * How many documents start at or after the broken line: the one it is in, and one per
   * {@code ---} separator further down.
   */
  private static int documentsFrom(String text, int brokenLine) {
    List<String> lines = text.lines().toList();
    int documents = 1;
    for (int i = brokenLine + 1; i < lines.size(); i++) {
      if (lines.get(i).matches("---(\\s.*)?")) {
        documents++;
      }
    }
    return documents;
  }

  /** {@code file:line:column: } as compilers write it (1-based), or {@code file: }. */
  private static String at(String source, Optional<Mark> mark) {
    return source + mark.map(m -> ":" + position(m)).orElse("") + ": ";
  }

  private static String position(Mark mark) {
    return (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
  }

  /**
   * What the parser was reading when it failed, e.g. {@code (while parsing a flow sequence
   * started at 6:11)}: the unclosed bracket is often lines above the position of the error.
   */
  private static String context(MarkedYamlEngineException e) {
    String context = oneLine(e.getContext());
    if (context.isEmpty() || e.getContextMark().isEmpty()) {
      return "";
    }
    Mark start = e.getContextMark().get();
    boolean samePlace = e.getProblemMark().map(m -> m.getIndex() == start.getIndex())
        .orElse(false);
    return " (" + context + (samePlace ? "" : " started at " + position(start)) + ")";
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.strip().replaceAll("\\s*\\n\\s*", " ");
  }

  /** {@code metadata.labels: expected a mapping}, from the mapper's path to the value. */
  private static String wrongType(IllegalArgumentException e) {
    if (!(e.getCause() instanceof MismatchedInputException mismatch)) {
      return messageOf(e);
    }
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference step : mismatch.getPath()) {
      if (step.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(step.getFieldName());
      } else if (step.getIndex() >= 0) {
        path.append('[').append(step.getIndex()).append(']');
      }
    }
    return (path.length() == 0 ? "the document" : path) + ": expected "
        + kindOfValue(mismatch.getTargetType());
  }

  private static String kindOfValue(Class<?> type) {
    if (type == null) {
      return "another type";
    }
    if (CharSequence.class.isAssignableFrom(type)) {
      return "a string";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    return "a mapping";
  }

  private static String messageOf(Throwable e) {
    return oneLine(e.getMessage() == null ? e.toString() : e.getMessage());
  }
}
