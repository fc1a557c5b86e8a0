package io.logto.operator.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.common.ConnectionRef;
import io.logto.operator.logto.LogtoConnection;
import io.logto.operator.reconciler.common.Reason;
import io.logto.operator.reconciler.common.SyncFailure;
import io.logto.operator.sandbox.EmbeddedKubernetes;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectionRegistryTest {

  private static final LogtoConnection SOMEWHERE = new LogtoConnection(
      URI.create("https://t2.logto.app"), "https://t2.logto.app/api", "app", "secret");
  private static final ConnectionRef SHARED =
      new ConnectionRef(ConnectionRef.Kind.ClusterLogtoConnection, "shared");

  private final ConnectionRegistry registry = new ConnectionRegistry();

  private static LogtoApiResource object(String namespace) {
    LogtoApiResource resource = new LogtoApiResource();
    resource.setMetadata(new ObjectMetaBuilder().withName("api").withNamespace(namespace).build());
    return resource;
  }

  private static SyncFailure failure(Runnable call) {
    try {
      call.run();
    } catch (SyncFailure failure) {
      return failure;
    }
    throw new AssertionError("no SyncFailure");
  }

  @Test
  void objectsWaitForAConnectionThatIsMissingOrNotReady() {
    SyncFailure missing = failure(() -> registry.resolve(object("shop"), SHARED));
    assertThat(missing.reason()).isEqualTo(Reason.WaitingForDependency);
    assertThat(missing).hasMessage("ClusterLogtoConnection shared does not exist");

    registry.markUnusable(ConnectionKey.cluster("shared"), "Logto refused the credentials");
    assertThat(failure(() -> registry.resolve(object("shop"), SHARED)))
        .hasMessage("ClusterLogtoConnection shared is not ready: Logto refused the credentials");
  }

  @Test
  void aClusterConnectionRefusesNamespacesItDoesNotAllow() {
    registry.put(new LogtoTenant(ConnectionKey.cluster("shared"), null, SOMEWHERE,
        new NamespacePolicy(Set.of("payments")::contains, ns -> false, "nobody")), null, "f1");
    assertThat(registry.resolve(object("payments"), SHARED).key())
        .isEqualTo(ConnectionKey.cluster("shared"));
    SyncFailure refused = failure(() -> registry.resolve(object("shop"), SHARED));
    assertThat(refused.reason()).isEqualTo(Reason.Forbidden);
    assertThat(refused).hasMessage("spec.connectionRef: ClusterLogtoConnection shared does not"
        + " allow namespace shop (see its allowedNamespaces)");
  }

  @Test
  void aLogtoConnectionIsTheNamespacesOwnAndNoOneElses() {
    ConnectionRef own = new ConnectionRef(ConnectionRef.Kind.LogtoConnection, "t2");
    registry.put(new LogtoTenant(ConnectionKey.namespaced("shop", "t2"), null, SOMEWHERE,
        NamespacePolicy.ownNamespace("shop")), null, "f1");
    assertThat(registry.resolve(object("shop"), own).isPrivileged("shop")).isTrue();
    assertThat(failure(() -> registry.resolve(object("payments"), own)))
        .as("the same name in another namespace is another connection")
        .hasMessage("LogtoConnection payments/t2 does not exist");
  }

  @Test
  void aReplacedOrRemovedClientIsClosed() {
    List<String> closed = new ArrayList<>();
    ConnectionKey key = ConnectionKey.cluster("shared");
    NamespacePolicy everyone = NamespacePolicy.allNamespaces(Set.of());
    registry.put(new LogtoTenant(key, null, SOMEWHERE, everyone), () -> closed.add("first"), "1");
    registry.put(new LogtoTenant(key, null, SOMEWHERE, everyone), () -> closed.add("second"), "2");
    assertThat(closed).containsExactly("first");
    assertThat(registry.fingerprint(key)).contains("2");
    registry.remove(key);
    assertThat(closed).containsExactly("first", "second");
    assertThat(registry.usable(key)).isEmpty();
  }

  @Test
  void aKindTheOperatorDoesNotServeIsSaidSo() {
    try (EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start()) {
      ConnectionKinds kinds = ConnectionKinds.probe(kubernetes.client(), Set.of("shop"), false);
      assertThat(kinds.serves(ConnectionKey.Scope.NAMESPACED)).isTrue();
      assertThat(kinds.serves(ConnectionKey.Scope.CLUSTER)).isFalse();
      registry.serveOnly(kinds);
    }
    assertThat(failure(() -> registry.resolve(object("shop"), SHARED)))
        .hasMessage("spec.connectionRef: ClusterLogtoConnection is not served by this operator"
            + " (CLUSTER_CONNECTIONS_ENABLED=false; Helm clusterConnections.enabled)");
    assertThat(failure(() -> registry.resolve(object("shop"),
        new ConnectionRef(ConnectionRef.Kind.LogtoConnection, "t2"))))
        .hasMessage("LogtoConnection shop/t2 does not exist");
  }

  @Test
  void labelsNeverMistakeAClusterConnectionForANamespacedOne() {
    assertThat(ConnectionKey.cluster("x").label())
        .isNotEqualTo(ConnectionKey.namespaced("cluster", "x").label());
    assertThat(ConnectionKey.DEFAULT.label()).isEqualTo("default");
    assertThatThrownBy(() -> ConnectionKey.namespaced("shop", null))
        .isInstanceOf(NullPointerException.class);
  }
}
