package io.logto.operator.reliability;

import static io.logto.operator.reconciler.OperatorHarness.apiResource;
import static io.logto.operator.reconciler.OperatorHarness.app;
import static io.logto.operator.reconciler.OperatorHarness.decoded;
import static io.logto.operator.reconciler.OperatorHarness.permission;
import static io.logto.operator.reconciler.OperatorHarness.role;
import static org.assertj.core.api.Assertions.assertThat;

import io.logto.operator.crd.apiresource.ApiScope;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.app.AppRoleAssignment;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.common.LocalObjectReference;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.logto.model.Role;
import io.logto.operator.logto.model.Scope;
import io.logto.operator.reconciler.OperatorHarness;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * For every Logto call on the create and update paths, the operator dies right after the call
 * succeeded in Logto and before it recorded anything; a fresh operator then takes over. The end
 * state must have exactly one Logto object per custom resource, correct statuses, and a Secret
 * whose credentials work.
 */
class CrashSafetyTest {

  private OperatorHarness h;

  @AfterEach
  void stop() {
    h.close();
  }

  private void crashThenRestart(CrashingLogtoApi crashing, String method) throws Exception {
    assertThat(crashing.awaitCrash(30)).as("the operator called %s", method).isTrue();
    h.stopOperator();
    h.startOperator(h.client, Set.of());
  }

  @ParameterizedTest(name = "crash after {0}")
  @ValueSource(strings = {
    "findApiResourceByIndicator", "createApiResource", "listScopes", "createScope",
    "findRoleByName", "createRole",
    "createApplication", "listApplicationSecrets", "assignApplicationRoles", "requestToken"})
  void createPathSurvivesACrashAfterEachLogtoCall(String method) throws Exception {
    h = OperatorHarness.startWithoutOperator();
    CrashingLogtoApi crashing = new CrashingLogtoApi(h.client, method);
    h.startOperator(crashing.api(), Set.of());
    LogtoApiResource shop = h.create(apiResource("shop", "https://shop.api", "read", "write"));
    LogtoRole reader = h.create(role("reader", permission("shop", "read", "write")));
    LogtoM2MApp client = h.create(app("client", "reader"));

    crashThenRestart(crashing, method);

    String resourceId = h.awaitReady(shop).getStatus().getResourceId();
    String roleId = h.awaitReady(reader).getStatus().getRoleId();
    LogtoM2MApp ready = h.awaitReady(client);
    assertThat(h.simulator.resourceCount()).isEqualTo(1);
    assertThat(h.simulator.roleCount()).isEqualTo(1);
    assertThat(h.simulator.applicationCount()).isEqualTo(1);
    assertThat(h.client.findApiResourceByIndicator("https://shop.api").orElseThrow().id())
        .isEqualTo(resourceId);
    assertThat(h.client.listScopes(resourceId)).extracting(Scope::name)
        .containsExactlyInAnyOrder("read", "write");
    assertThat(h.client.listRoleScopes(roleId)).extracting(Scope::name)
        .containsExactlyInAnyOrder("read", "write");
    assertThat(h.client.listApplicationRoles(ready.getStatus().getAppId()))
        .extracting(Role::id).containsExactly(roleId);
    assertWorkingSecret("client-logto-credentials", ready.getStatus().getAppId(),
        List.of("read", "write"));
  }

  @ParameterizedTest(name = "crash after {0}")
  @ValueSource(strings = {
    "getApiResource", "updateApiResource", "createScope", "updateScope", "deleteScope",
    "getRole", "updateRole", "listRoleScopes", "addRoleScopes", "removeRoleScope",
    "getApplication", "updateApplication", "listApplicationRoles", "assignApplicationRoles",
    "removeApplicationRole", "requestToken"})
  void updatePathSurvivesACrashAfterEachLogtoCall(String method) throws Exception {
    h = OperatorHarness.start();
    LogtoApiResource shop = h.create(apiResource("shop", "https://shop.api", "a", "b", "d"));
    LogtoRole r1 = h.create(role("r1", permission("shop", "b", "d")));
    LogtoRole r2 = h.create(role("r2", permission("shop", "d")));
    LogtoM2MApp client = h.create(app("client", "r1"));
    h.awaitReady(shop);
    h.awaitReady(r1);
    h.awaitReady(r2);
    h.awaitReady(client);
    h.stopOperator();
    CrashingLogtoApi crashing = new CrashingLogtoApi(h.client, method);
    h.startOperator(crashing.api(), Set.of());

    h.edit(shop, r -> {
      r.getSpec().setName("Shop v2");
      r.getSpec().setScopes(new ArrayList<>(List.of(new ApiScope("b", "changed"),
          new ApiScope("c", "new"), new ApiScope("d", "Scope d"))));
      return r;
    });
    h.edit(r1, r -> {
      r.getSpec().setName("r1-renamed");
      r.getSpec().setPermissions(new ArrayList<>(List.of(permission("shop", "b", "c"))));
      return r;
    });
    h.edit(client, a -> {
      a.getSpec().setName("client-renamed");
      AppRoleAssignment second = new AppRoleAssignment();
      second.setRoleRef(new LocalObjectReference("r2"));
      a.getSpec().setRoles(new ArrayList<>(List.of(second)));
      return a;
    });

    crashThenRestart(crashing, method);

    String resourceId = h.awaitReady(shop).getStatus().getResourceId();
    String r1Id = h.awaitReady(r1).getStatus().getRoleId();
    String r2Id = h.awaitReady(r2).getStatus().getRoleId();
    LogtoM2MApp ready = h.awaitReady(client);
    assertThat(h.simulator.resourceCount()).isEqualTo(1);
    assertThat(h.simulator.roleCount()).isEqualTo(2);
    assertThat(h.simulator.applicationCount()).isEqualTo(1);
    assertThat(h.client.getApiResource(resourceId).name()).isEqualTo("Shop v2");
    assertThat(h.client.listScopes(resourceId)).extracting(Scope::name)
        .containsExactlyInAnyOrder("b", "c", "d");
    assertThat(h.client.getRole(r1Id).name()).isEqualTo("r1-renamed");
    assertThat(h.client.listRoleScopes(r1Id)).extracting(Scope::name)
        .containsExactlyInAnyOrder("b", "c");
    String appId = ready.getStatus().getAppId();
    assertThat(h.client.getApplication(appId).name()).isEqualTo("client-renamed");
    assertThat(h.client.listApplicationRoles(appId)).extracting(Role::id).containsExactly(r2Id);
    assertWorkingSecret("client-logto-credentials", appId, List.of("d"));
  }

  private void assertWorkingSecret(String name, String appId, List<String> scopes) {
    Map<String, String> data = decoded(h.secret(name));
    assertThat(data).containsEntry("LOGTO_APP_ID", appId);
    assertThat(h.client.requestToken(appId, data.get("LOGTO_APP_SECRET"), "https://shop.api",
        scopes).grantedScopes()).containsExactlyInAnyOrderElementsOf(scopes);
  }
}
