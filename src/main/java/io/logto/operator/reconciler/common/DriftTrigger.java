package io.logto.operator.reconciler.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Set;

/**
 * An event source fed from outside Kubernetes: the periodic resync calls {@link #trigger} for an
 * object whose Logto state drifted, which queues a reconcile of it.
 */
public final class DriftTrigger<P extends HasMetadata> extends AbstractEventSource<Void, P> {

  public static final String NAME = "logto-drift";

  public DriftTrigger() {
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
