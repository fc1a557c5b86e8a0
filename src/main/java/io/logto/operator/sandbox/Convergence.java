package io.logto.operator.sandbox;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.logto.operator.connection.ConnectionKey;
import io.logto.operator.crd.common.LogtoObjectStatus;
import io.logto.operator.crd.connection.ClusterLogtoConnection;
import io.logto.operator.crd.connection.LogtoConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * Reads the state of a set of custom resources and waits until each is settled: Ready, failed for
 * good (InvalidSpec, Forbidden, Conflict), or waiting for an object that failed for good or does
 * not exist, or for a connection that does not exist (the folder cannot declare one: only the
 * sandbox makes them, with --tenants). The last rules keep {@code --once} from waiting out its
 * timeout for an app whose role or connection can never become Ready.
 */
public final class Convergence {

  private final KubernetesClient client;

  public Convergence(KubernetesClient client) {
    this.client = client;
  }

  /** The result of a wait: the objects' states and whether all settled in time. */
  public record Outcome(List<ObjectState> objects, boolean settled, Duration elapsed) {
    public boolean allReady() {
      return objects.stream().allMatch(ObjectState::isReady);
    }

    public List<ObjectState> notReady() {
      return objects.stream().filter(o -> !o.isReady()).toList();
    }
  }

  /** The current state of each object, dependencies weighed. */
  public List<ObjectState> observe(Collection<ObjectKey> keys) {
    Map<ObjectKey, ObjectState> all = new HashMap<>();
    for (Class<? extends CustomResource<?, ?>> type : Manifests.KINDS) {
      for (CustomResource<?, ?> resource : client.resources(type).inAnyNamespace().list()
          .getItems()) {
        @SuppressWarnings("unchecked")
        var typed = (CustomResource<?, ? extends LogtoObjectStatus>) resource;
        ObjectState state = ObjectState.of(typed);
        all.put(state.key(), state);
      }
    }
    weighDependencies(all, existingConnections());
    List<ObjectState> states = new ArrayList<>();
    for (ObjectKey key : keys) {
      states.add(all.getOrDefault(key, ObjectState.missing(key)));
    }
    return states;
  }

  private Set<ConnectionKey> existingConnections() {
    Set<ConnectionKey> existing = new HashSet<>();
    client.resources(ClusterLogtoConnection.class).list().getItems()
        .forEach(c -> existing.add(ConnectionKey.cluster(c.getMetadata().getName())));
    client.resources(LogtoConnection.class).inAnyNamespace().list().getItems()
        .forEach(c -> existing.add(ConnectionKey.namespaced(c.getMetadata().getNamespace(),
            c.getMetadata().getName())));
    return existing;
  }

  /**
   * Marks as BLOCKED what waits for a connection that does not exist, or for an object that
   * failed, is blocked itself, or is absent.
   */
  static void weighDependencies(Map<ObjectKey, ObjectState> all,
      Set<ConnectionKey> connections) {
    for (ObjectState state : List.copyOf(all.values())) {
      if (state.settle() == ObjectState.Settle.PENDING && state.isWaitingForDependency()
          && state.connectionKey().filter(key -> !connections.contains(key)).isPresent()) {
        all.put(state.key(), state.withSettle(ObjectState.Settle.BLOCKED, state.message()
            + " (the sandbox makes the ClusterLogtoConnections tenant-2 to tenant-N with"
            + " --tenants N)"));
      }
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (ObjectState state : List.copyOf(all.values())) {
        if (state.settle() != ObjectState.Settle.PENDING || !state.isWaitingForDependency()) {
          continue;
        }
        for (ObjectKey ref : state.references()) {
          ObjectState dependency = all.get(ref);
          String message = null;
          if (dependency == null) {
            message = withDetail(state.message(), ref + " does not exist");
          } else if (dependency.settle() == ObjectState.Settle.FAILED
              || dependency.settle() == ObjectState.Settle.BLOCKED) {
            String why = "cannot become Ready (" + dependency.reason() + ")";
            message = state.message().contains(ref.toString())
                ? withDetail(state.message(), "it " + why)
                : withDetail(state.message(), ref + " " + why);
          } else if (dependency.isReady()) {
            message = undeclaredScopes(state, ref, dependency);
          }
          if (message != null) {
            all.put(state.key(), state.withSettle(ObjectState.Settle.BLOCKED, message));
            changed = true;
            break;
          }
        }
      }
    }
  }

  /**
   * A role waiting for scopes that a Ready API resource does not declare waits until someone
   * edits one of them: as final as a misspelt reference, so said at once rather than at the
   * timeout. Null when the resource declares every scope the role wants of it.
   */
  private static String undeclaredScopes(ObjectState role, ObjectKey ref,
      ObjectState resource) {
    Set<String> missing = new TreeSet<>(role.scopes().wanted().getOrDefault(ref, Set.of()));
    missing.removeAll(resource.scopes().declared());
    if (missing.isEmpty()) {
      return null;
    }
    return withDetail(role.message(), ref + " is Ready and does not declare " + missing
        + " (it declares " + new TreeSet<>(resource.scopes().declared())
        + "): edit one of the two");
  }

  /**
   * The operator's message with what the sandbox knows besides, unless the operator said it
   * already: it names a missing reference itself ({@code LogtoApiResource default/api does not
   * exist}), and a screen line saying it twice reads as two problems.
   */
  private static String withDetail(String message, String detail) {
    return message.contains(detail) ? message : message + "; " + detail;
  }

  /**
   * Polls until every object is settled, the timeout passes or {@code stop} says so.
   *
   * @param progress called with each new set of states (may print)
   */
  public Outcome await(
      Collection<ObjectKey> keys,
      Duration timeout,
      Duration poll,
      BooleanSupplier stop,
      java.util.function.Consumer<List<ObjectState>> progress)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    List<ObjectState> states = observe(keys);
    while (true) {
      progress.accept(states);
      boolean settled = states.stream().allMatch(ObjectState::isSettled);
      if (settled || System.nanoTime() >= deadline || stop.getAsBoolean()) {
        return new Outcome(states, settled, Duration.ofNanos(System.nanoTime() - start));
      }
      Thread.sleep(Math.min(poll.toMillis(),
          Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
      states = observe(keys);
    }
  }
}
