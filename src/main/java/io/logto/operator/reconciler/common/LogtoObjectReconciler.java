package io.logto.operator.reconciler.common;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.logto.operator.connection.ConnectionKey;
import io.logto.operator.connection.LogtoTenant;
import io.logto.operator.crd.common.ConnectionRef;
import io.logto.operator.crd.common.LogtoObjectStatus;
import io.logto.operator.logto.LogtoException;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frame every kind's reconcile runs in: build the status from what the sync observed, turn
 * failures into a Ready condition with a reason, write status only when it changed, emit an Event
 * when the Ready state changes, and back off on failures that may heal by themselves.
 */
public abstract class LogtoObjectReconciler<
        R extends CustomResource<?, S>, S extends LogtoObjectStatus>
    implements Reconciler<R>, Cleaner<R> {

  private static final Logger LOG = LoggerFactory.getLogger(LogtoObjectReconciler.class);
  /** Dependencies outside Kubernetes (objects only in Logto) have no event: look again. */
  private static final Duration MAX_WAIT_RECHECK = Duration.ofMinutes(2);
  private static final Duration MAX_OUTAGE_RETRY = Duration.ofSeconds(60);
  /** A backstop only: the connection's registration wakes its objects. */
  private static final Duration CONNECTION_REGISTRATION_RECHECK = Duration.ofSeconds(5);

  protected final OperatorServices services;
  private final Class<S> statusClass;
  private final RetryBackoff backoff =
      new RetryBackoff(Duration.ofSeconds(2), Duration.ofMinutes(5));

  protected LogtoObjectReconciler(OperatorServices services, Class<S> statusClass) {
    this.services = services;
    this.statusClass = statusClass;
  }

  /** The kind's name, for drift marks, logs and messages. */
  protected abstract String kind();

  /**
   * Brings Logto (and the Secrets/ConfigMaps) to the desired state and fills the session's status.
   *
   * @throws SyncFailure when it cannot, with the reason to report
   * @throws LogtoException on an error answer of Logto not handled by the step itself
   */
  protected abstract Outcome sync(SyncSession<R, S> session);

  /** Removes what the object created, unless its policy retains it. */
  protected abstract DeleteOutcome remove(SyncSession<R, S> session);

  /**
   * The object is being deleted and its connection is gone: nothing can be removed from Logto
   * (what it created there stays, as with Retain), but its Secret or ConfigMap is still removed.
   */
  protected void removeWithoutLogto(SyncSession<R, S> session) {}

  /**
   * The object's namespace may no longer use its connection: take back in that tenant what the
   * object holds that gives a credential scopes (nothing, for most kinds).
   *
   * @param why the refusal, for the Event
   * @return what the object holds there now, for the status message ("" if nothing to say)
   */
  protected String revokeWhenDisallowed(SyncSession<R, S> session, String why) {
    return "";
  }

  private static final String BY_CONNECTION = "byConnection";
  private IndexerResourceCache<R> primaryCache;

  /** The event source through which this kind's objects can be reconciled on demand. */
  public abstract ReconcileTrigger<R> trigger();

  /** Indexes the objects by connection; each kind calls it from prepareEventSources. */
  protected void indexByConnection(EventSourceContext<R> context) {
    primaryCache = context.getPrimaryCache();
    primaryCache.addIndexer(BY_CONNECTION, r -> List.of(ConnectionLabels.tenantOf(r)));
  }

  /** Reconciles the objects that use a connection that became usable, changed or went. */
  public void wakeUsersOf(ConnectionKey key) {
    if (primaryCache != null) {
      primaryCache.byIndex(BY_CONNECTION, key.label())
          .forEach(r -> trigger().trigger(ResourceID.fromResource(r)));
    }
  }

  @Override
  public final UpdateControl<R> reconcile(R resource, Context<R> context) {
    ResourceID id = ResourceID.fromResource(resource);
    LogtoTenant tenant = null;
    SyncFailure unresolved = null;
    ConnectionRef ref = ConnectionLabels.refOf(resource);
    // Asked before resolving: registered in between, the connection's verdict is not the one
    // resolve saw, and its registration triggers this object again anyway.
    boolean registered = services.connections().registered(ConnectionKey.of(resource, ref));
    try {
      tenant = services.connections().resolve(resource, ref);
    } catch (SyncFailure failure) {
      unresolved = failure;
    }
    if (unresolved != null && unresolved.reason() == Reason.WaitingForDependency
        && !registered && services.connectionExists(resource, ref)) {
      // The connection exists but its reconciler has not registered it yet (the operator is
      // starting): status stays as it is; registering it wakes this object.
      LOG.debug("{} {}/{}: waiting for {} to be registered", kind(),
          resource.getMetadata().getNamespace(), resource.getMetadata().getName(),
          ConnectionKey.of(resource, ref).describe());
      return UpdateControl.<R>noUpdate().rescheduleAfter(CONNECTION_REGISTRATION_RECHECK);
    }
    Optional<LogtoTenant> disallowing = unresolved != null
        && unresolved.reason() == Reason.Forbidden
        ? services.connections().disallowing(resource, ref) : Optional.empty();
    SyncSession<R, S> session = new SyncSession<>(resource, context, statusClass,
        disallowing.orElse(tenant));
    Outcome outcome;
    try {
      if (unresolved != null) {
        String taken = disallowing.isPresent()
            ? revokeWhenDisallowed(session, unresolved.getMessage()) : "";
        throw taken.isEmpty() ? unresolved : SyncFailure.forbidden(unresolved.getMessage()
            + taken);
      }
      outcome = sync(session);
    } catch (SyncFailure failure) {
      outcome = Outcome.failed(failure);
    } catch (LogtoException e) {
      outcome = Outcome.failed(SyncFailure.fromLogto("syncing " + kind(), e));
    } catch (KubernetesClientException e) {
      outcome = Outcome.failed(SyncFailure.fromKubernetes(e));
    }
    Condition before =
        Conditions.find(session.status().getConditions(), Conditions.READY).orElse(null);
    session
        .status()
        .setConditions(
            Conditions.set(
                session.status().getConditions(),
                Conditions.READY,
                outcome.ready(),
                outcome.reason(),
                outcome.message(),
                session.generation(),
                services.clock()));
    session.status().setObservedGeneration(session.generation());
    session.persistIfChanged();
    reportTransition(session, before, outcome);
    if (tenant != null) {
      if (outcome.reason() == Reason.LogtoUnavailable) {
        services.connections().outages().unavailable(tenant.key());
      } else if (outcome.ready() && session.askedLogto()) {
        services.connections().outages().answered(tenant.key());
      }
    }
    return schedule(id, outcome);
  }

  private void reportTransition(SyncSession<R, S> session, Condition before, Outcome outcome) {
    boolean changed =
        before == null
            || !Objects.equals(before.getReason(), outcome.reason().name())
            || !Objects.equals(before.getMessage(), outcome.message());
    if (!changed || outcome.ready()) {
      return;
    }
    LOG.info("{} {}/{} not ready: {}: {}", kind(), session.namespace(), session.name(),
        outcome.reason(), outcome.message());
    services.events().warning(session.resource(), outcome.reason().name(), outcome.message());
  }

  private UpdateControl<R> schedule(ResourceID id, Outcome outcome) {
    if (!outcome.recheck() && (outcome.ready() || outcome.reason().isPermanent())) {
      backoff.reset(id);
      return outcome.ready() && outcome.lookAgainIn() != null
          ? UpdateControl.<R>noUpdate().rescheduleAfter(outcome.lookAgainIn())
          : UpdateControl.noUpdate();
    }
    return UpdateControl.<R>noUpdate().rescheduleAfter(retryDelay(id, outcome.reason()));
  }

  /** The object's next backoff, capped for failures that end without an event to wake it. */
  private Duration retryDelay(ResourceID id, Reason reason) {
    Duration delay = backoff.next(id);
    if (reason == Reason.WaitingForDependency && delay.compareTo(MAX_WAIT_RECHECK) > 0) {
      return MAX_WAIT_RECHECK;
    }
    // While Logto is down the client fails fast, so retrying is cheap; and whichever retry finds
    // it back wakes the others (see TenantOutages).
    if (reason == Reason.LogtoUnavailable && delay.compareTo(MAX_OUTAGE_RETRY) > 0) {
      return MAX_OUTAGE_RETRY;
    }
    return delay;
  }

  /** After a sync that the periodic resync asked for: say that Logto was put right. */
  protected void reportDriftCorrected(SyncSession<R, S> session, boolean drifted) {
    if (drifted) {
      LOG.info("{} {}/{}: drift corrected", kind(), session.namespace(), session.name());
      services.events().normal(session.resource(), "DriftCorrected",
          "Logto differed from the spec (found by the periodic resync); corrected");
    }
  }

  @Override
  public ErrorStatusUpdateControl<R> updateErrorStatus(R resource, Context<R> context, Exception e) {
    // An unexpected failure (e.g. the Kubernetes API refused a write): ids stay in status, and
    // the framework's retry backs off.
    LOG.warn("{} {}/{}: reconcile failed: {}", kind(), resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(), e.toString());
    return ErrorStatusUpdateControl.defaultErrorProcessing();
  }

  @Override
  public final DeleteControl cleanup(R resource, Context<R> context) {
    ResourceID id = ResourceID.fromResource(resource);
    ConnectionRef ref = ConnectionLabels.refOf(resource);
    LogtoTenant tenant;
    try {
      tenant = services.connections().resolve(resource, ref);
    } catch (SyncFailure unusable) {
      SyncSession<R, S> session = new SyncSession<>(resource, context, statusClass, null);
      boolean refused = unusable.reason() == Reason.Forbidden;
      if (!refused && services.connectionExists(resource, ref)) {
        // Not usable yet (the operator starting) or any more (credentials refused): retry,
        // rather than leave in Logto what the object's deletion policy says to delete.
        return blocked(session, Reason.WaitingForDependency, unusable.getMessage(), id);
      }
      // Gone, or no longer open to this namespace: waiting would hold the object (and its
      // namespace) forever, so it goes and Logto is left as it is.
      removeWithoutLogto(session);
      String what = ConnectionKey.of(resource, ref).describe();
      String why = refused ? unusable.getMessage() : what + " no longer exists";
      LOG.info("{} {}/{}: deleted without its connection ({}); what it created in Logto stays",
          kind(), session.namespace(), session.name(), why);
      services.events().warning(resource, refused ? "ConnectionForbidden" : "ConnectionGone",
          why + ": what this " + kind() + " created in Logto was left there"
          + " (as with deletionPolicy Retain)");
      backoff.reset(id);
      return DeleteControl.defaultDelete();
    }
    SyncSession<R, S> session = new SyncSession<>(resource, context, statusClass, tenant);
    try {
      DeleteOutcome result = remove(session);
      if (result.done()) {
        backoff.reset(id);
        return DeleteControl.defaultDelete();
      }
      return blocked(session, result.reason(), result.message(), id);
    } catch (SyncFailure failure) {
      return blocked(session, failure.reason(), failure.getMessage(), id);
    } catch (LogtoException e) {
      SyncFailure failure = SyncFailure.fromLogto("deleting " + kind() + " from Logto", e);
      return blocked(session, failure.reason(), failure.getMessage(), id);
    }
  }

  private DeleteControl blocked(
      SyncSession<R, S> session, Reason reason, String message, ResourceID id) {
    Condition before =
        Conditions.find(session.status().getConditions(), Conditions.READY).orElse(null);
    session
        .status()
        .setConditions(
            Conditions.set(
                session.status().getConditions(),
                Conditions.READY,
                false,
                reason,
                message,
                session.generation(),
                services.clock()));
    try {
      session.persistIfChanged();
    } catch (KubernetesClientException e) {
      LOG.debug("could not write status of {} {}/{} being deleted: {}", kind(),
          session.namespace(), session.name(), e.getMessage());
    }
    reportTransition(session, before, new Outcome(false, reason, message, false));
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(retryDelay(id, reason));
  }

  /** Result of {@link #remove}: done, or blocked with a reason. */
  public record DeleteOutcome(boolean done, Reason reason, String message) {
    public static DeleteOutcome removed() {
      return new DeleteOutcome(true, null, null);
    }

    public static DeleteOutcome blockedBy(String message) {
      return new DeleteOutcome(false, Reason.DeletionBlocked, message);
    }
  }
}
