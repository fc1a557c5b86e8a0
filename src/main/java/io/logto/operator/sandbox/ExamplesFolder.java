package io.logto.operator.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A folder of YAML manifests kept in step with the Kubernetes API: each {@link #sync()} applies new
 * and changed files (create, or update of the spec), and deletes the objects of removed files and
 * the objects a file no longer declares. Files are compared by content, so a sync with nothing
 * changed makes no call.
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

  /** The changes made and the problems met (unreadable files, refused objects). */
  public record SyncResult(List<Change> changes, List<String> errors) {
    /** Whether anything was created, updated or deleted. */
    public boolean changedAnything() {
      return changes.stream().anyMatch(c -> c.action() != Action.UNCHANGED);
    }
  }

  private record FileState(String content, List<HasMetadata> objects) {}

  private final Path dir;
  private final KubernetesClient client;
  private final Manifests manifests = new Manifests();
  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final Map<Path, FileState> files = new HashMap<>();

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
   * Reads and parses every file without touching Kubernetes, to fail fast before anything starts.
   *
   * @return the problems found, empty if every file is usable
   */
  public static List<String> check(Path dir) {
    Manifests manifests = new Manifests();
    List<String> problems = new ArrayList<>();
    Map<ObjectKey, Path> seen = new HashMap<>();
    for (Path file : yamlFiles(dir)) {
      try {
        for (HasMetadata object : manifests.parse(Files.readString(file), file.toString())) {
          Path other = seen.putIfAbsent(ObjectKey.of(object), file);
          if (other != null) {
            problems.add(file + ": " + ObjectKey.of(object) + " is also declared in " + other);
          }
        }
      } catch (Manifests.InvalidManifestException e) {
        problems.add(e.getMessage());
      } catch (IOException e) {
        problems.add(file + ": cannot read: " + e.getMessage());
      }
    }
    return problems;
  }

  /** Every object the folder currently declares (as last applied), in apply order. */
  public List<ObjectKey> objects() {
    return files.values().stream()
        .flatMap(f -> f.objects().stream())
        .map(ObjectKey::of)
        .distinct()
        .sorted(ObjectKey.APPLY_ORDER)
        .toList();
  }

  /** Brings the Kubernetes API in step with the folder. */
  public SyncResult sync() {
    List<String> errors = new ArrayList<>();
    Map<Path, FileState> changed = new LinkedHashMap<>();
    Set<Path> present = new TreeSet<>();
    List<Path> current;
    try {
      current = yamlFiles(dir);
    } catch (UncheckedIOException e) {
      return new SyncResult(List.of(), List.of(e.getMessage()));
    }
    for (Path file : current) {
      present.add(file);
      String content;
      try {
        content = Files.readString(file);
      } catch (NoSuchFileException e) {
        present.remove(file);
        continue;
      } catch (IOException e) {
        errors.add(file + ": cannot read: " + e.getMessage());
        continue;
      }
      FileState before = files.get(file);
      if (before != null && before.content().equals(content)) {
        continue;
      }
      try {
        changed.put(file, new FileState(content, manifests.parse(content, file.toString())));
      } catch (Manifests.InvalidManifestException e) {
        // The objects of the file's last good version stay as they are.
        errors.add(e.getMessage() + " (file ignored until fixed)");
      }
    }
    List<Change> changes = new ArrayList<>();
    Map<ObjectKey, Path> dropped = new HashMap<>();
    for (var removed : List.copyOf(files.keySet())) {
      if (!present.contains(removed)) {
        files.remove(removed).objects().forEach(o -> dropped.put(ObjectKey.of(o), removed));
      }
    }
    Map<ObjectKey, Path> applyFrom = new HashMap<>();
    List<HasMetadata> toApply = new ArrayList<>();
    for (var entry : changed.entrySet()) {
      FileState before = files.put(entry.getKey(), entry.getValue());
      Set<ObjectKey> now = new TreeSet<>(ObjectKey.APPLY_ORDER);
      for (HasMetadata object : entry.getValue().objects()) {
        now.add(ObjectKey.of(object));
        applyFrom.put(ObjectKey.of(object), entry.getKey());
        toApply.add(object);
      }
      if (before != null) {
        before.objects().stream().map(ObjectKey::of).filter(k -> !now.contains(k))
            .forEach(k -> dropped.put(k, entry.getKey()));
      }
    }
    toApply.sort(Comparator.comparing(ObjectKey::of, ObjectKey.APPLY_ORDER));
    for (HasMetadata object : toApply) {
      ObjectKey key = ObjectKey.of(object);
      try {
        changes.add(new Change(apply(object), key, applyFrom.get(key)));
      } catch (KubernetesClientException e) {
        errors.add(applyFrom.get(key) + ": " + key + " refused by the Kubernetes API: "
            + e.getMessage());
      }
    }
    Set<ObjectKey> declared = new TreeSet<>(ObjectKey.APPLY_ORDER);
    declared.addAll(objects());
    dropped.keySet().stream()
        .filter(k -> !declared.contains(k))
        .sorted(ObjectKey.APPLY_ORDER.reversed())
        .forEach(k -> {
          try {
            delete(k);
            changes.add(new Change(Action.DELETED, k, dropped.get(k)));
          } catch (KubernetesClientException e) {
            errors.add(k + ": cannot delete: " + e.getMessage());
          }
        });
    return new SyncResult(changes, errors);
  }

  /** Create, or update the spec, labels and annotations of an existing object (keeping the rest). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private Action apply(HasMetadata desired) {
    ObjectKey key = ObjectKey.of(desired);
    var resources = client.resources((Class<CustomResource>) (Class) Manifests.typeOf(key.kind()))
        .inNamespace(key.namespace());
    CustomResource existing = resources.withName(key.name()).get();
    CustomResource wanted = (CustomResource) desired;
    if (existing == null) {
      resources.resource(wanted).create();
      return Action.CREATED;
    }
    if (sameSpec(existing, wanted) && contains(existing.getMetadata().getLabels(),
        wanted.getMetadata().getLabels()) && contains(existing.getMetadata().getAnnotations(),
        wanted.getMetadata().getAnnotations())) {
      return Action.UNCHANGED;
    }
    resources.withName(key.name()).edit(current -> {
      CustomResource c = (CustomResource) current;
      c.setSpec(wanted.getSpec());
      merge(c.getMetadata().getLabels(), wanted.getMetadata().getLabels(),
          c.getMetadata()::setLabels);
      merge(c.getMetadata().getAnnotations(), wanted.getMetadata().getAnnotations(),
          c.getMetadata()::setAnnotations);
      return c;
    });
    return Action.UPDATED;
  }

  private boolean sameSpec(CustomResource<?, ?> a, CustomResource<?, ?> b) {
    return Objects.equals(serialization.convertValue(a.getSpec(), JsonNode.class),
        serialization.convertValue(b.getSpec(), JsonNode.class));
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

  private void delete(ObjectKey key) {
    client.resources(Manifests.typeOf(key.kind())).inNamespace(key.namespace())
        .withName(key.name()).delete();
  }
}
