package io.logto.operator.reconciler;

import static io.logto.operator.reconciler.OperatorHarness.apiResource;
import static io.logto.operator.reconciler.OperatorHarness.indicatorPermission;
import static io.logto.operator.reconciler.OperatorHarness.permission;
import static io.logto.operator.reconciler.OperatorHarness.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.logto.operator.crd.common.DeletionPolicy;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.logto.model.NewRole;
import io.logto.operator.logto.model.Role;
import io.logto.operator.logto.model.Scope;
import io.logto.operator.simulator.LogtoSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RoleReconcilerTest {

  private OperatorHarness h;

  @AfterEach
  void stop() {
    h.close();
  }

  private List<String> scopesOf(String roleId) {
    return h.client.listRoleScopes(roleId).stream()
        .map(s -> s.resource().indicator() + " " + s.name()).sorted().toList();
  }

  @Test
  void roleAppliedBeforeItsResourceWaitsThenConvergesWithItsScopes() {
    h = OperatorHarness.start();
    LogtoRole reader = h.create(role("reader", permission("shop", "read", "write")));
    h.awaitReady(reader, "WaitingForDependency");
    assertThat(h.readyReasonMessage(reader))
        .isEqualTo("LogtoApiResource default/shop does not exist");
    assertThat(h.simulator.roleCount()).isZero();

    h.create(apiResource("shop", "https://shop.api", "read", "write", "admin"));

    LogtoRole ready = h.awaitReady(reader);
    Role logto = h.client.findRoleByName("reader").orElseThrow();
    assertThat(logto.type()).isEqualTo(Role.MACHINE_TO_MACHINE);
    assertThat(ready.getStatus().getRoleId()).isEqualTo(logto.id());
    assertThat(scopesOf(logto.id()))
        .containsExactly("https://shop.api read", "https://shop.api write");
    assertThat(ready.getStatus().getGrants())
        .containsEntry("https://shop.api", List.of("read", "write"));
  }

  @Test
  void permissionNamesAndDescriptionChangesFlowToLogtoBothWays() {
    h = OperatorHarness.start();
    h.create(apiResource("shop", "https://shop.api", "a", "b", "c"));
    LogtoRole r = h.create(role("r", permission("shop", "a", "b")));
    String id = h.awaitReady(r).getStatus().getRoleId();

    h.edit(r, x -> {
      x.getSpec().setName("renamed");
      x.getSpec().setDescription("new description");
      x.getSpec().setPermissions(new ArrayList<>(List.of(permission("shop", "b", "c"))));
      return x;
    });
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      Role now = h.client.getRole(id);
      assertThat(now.name()).isEqualTo("renamed");
      assertThat(now.description()).isEqualTo("new description");
      assertThat(scopesOf(id)).containsExactly("https://shop.api b", "https://shop.api c");
    });
  }

  @Test
  void existingLogtoRoleWithTheSameNameIsAConflictAndLeftUntouched() {
    h = OperatorHarness.start();
    Role theirs = h.client.createRole(new NewRole("taken", "theirs", List.of()));
    LogtoRole mine = h.create(role("taken"));
    h.awaitReady(mine, "Conflict");

    h.delete(mine);
    h.awaitGone(mine);
    Role after = h.client.getRole(theirs.id());
    assertThat(after.description()).isEqualTo("theirs");
  }

  @Test
  void managementApiScopesAreForbiddenOutsidePrivilegedNamespaces() {
    h = OperatorHarness.start();
    LogtoRole admin =
        h.create(role("admin", indicatorPermission(LogtoSimulator.MANAGEMENT_API_RESOURCE, "all")));
    h.awaitReady(admin, "Forbidden");
    assertThat(h.readyReasonMessage(admin)).contains("Management API");
    assertThat(h.client.findRoleByName("admin")).isEmpty();
  }

  @Test
  void managementApiScopesAreAllowedInPrivilegedNamespaces() {
    h = OperatorHarness.start(OperatorHarness.NS);
    LogtoRole admin =
        h.create(role("admin", indicatorPermission(LogtoSimulator.MANAGEMENT_API_RESOURCE, "all")));
    String id = h.awaitReady(admin).getStatus().getRoleId();
    assertThat(scopesOf(id)).containsExactly(LogtoSimulator.MANAGEMENT_API_RESOURCE + " all");
  }

  @Test
  void deletionFollowsThePolicyAndWaitsForAppsUsingTheRole() {
    h = OperatorHarness.start();
    h.create(apiResource("shop", "https://shop.api", "a"));
    LogtoRole gone = h.create(role("gone", permission("shop", "a")));
    LogtoRole kept = role("kept", permission("shop", "a"));
    kept.getSpec().setDeletionPolicy(DeletionPolicy.Retain);
    h.create(kept);
    var app = h.create(OperatorHarness.app("user", "gone"));
    h.awaitReady(gone);
    h.awaitReady(kept);
    h.awaitReady(app);

    h.delete(gone);
    h.awaitReady(gone, "DeletionBlocked");
    assertThat(h.readyReasonMessage(gone)).contains("LogtoM2MApp user");
    assertThat(h.client.findRoleByName("gone")).isPresent();

    h.delete(app);
    h.awaitGone(gone);
    h.delete(kept);
    h.awaitGone(kept);
    assertThat(h.client.findRoleByName("gone")).isEmpty();
    assertThat(h.client.findRoleByName("kept")).isPresent();
  }

  @Test
  void unknownScopeOfAResourceWaitsAndNamesTheScope() {
    h = OperatorHarness.start();
    h.create(apiResource("shop", "https://shop.api", "a"));
    LogtoRole r = h.create(role("r", permission("shop", "a", "nope")));
    await().atMost(Duration.ofSeconds(20))
        .until(() -> h.readyReasonMessage(r).contains("'nope'"));
    assertThat(h.readyReason(r)).contains("WaitingForDependency");
    assertThat(h.client.listRoles().stream().map(Role::name)).doesNotContain("r");
    assertThat(h.client.listScopes(h.client.findApiResourceByIndicator("https://shop.api")
        .orElseThrow().id()).stream().map(Scope::name)).containsExactly("a");
  }
}
