package io.logto.operator.hardening;

import static io.logto.operator.reconciler.OperatorHarness.NS;
import static io.logto.operator.reconciler.OperatorHarness.app;
import static io.logto.operator.reconciler.OperatorHarness.decoded;
import static io.logto.operator.reconciler.OperatorHarness.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.logto.model.Role;
import io.logto.operator.reconciler.OperatorHarness;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reconcilers take Logto ids from the object's own status, and whoever may write the status
 * subresource could point them at an object outside the operator. An app id is used only for an
 * application whose customData names this object (else Conflict); outside the privileged
 * namespaces, a recorded role that holds Management API scopes is never touched (Forbidden).
 */
class StatusSpoofingTest {

  private OperatorHarness h;

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void aSpoofedAppIdInStatusDoesNotHandOutTheOperatorsCredentials() {
    h = OperatorHarness.start();
    LogtoM2MApp mine = h.create(app("spoofer"));
    h.awaitReady(mine);
    String bootstrap = h.simulator.bootstrapAppId();
    h.k8s.resources(LogtoM2MApp.class).inNamespace(NS).withName("spoofer").editStatus(a -> {
      a.getStatus().setAppId(bootstrap);
      return a;
    });
    h.edit(mine, a -> {
      a.getSpec().setDescription("touched");
      return a;
    });
    await().atMost(Duration.ofSeconds(20)).until(() -> h.condition(mine, "Ready").isPresent());
    await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);

    boolean handedOut = h.simulator.bootstrapAppSecret()
        .equals(decoded(h.secret("spoofer-logto-credentials")).get("LOGTO_APP_SECRET"));
    assertThat(handedOut).as("the operator's own secret written to the namespace").isFalse();
    assertThat(h.client.getApplication(bootstrap).name()).isNotEqualTo("spoofer");
  }

  @Test
  void aSpoofedRoleIdInStatusDoesNotTouchTheManagementApiRole() {
    h = OperatorHarness.start();
    LogtoRole mine = h.create(role("spoofed-role"));
    h.awaitReady(mine);
    Role management = h.client.findRoleByName("Logto Management API access").orElseThrow();
    h.k8s.resources(LogtoRole.class).inNamespace(NS).withName("spoofed-role").editStatus(r -> {
      r.getStatus().setRoleId(management.id());
      return r;
    });
    h.edit(mine, r -> {
      r.getSpec().setName("renamed-by-spoof");
      r.getSpec().setDescription("touched");
      return r;
    });
    await().atMost(Duration.ofSeconds(20)).until(() -> h.condition(mine, "Ready").isPresent());
    await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);

    Role after = h.client.getRole(management.id());
    assertThat(after.name()).isEqualTo("Logto Management API access");
    assertThat(h.client.listRoleScopes(management.id())).extracting(s -> s.name())
        .containsExactly("all");
  }
}
