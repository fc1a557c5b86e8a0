package io.logto.operator.drift;

import static io.logto.operator.reconciler.OperatorHarness.apiResource;
import static io.logto.operator.reconciler.OperatorHarness.app;
import static io.logto.operator.reconciler.OperatorHarness.decoded;
import static io.logto.operator.reconciler.OperatorHarness.permission;
import static io.logto.operator.reconciler.OperatorHarness.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.logto.model.ApiResourceUpdate;
import io.logto.operator.logto.model.ApplicationUpdate;
import io.logto.operator.logto.model.Role;
import io.logto.operator.logto.model.RoleUpdate;
import io.logto.operator.logto.model.Scope;
import io.logto.operator.reconciler.LogtoCalls;
import io.logto.operator.reconciler.OperatorHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DriftCorrectionTest {

  private OperatorHarness h;
  private LogtoApiResource shop;
  private LogtoRole reader;
  private LogtoM2MApp client;

  @BeforeEach
  void converge() {
    h = OperatorHarness.start();
    shop = h.create(apiResource("shop", "https://shop.api", "read", "write"));
    reader = h.create(role("reader", permission("shop", "read", "write")));
    client = h.create(app("client", "reader"));
    h.awaitReady(shop);
    h.awaitReady(reader);
    h.awaitReady(client);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private String appId() {
    return h.get(client).getStatus().getAppId();
  }

  private String roleId() {
    return h.get(reader).getStatus().getRoleId();
  }

  private String resourceId() {
    return h.get(shop).getStatus().getResourceId();
  }

  private List<String> driftEvents() {
    return h.k8s.v1().events().inNamespace(OperatorHarness.NS).list().getItems().stream()
        .filter(e -> "DriftCorrected".equals(e.getReason()))
        .map(Event::getInvolvedObject)
        .map(o -> o.getKind() + "/" + o.getName())
        .toList();
  }

  @Test
  void resyncWithNothingChangedMakesNoWriteAndFewReads() {
    h.simulator.resetCounters();
    var report = h.operator().resyncNow();
    assertThat(report.checked()).isEqualTo(3);
    assertThat(report.drifted()).isZero();
    assertThat(LogtoCalls.writes(h.simulator)).isZero();
    // resources list, roles list, role scopes, role applications, applications list
    assertThat(LogtoCalls.reads(h.simulator)).isLessThanOrEqualTo(5);
  }

  @Test
  void appDeletedInLogtoIsRecreatedWithNewCredentialsInItsSecret() {
    String oldId = appId();
    h.client.deleteApplication(oldId);

    assertThat(h.operator().resyncNow().drifted()).isEqualTo(1);

    await().atMost(Duration.ofSeconds(20)).until(() -> !oldId.equals(appId()));
    h.awaitReady(client);
    Map<String, String> data = decoded(h.secret("client-logto-credentials"));
    assertThat(data.get("LOGTO_APP_ID")).isEqualTo(appId());
    assertThat(h.client.requestToken(data.get("LOGTO_APP_ID"), data.get("LOGTO_APP_SECRET"),
        "https://shop.api", List.of("read")).grantedScopes()).containsExactly("read");
    assertThat(h.client.listApplicationRoles(appId())).extracting(Role::name)
        .containsExactly("reader");
    await().untilAsserted(() -> assertThat(driftEvents()).contains("LogtoM2MApp/client"));
  }

  @Test
  void removedRoleAssignmentComesBack() {
    h.client.removeApplicationRole(appId(), roleId());
    assertThat(h.operator().resyncNow().drifted()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(h.client.listApplicationRoles(appId())).extracting(Role::id)
            .containsExactly(roleId()));
  }

  @Test
  void deletedScopeAndRemovedPermissionComeBack() {
    String writeScope = h.get(shop).getStatus().getScopeIds().get("write");
    h.client.deleteScope(resourceId(), writeScope);
    assertThat(h.operator().resyncNow().drifted()).isEqualTo(2); // the resource and the role
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(h.client.listScopes(resourceId())).extracting(Scope::name)
          .containsExactlyInAnyOrder("read", "write");
      assertThat(h.client.listRoleScopes(roleId())).extracting(Scope::name)
          .containsExactlyInAnyOrder("read", "write");
    });
  }

  @Test
  void renamedObjectsGetTheirNamesBack() {
    h.client.updateApplication(appId(), new ApplicationUpdate("hijacked", null, null));
    h.client.updateRole(roleId(), new RoleUpdate("hijacked-role", null));
    h.client.updateApiResource(resourceId(), new ApiResourceUpdate("hijacked-api", null));

    assertThat(h.operator().resyncNow().drifted()).isEqualTo(3);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(h.client.getApplication(appId()).name()).isEqualTo("client");
      assertThat(h.client.getRole(roleId()).name()).isEqualTo("reader");
      assertThat(h.client.getApiResource(resourceId()).name()).isEqualTo("shop");
    });
    await().untilAsserted(() -> assertThat(driftEvents()).contains(
        "LogtoM2MApp/client", "LogtoRole/reader", "LogtoApiResource/shop"));
  }

  @Test
  void roleDeletedInLogtoIsRecreatedAndReassigned() {
    String oldRole = roleId();
    h.client.deleteRole(oldRole);
    h.operator().resyncNow();
    await().atMost(Duration.ofSeconds(20)).until(() -> !oldRole.equals(roleId()));
    // The app's reconcile follows the role's new id (an event of the LogtoRole wakes it).
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(h.client.listApplicationRoles(appId())).extracting(Role::id)
            .containsExactly(roleId()));
  }
}
