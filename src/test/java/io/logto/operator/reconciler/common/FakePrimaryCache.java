package io.logto.operator.reconciler.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A primary cache in memory, with indexes, standing in for the controller's informer. */
final class FakePrimaryCache<T extends HasMetadata> implements IndexerResourceCache<T> {

  private final Map<ResourceID, T> objects = new LinkedHashMap<>();
  private final Map<String, Function<T, List<String>>> indexers = new HashMap<>();

  void put(T object) {
    objects.put(ResourceID.fromResource(object), object);
  }

  @Override
  public Optional<T> get(ResourceID id) {
    return Optional.ofNullable(objects.get(id));
  }

  @Override
  public Stream<ResourceID> keys() {
    return objects.keySet().stream();
  }

  @Override
  public Stream<T> list(Predicate<T> predicate) {
    return objects.values().stream().filter(predicate);
  }

  @Override
  public Stream<T> list(String namespace, Predicate<T> predicate) {
    return list(predicate.and(o -> Objects.equals(namespace, o.getMetadata().getNamespace())));
  }

  @Override
  public List<T> byIndex(String indexName, String key) {
    Function<T, List<String>> indexer = indexers.get(indexName);
    return objects.values().stream().filter(o -> indexer.apply(o).contains(key)).toList();
  }

  @Override
  public void addIndexers(Map<String, Function<T, List<String>>> more) {
    indexers.putAll(more);
  }
}
