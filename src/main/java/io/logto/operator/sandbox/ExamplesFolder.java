package io.logto.operator.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.logto.operator.sandbox.admission.Refusal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A folder of YAML manifests kept in step with the Kubernetes API as {@code kubectl apply -f DIR}
 * keeps a cluster: each {@link #sync()} sends every document of the new and changed files on its
 * own (create, or update of the spec, labels and annotations), with strict field validation as
 * kubectl asks for, and deletes the objects of removed files and the objects a file no longer
 * declares. A document the API server refuses is reported with its message and file, and the
 * others are applied; an object whose update is refused keeps its last admitted spec. Files are
 * compared by content, so a sync with nothing changed makes no call and reports nothing again.
 */
public final class ExamplesFolder {

  /** What a sync did to one object. */
  public enum Action { CREATED, UPDATED, UNCHANGED, DELETED }

  public record Change(Action action, ObjectKey key, Path file) {
    @Override
    public String toString() {
      return action.name().toLowerCase() + " " + key + " (" + file.getFileName() + ")";
    }
  }

  /**
   * The changes made, the documents newly refused, the files that are YAML again after a syntax
   * error, and other problems met (an unreadable file, a failed delete). A file that stays broken
   * with the same error is in {@code rejected} of the sync that found it only, so that a watch
   * reports it once; {@link #rejected()} holds it as long as it lasts.
   */
  public record SyncResult(List<Change> changes, List<Rejection> rejected, List<Path> repaired,
      List<String> errors) {
    /** Whether anything was created, updated or deleted. */
    public boolean changedAnything() {
      return changes.stream().anyMatch(c -> c.action() != Action.UNCHANGED);
    }
  }

  /** A file as last read: its text and the documents it declares (from its last YAML version). */
  private record FileState(String content, List<Manifests.Manifest> manifests) {}

  /** A file that is not YAML: the text read and the error reported for it. */
  private record Broken(String content, String message) {}

  private final Path dir;
  private final KubernetesClient client;
  private final Manifests manifests = new Manifests();
  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final Map<Path, FileState> files = new HashMap<>();
  /** Files that were not YAML when last read, so that one error is reported once. */
  private final Map<Path, Broken> broken = new HashMap<>();
  /** Objects the API server holds because this folder's documents were admitted. */
  private final Set<ObjectKey> admitted = new HashSet<>();
  /** The documents of each file refused when the file was last read. */
  private final Map<Path, List<Rejection>> refusals = new HashMap<>();

  public ExamplesFolder(Path dir, KubernetesClient client) {
    this.dir = dir;
    this.client = client;
  }

  public Path dir() {
    return dir;
  }

  /** The YAML files of a folder ({@code .yaml}, {@code .yml}; not recursive), sorted by name. */
  public static List<Path> yamlFiles(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .filter(Files::isRegularFile)
          .filter(p -> {
            String name = p.getFileName().toString();
            return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml"));
          })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /**
   * The namespaces of the documents in a folder's files ({@code default} for those without one,
   * and always), read without applying anything; files that are not YAML are left out.
   */
  public static Set<String> namespacesIn(Path dir) {
    Set<String> namespaces = new java.util.TreeSet<>(Set.of(Manifests.DEFAULT_NAMESPACE));
    Manifests parser = new Manifests();
    for (Path file : yamlFiles(dir)) {
      try {
        parser.parse(Files.readString(file), file.toString()).manifests()
            .forEach(m -> namespaces.add(m.key().namespace()));
      } catch (IOException e) {
        // sync() reports it
      }
    }
    return namespaces;
  }

  /** The objects the folder declares and the API server holds, in apply order. */
  public List<ObjectKey> objects() {
    return declared().keySet().stream()
        .filter(admitted::contains)
        .sorted(ObjectKey.APPLY_ORDER)
        .toList();
  }

  /** The documents currently refused: those of each file's last reading, by file. */
  public List<Rejection> rejected() {
    return refusals.keySet().stream().sorted()
        .flatMap(file -> refusals.get(file).stream())
        .toList();
  }

  /** Each declared object and its file (the first file, by name, when several declare it). */
  private Map<ObjectKey, Path> declared() {
    Map<ObjectKey, Path> declared = new HashMap<>();
    files.keySet().stream().sorted().forEach(file -> files.get(file).manifests()
        .forEach(m -> declared.putIfAbsent(m.key(), file)));
    return declared;
  }

  /** Brings the Kubernetes API in step with the folder. */
  public SyncResult sync() {
    List<String> errors = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    List<Path> current;
    try {
      current = yamlFiles(dir);
    } catch (UncheckedIOException e) {
      return new SyncResult(List.of(), List.of(), List.of(), List.of(e.getMessage()));
    }
    Map<ObjectKey, Path> before = declared();
    List<Path> repaired = new ArrayList<>();
    Map<Path, FileState> changed = readChanged(current, rejected, repaired, errors);
    files.keySet().removeIf(file -> !current.contains(file));
    broken.keySet().removeIf(file -> !current.contains(file));
    refusals.keySet().removeIf(file -> !current.contains(file));
    files.putAll(changed);

    List<Change> changes = new ArrayList<>();
    Map<ObjectKey, Path> now = declared();
    List<Manifests.Manifest> toApply = new ArrayList<>();
    Map<ObjectKey, Path> source = new HashMap<>();
    for (var entry : changed.entrySet()) {
      for (Manifests.Manifest manifest : entry.getValue().manifests()) {
        Path owner = now.get(manifest.key());
        if (!owner.equals(entry.getKey())) {
          refuse(entry.getKey(), new Rejection(entry.getKey().toString(), manifest.key().kind(),
              manifest.key().namespace(), manifest.key().name(),
              "also declared in " + owner + ", which is applied instead"), rejected);
          continue;
        }
        toApply.add(manifest);
        source.put(manifest.key(), entry.getKey());
      }
    }
    toApply.sort(Comparator.comparing(Manifests.Manifest::key, ObjectKey.APPLY_ORDER));
    for (Manifests.Manifest manifest : toApply) {
      ObjectKey key = manifest.key();
      Path file = source.get(key);
      try {
        changes.add(new Change(apply(manifest.object()), key, file));
        admitted.add(key);
      } catch (KubernetesClientException e) {
        refuse(file, new Rejection(file.toString(), key.kind(), key.namespace(), key.name(),
            e.getStatus() != null && e.getStatus().getMessage() != null
                ? Refusal.asKubectlPrintsIt(e.getStatus()) : e.getMessage()), rejected);
      }
    }
    before.entrySet().stream()
        .filter(e -> !now.containsKey(e.getKey()) && admitted.contains(e.getKey()))
        .sorted(Map.Entry.comparingByKey(ObjectKey.APPLY_ORDER.reversed()))
        .forEach(e -> {
          try {
            resource(e.getKey()).delete();
            admitted.remove(e.getKey());
            changes.add(new Change(Action.DELETED, e.getKey(), e.getValue()));
          } catch (KubernetesClientException ex) {
            errors.add(e.getKey() + ": cannot delete: " + ex.getMessage());
          }
        });
    return new SyncResult(changes, rejected, repaired, errors);
  }

  /** Reads the files whose text changed; a file that is not YAML keeps its last good version. */
  private Map<Path, FileState> readChanged(List<Path> current, List<Rejection> rejected,
      List<Path> repaired, List<String> errors) {
    Map<Path, FileState> changed = new LinkedHashMap<>();
    for (Path file : current) {
      String content;
      try {
        content = Files.readString(file);
      } catch (NoSuchFileException e) {
        continue;
      } catch (IOException e) {
        errors.add(file + ": cannot read: " + e.getMessage());
        continue;
      }
      FileState known = files.get(file);
      Broken wasBroken = broken.get(file);
      // A file back to its last good text after a YAML error is read again, to clear the error.
      if (wasBroken != null ? wasBroken.content().equals(content)
          : known != null && known.content().equals(content)) {
        continue;
      }
      Manifests.Parsed parsed = manifests.parse(content, file.toString());
      if (parsed.yamlError() == null) {
        refusals.put(file, new ArrayList<>());
        parsed.rejected().forEach(r -> refuse(file, r, rejected));
        if (broken.remove(file) != null) {
          repaired.add(file);
        }
        changed.put(file, new FileState(content, parsed.manifests()));
        continue;
      }
      // As kubectl: the documents before the broken one are applied; those from it on are not
      // read, and what they declared before stays as last applied.
      String message = parsed.yamlError() + (known == null || parsed.unread() == 0 ? ""
          : " (" + (parsed.manifests().isEmpty() ? "its objects stay" : "the objects of this and"
              + " later documents stay") + " as last applied)");
      List<Rejection> refused = new ArrayList<>(parsed.rejected());
      refused.add(Rejection.ofFile(file.toString(), message));
      for (int i = 1; i < parsed.unread(); i++) {
        refused.add(Rejection.ofFile(file.toString(), "a document after the YAML error at "
            + parsed.yamlError().substring(0, parsed.yamlError().indexOf(": not valid YAML"))
            + ": not read"));
      }
      broken.put(file, new Broken(content, message));
      refusals.put(file, refused);
      // Another edit with the same error (a save, a change elsewhere) is not news.
      if (wasBroken == null || !wasBroken.message().equals(message)) {
        rejected.addAll(refused);
      }
      if (parsed.manifests().isEmpty()) {
        continue; // nothing read: the file's last good version stands as it is
      }
      List<Manifests.Manifest> kept = new ArrayList<>(parsed.manifests());
      if (known != null) {
        known.manifests().stream()
            .filter(m -> kept.stream().noneMatch(k -> k.key().equals(m.key())))
            .forEach(kept::add);
      }
      changed.put(file, new FileState(content, kept));
    }
    return changed;
  }

  private void refuse(Path file, Rejection rejection, List<Rejection> found) {
    refusals.computeIfAbsent(file, f -> new ArrayList<>()).add(rejection);
    found.add(rejection);
  }

  /** Create, or update the spec, labels and annotations of an existing object (keeping the rest). */
  private Action apply(GenericKubernetesResource desired) {
    Resource<GenericKubernetesResource> resource = resource(ObjectKey.of(desired));
    GenericKubernetesResource existing = resource.get();
    if (existing == null) {
      kind(desired.getKind()).inNamespace(desired.getMetadata().getNamespace())
          .resource(desired).fieldValidation(FieldValidateable.Validation.STRICT).create();
      return Action.CREATED;
    }
    Object wantedSpec = desired.getAdditionalProperties().get("spec");
    if (sameSpec(existing.getAdditionalProperties().get("spec"), wantedSpec)
        && contains(existing.getMetadata().getLabels(), desired.getMetadata().getLabels())
        && contains(existing.getMetadata().getAnnotations(),
            desired.getMetadata().getAnnotations())) {
      return Action.UNCHANGED;
    }
    resource.fieldValidation(FieldValidateable.Validation.STRICT).edit(current -> {
      if (wantedSpec == null) {
        current.getAdditionalProperties().remove("spec");
      } else {
        current.getAdditionalProperties().put("spec", wantedSpec);
      }
      merge(current.getMetadata().getLabels(), desired.getMetadata().getLabels(),
          current.getMetadata()::setLabels);
      merge(current.getMetadata().getAnnotations(), desired.getMetadata().getAnnotations(),
          current.getMetadata()::setAnnotations);
      return current;
    });
    return Action.UPDATED;
  }

  private MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList,
      Resource<GenericKubernetesResource>> kind(String kind) {
    return client.genericKubernetesResources(Manifests.contextOf(kind));
  }

  private Resource<GenericKubernetesResource> resource(ObjectKey key) {
    return kind(key.kind()).inNamespace(key.namespace()).withName(key.name());
  }

  private boolean sameSpec(Object a, Object b) {
    return Objects.equals(serialization.convertValue(a, JsonNode.class),
        serialization.convertValue(b, JsonNode.class));
  }

  private static boolean contains(Map<String, String> actual, Map<String, String> wanted) {
    if (wanted == null || wanted.isEmpty()) {
      return true;
    }
    return actual != null && actual.entrySet().containsAll(wanted.entrySet());
  }

  private static void merge(Map<String, String> current, Map<String, String> wanted,
      java.util.function.Consumer<Map<String, String>> setter) {
    if (wanted == null || wanted.isEmpty()) {
      return;
    }
    Map<String, String> merged = current == null ? new LinkedHashMap<>()
        : new LinkedHashMap<>(current);
    merged.putAll(wanted);
    setter.accept(merged);
  }
}
