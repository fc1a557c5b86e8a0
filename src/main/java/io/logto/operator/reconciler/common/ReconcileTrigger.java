package io.logto.operator.reconciler.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Set;

/**
 * An event source fed by the operator itself rather than by an informer: the periodic resync
 * calls {@link #trigger} for an object whose Logto state drifted, and a reconciler calls it for the
 * objects that wait for a name or an indicator another object just let go of.
 */
public final class ReconcileTrigger<P extends HasMetadata> extends AbstractEventSource<Void, P> {

  public static final String NAME = "logto-operator-trigger";

  public ReconcileTrigger() {
    super(Void.class, NAME);
  }

  public void trigger(ResourceID id) {
    if (isRunning() && getEventHandler() != null) {
      getEventHandler().handleEvent(new Event(id));
    }
  }

  @Override
  public Set<Void> getSecondaryResources(P primary) {
    return Set.of();
  }

  @Override
  public Status getStatus() {
    return isRunning() ? Status.HEALTHY : Status.UNHEALTHY;
  }
}
