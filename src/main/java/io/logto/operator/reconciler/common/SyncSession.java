package io.logto.operator.reconciler.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.logto.operator.connection.LogtoTenant;
import io.logto.operator.crd.common.LogtoObjectStatus;
import io.logto.operator.logto.LogtoApi;
import java.util.function.UnaryOperator;

/**
 * One reconcile of one object: the object as last written, the status being built, and a way to
 * persist that status before the reconcile ends (to record an intent before a Logto create).
 */
public final class SyncSession<R extends CustomResource<?, S>, S extends LogtoObjectStatus> {

  private static final ObjectMapper COPIER = new ObjectMapper();

  /** Writes an object's status and answers the object as written. */
  @FunctionalInterface
  public interface StatusWriter<R> {
    R write(R current, UnaryOperator<R> withStatus);
  }

  private R current;
  private final Context<R> context;
  private final LogtoTenant tenant;
  private final StatusWriter<R> writer;
  private final S status;
  private final String originalStatusJson;
  private boolean askedLogto;

  public SyncSession(R resource, Context<R> context, Class<S> statusClass, LogtoTenant tenant) {
    this(resource, context, statusClass, tenant, (current, withStatus) ->
        PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(current, context, withStatus));
  }

  /**
   * A session outside a controller, whose status goes where {@code writer} puts it: for driving
   * one reconcile step by step (tests, simulations); {@link #context()} is null.
   */
  public SyncSession(R resource, Class<S> statusClass, LogtoTenant tenant,
      StatusWriter<R> writer) {
    this(resource, null, statusClass, tenant, writer);
  }

  private SyncSession(R resource, Context<R> context, Class<S> statusClass, LogtoTenant tenant,
      StatusWriter<R> writer) {
    this.current = resource;
    this.context = context;
    this.tenant = tenant;
    this.writer = writer;
    S existing = resource.getStatus();
    try {
      this.status =
          existing == null
              ? statusClass.getDeclaredConstructor().newInstance()
              : COPIER.convertValue(existing, statusClass);
      this.originalStatusJson = COPIER.writeValueAsString(existing);
    } catch (ReflectiveOperationException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot copy status of " + statusClass.getSimpleName(), e);
    }
  }

  /** The Logto tenant the object lives in (its connection). */
  public LogtoTenant tenant() {
    return tenant;
  }

  /** The client of the object's Logto tenant. */
  public LogtoApi logto() {
    askedLogto = true;
    return tenant.logto();
  }

  /**
   * Whether this reconcile called Logto: only then does a success say that Logto answers (one
   * that skipped Logto because nothing changed says nothing about an outage).
   */
  public boolean askedLogto() {
    return askedLogto;
  }

  public R resource() {
    return current;
  }

  public Context<R> context() {
    return context;
  }

  /** The status being built; the reconciler mutates it. */
  public S status() {
    return status;
  }

  public String namespace() {
    return current.getMetadata().getNamespace();
  }

  public String name() {
    return current.getMetadata().getName();
  }

  public long generation() {
    Long g = current.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }

  /**
   * Writes the status now, with optimistic locking, and caches the result so the next reconcile
   * sees it even before the informer does (a stale cache would otherwise create twice).
   */
  public void persist() {
    current =
        writer.write(
            current,
            r -> {
              r.setStatus(status);
              return r;
            });
  }

  /** Persists only if the status differs from what the object had when the reconcile began. */
  public boolean persistIfChanged() {
    try {
      if (COPIER.writeValueAsString(status).equals(originalStatusJson)
          && current.getStatus() != null) {
        return false;
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    persist();
    return true;
  }
}
