package io.logto.operator.connection;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The labels of a namespace, for a ClusterLogtoConnection's namespace selector: read with a get
 * (not a watch of every namespace) and kept for a short while, since every reconcile of an object
 * asks again.
 */
public final class NamespaceLabels {

  private record Read(Map<String, String> labels, long at) {}

  private final KubernetesClient client;
  private final long ttlNanos;
  private final Map<String, Read> cache = new ConcurrentHashMap<>();

  public NamespaceLabels(KubernetesClient client, Duration ttl) {
    this.client = client;
    this.ttlNanos = ttl.toNanos();
  }

  /** The namespace's labels; empty when it cannot be read (then no selector matches it). */
  public Map<String, String> of(String namespace) {
    long now = System.nanoTime();
    Read read = cache.get(namespace);
    if (read == null || now - read.at() > ttlNanos) {
      Map<String, String> labels;
      try {
        Namespace ns = client.namespaces().withName(namespace).get();
        labels = ns == null || ns.getMetadata().getLabels() == null ? Map.of()
            : Map.copyOf(ns.getMetadata().getLabels());
      } catch (KubernetesClientException e) {
        labels = Map.of();
      }
      read = new Read(labels, now);
      cache.put(namespace, read);
    }
    return read.labels();
  }
}
