package io.logto.operator.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How the sandbox weighs an object that waits for another, and the message it then shows. */
class ConvergenceTest {

  private static final ObjectKey API = new ObjectKey("LogtoApiResource", "default", "nsapi");
  private static final ObjectKey ROLE = new ObjectKey("LogtoRole", "default", "reader");

  private static ObjectState waiting(String message) {
    return new ObjectState(ROLE, null, null, List.of(), ObjectState.Settle.PENDING,
        "WaitingForDependency", message, List.of(API));
  }

  private static ObjectState weighed(ObjectState... states) {
    Map<ObjectKey, ObjectState> all = new HashMap<>();
    for (ObjectState state : states) {
      all.put(state.key(), state);
    }
    Convergence.weighDependencies(all, Set.of());
    return all.get(ROLE);
  }

  @Test
  void aMissingReferenceTheOperatorNamesIsSaidOnce() {
    ObjectState role = weighed(waiting("LogtoApiResource default/nsapi does not exist"));

    assertThat(role.settle()).isEqualTo(ObjectState.Settle.BLOCKED);
    assertThat(role.message()).isEqualTo("LogtoApiResource default/nsapi does not exist");
  }

  @Test
  void aMissingReferenceTheOperatorHasNotSeenYetIsAdded() {
    ObjectState role = weighed(waiting("not reconciled yet"));

    assertThat(role.message())
        .isEqualTo("not reconciled yet; LogtoApiResource default/nsapi does not exist");
  }

  @Test
  void aFailedReferenceAddsWhyItWillNotBecomeReadyWithoutNamingItAgain() {
    ObjectState api = new ObjectState(API, null, null, List.of(), ObjectState.Settle.FAILED,
        "InvalidSpec", "spec.scopes[1]: duplicate scope name", List.of());

    ObjectState role = weighed(api, waiting("LogtoApiResource default/nsapi is not ready"));

    assertThat(role.settle()).isEqualTo(ObjectState.Settle.BLOCKED);
    assertThat(role.message()).isEqualTo(
        "LogtoApiResource default/nsapi is not ready; it cannot become Ready (InvalidSpec)");
  }

  @Test
  void aReadyReferenceLeavesTheWaitPending() {
    ObjectState api = new ObjectState(API, null, "r1", List.of(), ObjectState.Settle.READY, "Synced",
        "in sync", List.of());

    ObjectState role = weighed(api, waiting("LogtoApiResource default/nsapi is not ready"));

    assertThat(role.settle()).isEqualTo(ObjectState.Settle.PENDING);
    assertThat(role.message()).isEqualTo("LogtoApiResource default/nsapi is not ready");
  }

  @Test
  void aReadyReferenceThatDoesNotDeclareAWantedScopeBlocksTheWaitSayingWhatItDeclares() {
    ObjectState api = new ObjectState(API, null, "r1", List.of(), ObjectState.Settle.READY, "Synced",
        "in sync", List.of(), new ObjectState.Scopes(Set.of("read", "write"), Map.of()));
    ObjectState wanting = new ObjectState(ROLE, null, null, List.of(), ObjectState.Settle.PENDING,
        "WaitingForDependency", "scope 'wirte' is not declared by LogtoApiResource default/nsapi",
        List.of(API), new ObjectState.Scopes(Set.of(), Map.of(API, Set.of("read", "wirte"))));

    ObjectState role = weighed(api, wanting);

    assertThat(role.settle()).isEqualTo(ObjectState.Settle.BLOCKED);
    assertThat(role.message()).isEqualTo("scope 'wirte' is not declared by LogtoApiResource"
        + " default/nsapi; LogtoApiResource default/nsapi is Ready and does not declare [wirte]"
        + " (it declares [read, write]): edit one of the two");
  }

  @Test
  void aReadyReferenceThatDeclaresEveryWantedScopeLeavesTheWaitPending() {
    ObjectState api = new ObjectState(API, null, "r1", List.of(), ObjectState.Settle.READY, "Synced",
        "in sync", List.of(), new ObjectState.Scopes(Set.of("read", "write"), Map.of()));
    ObjectState wanting = new ObjectState(ROLE, null, null, List.of(), ObjectState.Settle.PENDING,
        "WaitingForDependency", "LogtoApiResource default/nsapi is not ready", List.of(API),
        new ObjectState.Scopes(Set.of(), Map.of(API, Set.of("write"))));

    assertThat(weighed(api, wanting).settle()).isEqualTo(ObjectState.Settle.PENDING);
  }
}
