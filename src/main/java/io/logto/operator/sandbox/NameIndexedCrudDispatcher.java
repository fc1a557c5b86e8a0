package io.logto.operator.sandbox;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.logto.operator.sandbox.admission.Admission;
import io.logto.operator.sandbox.admission.Refusal;
import java.lang.reflect.Field;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mock server's CRUD dispatcher with its objects indexed by name. The stock dispatcher answers
 * every request by testing each stored object against the request's attributes, so with thousands
 * of objects (apps, their Secrets, Events) the in-process API server, not the operator, becomes the
 * bottleneck of the benchmark. Here, requests that name one object (get, create, update, patch,
 * delete) see only the stored objects of that name; the library's own matching then picks among
 * them, so answers are the same as before. Lists and watches are untouched.
 *
 * <p>The index lives in the map the library stores objects in, replaced at construction. If that
 * field ever moves, the dispatcher works as the stock one (and says so at DEBUG).
 *
 * <p>Every write passes {@link Admission} at the one point where the library stores it, after it
 * has built the object from a create, an update or any sort of patch: what is judged is exactly
 * what would be stored. A refused write throws {@link Refused}, which the embedded dispatcher
 * answers with the refusal's Status, and nothing is stored or sent to watches.
 */
final class NameIndexedCrudDispatcher extends KubernetesCrudDispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(NameIndexedCrudDispatcher.class);

  /** Set while a request that asked to skip admission is served (see EmbeddedKubernetes). */
  static final ThreadLocal<Boolean> SKIP_ADMISSION = ThreadLocal.withInitial(() -> false);

  /** A write that admission refused. */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Refusal refusal;

    Refused(Refusal refusal) {
      super(refusal.status().getMessage(), null, false, false);
      this.refusal = refusal;
    }

    Refusal refusal() {
      return refusal;
    }
  }

  private final IndexedMap index;
  private final Admission admission;

  NameIndexedCrudDispatcher(Admission admission) {
    super();
    this.index = install(this);
    this.admission = admission;
  }

  @Override
  public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
      GenericKubernetesResource resource, String newState) {
    if (newState != null && !SKIP_ADMISSION.get()) {
      String stored = null;
      if (oldAttributes != null) {
        Map.Entry<AttributeSet, String> entry = findResource(oldAttributes);
        stored = entry == null ? null : entry.getValue();
      }
      admission.review(path, newState, stored).ifPresent(refusal -> {
        throw new Refused(refusal);
      });
    }
    super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
  }

  private static IndexedMap install(CrudDispatcher dispatcher) {
    try {
      Field field = CrudDispatcher.class.getDeclaredField("map");
      field.setAccessible(true);
      @SuppressWarnings("unchecked")
      Map<AttributeSet, String> current = (Map<AttributeSet, String>) field.get(dispatcher);
      IndexedMap indexed = new IndexedMap();
      indexed.putAll(current);
      field.set(dispatcher, indexed);
      return indexed;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("mock server objects not indexed by name: {}", e.toString());
      return null;
    }
  }

  @Override
  public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
    return narrowed(query, () -> super.findResource(query));
  }

  @Override
  public MockResponse handleGet(String path) {
    return narrowed(pathAttributes(path), () -> super.handleGet(path));
  }

  @Override
  public MockResponse handleDelete(String path) {
    return narrowed(pathAttributes(path), () -> super.handleDelete(path));
  }

  private AttributeSet pathAttributes(String path) {
    return path.contains("watch=") ? null : attributeExtractor.fromPath(path);
  }

  private <T> T narrowed(AttributeSet query, Supplier<T> call) {
    String name = query == null ? null : IndexedMap.nameOf(query);
    if (index == null || name == null) {
      return call.get();
    }
    String previous = IndexedMap.NARROW_TO.get();
    IndexedMap.NARROW_TO.set(name);
    try {
      return call.get();
    } finally {
      IndexedMap.NARROW_TO.set(previous);
    }
  }

  /**
   * Insertion-ordered, synchronized like the map it replaces, with keys indexed by their name
   * attribute. While {@link #NARROW_TO} names an object on the calling thread, iterating the
   * entries yields (a copy of) only those with that name, and those without any name.
   */
  static final class IndexedMap extends AbstractMap<AttributeSet, String> {

    static final ThreadLocal<String> NARROW_TO = new ThreadLocal<>();
    private static final String NO_NAME = "\u0000";

    private final LinkedHashMap<AttributeSet, String> all = new LinkedHashMap<>();
    private final Map<String, Set<AttributeSet>> byName = new HashMap<>();

    /** The name an attribute set requires or carries, if it is a single plain value. */
    static String nameOf(AttributeSet attributes) {
      Attribute name = attributes.getAttribute(KubernetesAttributesExtractor.NAME);
      if (name == null || name.getType() != AttributeType.WITH || name.getValues().size() != 1) {
        return null;
      }
      return String.valueOf(name.getValues().get(0));
    }

    private static String bucketOf(AttributeSet key) {
      String name = nameOf(key);
      return name == null ? NO_NAME : name;
    }

    @Override
    public synchronized String put(AttributeSet key, String value) {
      String previous = all.remove(key);
      unindex(key);
      all.put(key, value);
      byName.computeIfAbsent(bucketOf(key), k -> new LinkedHashSet<>()).add(key);
      return previous;
    }

    @Override
    public synchronized String get(Object key) {
      return all.get(key);
    }

    @Override
    public synchronized boolean containsKey(Object key) {
      return all.containsKey(key);
    }

    @Override
    public synchronized String remove(Object key) {
      if (!(key instanceof AttributeSet set) || !all.containsKey(set)) {
        return null;
      }
      unindex(set);
      return all.remove(set);
    }

    @Override
    public synchronized void clear() {
      all.clear();
      byName.clear();
    }

    @Override
    public synchronized int size() {
      return all.size();
    }

    private void unindex(AttributeSet key) {
      Set<AttributeSet> bucket = byName.get(bucketOf(key));
      if (bucket != null) {
        bucket.remove(key);
        if (bucket.isEmpty()) {
          byName.remove(bucketOf(key));
        }
      }
    }

    @Override
    public Set<Map.Entry<AttributeSet, String>> entrySet() {
      String name = NARROW_TO.get();
      if (name == null) {
        return new LiveEntries();
      }
      synchronized (this) {
        List<Map.Entry<AttributeSet, String>> entries = new ArrayList<>();
        for (String bucket : new String[] {name, NO_NAME}) {
          for (AttributeSet key : byName.getOrDefault(bucket, Set.of())) {
            entries.add(new SimpleImmutableEntry<>(key, all.get(key)));
          }
        }
        return new LinkedHashSet<>(entries);
      }
    }

    /** All entries, live as the replaced map's were; removal through the iterator is indexed. */
    private final class LiveEntries extends AbstractSet<Map.Entry<AttributeSet, String>> {
      @Override
      public Iterator<Map.Entry<AttributeSet, String>> iterator() {
        Iterator<Map.Entry<AttributeSet, String>> entries = all.entrySet().iterator();
        return new Iterator<>() {
          private AttributeSet last;

          @Override
          public boolean hasNext() {
            return entries.hasNext();
          }

          @Override
          public Map.Entry<AttributeSet, String> next() {
            Map.Entry<AttributeSet, String> next = entries.next();
            last = next.getKey();
            return next;
          }

          @Override
          public void remove() {
            synchronized (IndexedMap.this) {
              entries.remove();
              unindex(last);
            }
          }
        };
      }

      @Override
      public int size() {
        return IndexedMap.this.size();
      }
    }
  }
}
