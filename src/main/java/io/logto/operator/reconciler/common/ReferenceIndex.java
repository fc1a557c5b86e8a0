package io.logto.operator.reconciler.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Indexes objects of one kind by the names they reference in their own namespace, so that a change
 * of a referenced object wakes exactly the objects that reference it.
 */
public final class ReferenceIndex {

  private ReferenceIndex() {}

  public static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  /** Registers an index on {@code cache} from each object to the names it references. */
  public static <P extends HasMetadata> void register(
      IndexerResourceCache<P> cache, String indexName, Function<P, List<String>> referencedNames) {
    cache.addIndexer(
        indexName,
        p ->
            referencedNames.apply(p).stream()
                .map(n -> key(p.getMetadata().getNamespace(), n))
                .distinct()
                .toList());
  }

  /** Maps a referenced object to the objects of the cache that reference it. */
  public static <P extends HasMetadata, S extends HasMetadata> SecondaryToPrimaryMapper<S> mapper(
      IndexerResourceCache<P> cache, String indexName) {
    return referenced ->
        referencing(cache, indexName, referenced.getMetadata().getNamespace(),
            referenced.getMetadata().getName());
  }

  public static <P extends HasMetadata> Set<ResourceID> referencing(
      IndexerResourceCache<P> cache, String indexName, String namespace, String name) {
    return cache.byIndex(indexName, key(namespace, name)).stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }
}
