package io.logto.operator.hardening;

import static io.logto.operator.reconciler.OperatorHarness.apiResource;
import static io.logto.operator.reconciler.OperatorHarness.app;
import static io.logto.operator.reconciler.OperatorHarness.indicatorPermission;
import static io.logto.operator.reconciler.OperatorHarness.logtoRole;
import static io.logto.operator.reconciler.OperatorHarness.permission;
import static io.logto.operator.reconciler.OperatorHarness.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.logto.operator.config.OperatorConfig;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.logto.model.Application;
import io.logto.operator.logto.model.NewApiResource;
import io.logto.operator.logto.model.NewRole;
import io.logto.operator.logto.model.Role;
import io.logto.operator.logto.model.Scope;
import io.logto.operator.reconciler.OperatorHarness;
import io.logto.operator.simulator.LogtoSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Reaching beyond what the operator manages (the Management API's scopes, API resources and roles
 * that exist in Logto without a custom resource) is allowed only from the allowlisted namespace
 * "trusted"; from "default" the object is Forbidden and nothing is created or changed in Logto.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrivilegeEscalationTest {

  private static final String TRUSTED = "trusted";
  private static final String UNTRUSTED = OperatorHarness.NS;
  private static final String MANAGEMENT_ROLE = "Logto Management API access";
  private static final String LEGACY_API = "https://legacy.api";
  private static final String LEGACY_ROLE = "legacy-reader";

  private OperatorHarness h;
  private String managementRoleBefore;
  private String legacyRoleBefore;

  @BeforeAll
  void start() {
    h = OperatorHarness.start(TRUSTED);
    h.k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(TRUSTED)
        .endMetadata().build()).create();
    // Objects that exist in Logto outside the operator.
    String legacyId =
        h.client.createApiResource(new NewApiResource("Legacy", LEGACY_API, null)).id();
    Scope read = h.client.createScope(legacyId, "legacy:read", "Read legacy");
    h.client.createRole(new NewRole(LEGACY_ROLE, "Made by hand", List.of(read.id())));
    managementRoleBefore = describeRole(MANAGEMENT_ROLE);
    legacyRoleBefore = describeRole(LEGACY_ROLE);
  }

  @AfterAll
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void noNamespaceIsPrivilegedByDefault() {
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of(
        "LOGTO_ENDPOINT", "https://tenant.logto.app", "LOGTO_APP_ID", "id",
        "LOGTO_APP_SECRET", "secret"));
    assertThat(config.privilegedNamespaces()).isEmpty();
  }

  @Test
  void roleWithManagementApiScopesIsForbiddenOutsideTheAllowlistAndWorksInside() {
    LogtoRole outside = in(UNTRUSTED, role("mgmt-outside",
        indicatorPermission(LogtoSimulator.MANAGEMENT_API_RESOURCE, "all")));
    LogtoRole inside = in(TRUSTED, role("mgmt-inside",
        indicatorPermission(LogtoSimulator.MANAGEMENT_API_RESOURCE, "all")));
    create(outside);
    create(inside);

    assertThat(awaitReason(outside, "Forbidden").message())
        .contains("spec.permissions[0].indicator", "Management API");
    assertThat(h.client.findRoleByName("mgmt-outside")).isEmpty();
    awaitReason(inside, "Synced");
    assertThat(scopesOf("mgmt-inside"))
        .containsExactly(LogtoSimulator.MANAGEMENT_API_RESOURCE + " all");
    assertManagementRoleUntouched();
  }

  @Test
  void roleWithAnIndicatorOfANonManagedResourceIsForbiddenOutsideTheAllowlist() {
    LogtoRole outside = in(UNTRUSTED, role("legacy-outside",
        indicatorPermission(LEGACY_API, "legacy:read")));
    LogtoRole inside = in(TRUSTED, role("legacy-inside",
        indicatorPermission(LEGACY_API, "legacy:read")));
    create(outside);
    create(inside);

    assertThat(awaitReason(outside, "Forbidden").message())
        .contains("spec.permissions[0].indicator", LEGACY_API, "not managed");
    assertThat(h.client.findRoleByName("legacy-outside")).isEmpty();
    awaitReason(inside, "Synced");
    assertThat(scopesOf("legacy-inside")).containsExactly(LEGACY_API + " legacy:read");
  }

  @Test
  void appWithALogtoRoleNameIsForbiddenOutsideTheAllowlistAndGetsTheRoleInside() {
    LogtoM2MApp outside = in(UNTRUSTED, app("admin-outside"));
    outside.getSpec().getRoles().add(logtoRole(MANAGEMENT_ROLE));
    LogtoM2MApp legacyOutside = in(UNTRUSTED, app("legacy-app-outside"));
    legacyOutside.getSpec().getRoles().add(logtoRole(LEGACY_ROLE));
    LogtoM2MApp inside = in(TRUSTED, app("admin-inside"));
    inside.getSpec().getRoles().add(logtoRole(MANAGEMENT_ROLE));
    create(outside);
    create(legacyOutside);
    create(inside);

    assertThat(awaitReason(outside, "Forbidden").message())
        .contains("spec.roles", "logtoRoleName", MANAGEMENT_ROLE);
    assertThat(awaitReason(legacyOutside, "Forbidden").message()).contains(LEGACY_ROLE);
    awaitReason(inside, "Synced");
    assertThat(appsNamed("admin-outside")).isEmpty();
    assertThat(appsNamed("legacy-app-outside")).isEmpty();
    assertThat(h.secret("admin-outside-logto-credentials")).isNull();
    Application admin = appsNamed("admin-inside").get(0);
    assertThat(h.client.listApplicationRoles(admin.id())).extracting(Role::name)
        .containsExactly(MANAGEMENT_ROLE);
    assertManagementRoleUntouched();
  }

  @Test
  void privilegeCannotBeAddedByEditingAnObjectThatWasAllowed() {
    h.create(apiResource("own-api", "https://own.api", "read"));
    LogtoRole mine = h.create(role("grows", permission("own-api", "read")));
    awaitReason(mine, "Synced");
    String id = h.client.findRoleByName("grows").orElseThrow().id();

    h.edit(mine, r -> {
      List<io.logto.operator.crd.role.RolePermission> permissions =
          new ArrayList<>(r.getSpec().getPermissions());
      permissions.add(indicatorPermission(LogtoSimulator.MANAGEMENT_API_RESOURCE, "all"));
      r.getSpec().setPermissions(permissions);
      return r;
    });
    awaitReason(mine, "Forbidden");
    assertThat(scopesOf("grows")).containsExactly("https://own.api read");
    assertThat(h.client.getRole(id).name()).isEqualTo("grows");

    LogtoM2MApp user = h.create(app("grows-app", "grows"));
    awaitReason(user, "WaitingForDependency");
    assertThat(appsNamed("grows-app")).isEmpty();
  }

  @Test
  void objectsOutsideTheOperatorCannotBeClaimedByName() {
    LogtoRole claimManagementRole = in(UNTRUSTED, role("claim-mgmt",
        permission("nothing", "x")));
    claimManagementRole.getSpec().setName(MANAGEMENT_ROLE);
    claimManagementRole.getSpec().setPermissions(new ArrayList<>());
    LogtoRole claimLegacyRole = in(UNTRUSTED, role("claim-legacy"));
    claimLegacyRole.getSpec().setName(LEGACY_ROLE);
    var claimManagementApi =
        in(UNTRUSTED, apiResource("claim-mgmt-api", LogtoSimulator.MANAGEMENT_API_RESOURCE, "x"));
    var claimLegacyApi = in(UNTRUSTED, apiResource("claim-legacy-api", LEGACY_API, "x"));
    create(claimManagementRole);
    create(claimLegacyRole);
    create(claimManagementApi);
    create(claimLegacyApi);

    assertThat(awaitReason(claimManagementRole, "Conflict").message())
        .contains("already exists in Logto");
    awaitReason(claimLegacyRole, "Conflict");
    assertThat(awaitReason(claimManagementApi, "Forbidden").message()).contains("Management API");
    assertThat(awaitReason(claimLegacyApi, "Conflict").message()).contains("left untouched");
    assertManagementRoleUntouched();
    assertThat(describeRole(LEGACY_ROLE)).isEqualTo(legacyRoleBefore);
    assertThat(h.client.findApiResourceByIndicator(LEGACY_API).orElseThrow().scopes())
        .extracting(Scope::name).containsExactly("legacy:read");

    // Deleting the claimants must not delete what they claimed.
    for (HasMetadata claimant :
        List.of(claimManagementRole, claimLegacyRole, claimManagementApi, claimLegacyApi)) {
      CrObjects.raw(h.k8s, claimant).delete();
    }
    for (HasMetadata claimant :
        List.of(claimManagementRole, claimLegacyRole, claimManagementApi, claimLegacyApi)) {
      await().atMost(Duration.ofSeconds(15)).until(() -> CrObjects.raw(h.k8s, claimant).get()
          == null);
    }
    assertManagementRoleUntouched();
    assertThat(describeRole(LEGACY_ROLE)).isEqualTo(legacyRoleBefore);
    assertThat(h.client.findApiResourceByIndicator(LEGACY_API)).isPresent();
    assertThat(h.client.findApiResourceByIndicator(LogtoSimulator.MANAGEMENT_API_RESOURCE))
        .isPresent();
  }

  @Test
  void aTrustedNamespacesApiResourceCannotBeClaimedFromAnotherNamespace() {
    var trusted = in(TRUSTED, apiResource("shared-api", "https://shared.api", "read"));
    create(trusted);
    awaitReason(trusted, "Synced");
    var copy = in(UNTRUSTED, apiResource("shared-api-copy", "https://shared.api", "read", "admin"));
    create(copy);
    awaitReason(copy, "Conflict");
    var resource = h.client.findApiResourceByIndicator("https://shared.api").orElseThrow();
    assertThat(h.client.listScopes(resource.id())).extracting(Scope::name).containsExactly("read");
  }

  // Helpers

  private <T extends CustomResource<?, ?>> T in(String namespace, T object) {
    object.getMetadata().setNamespace(namespace);
    return object;
  }

  private void create(HasMetadata object) {
    h.k8s.resource(object).create();
  }

  private CrObjects.Ready awaitReason(HasMetadata object, String reason) {
    return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
        .until(() -> CrObjects.ready(CrObjects.raw(h.k8s, object).get()).orElse(null),
            r -> r != null && reason.equals(r.reason()));
  }

  private List<String> scopesOf(String roleName) {
    Role role = h.client.findRoleByName(roleName).orElseThrow();
    return h.client.listRoleScopes(role.id()).stream()
        .map(s -> s.resource().indicator() + " " + s.name()).sorted().toList();
  }

  private List<Application> appsNamed(String name) {
    return h.client.listApplications().stream().filter(a -> name.equals(a.name())).toList();
  }

  private String describeRole(String name) {
    Role role = h.client.findRoleByName(name).orElseThrow();
    return role.id() + "|" + role.name() + "|" + role.description() + "|" + scopesOf(name)
        + "|" + h.client.listRoleApplications(role.id()).stream().map(Application::id).sorted()
            .toList();
  }

  private void assertManagementRoleUntouched() {
    Role role = h.client.findRoleByName(MANAGEMENT_ROLE).orElseThrow();
    assertThat(role.description()).isEqualTo(managementRoleBefore.split("\\|")[2]);
    assertThat(scopesOf(MANAGEMENT_ROLE))
        .containsExactly(LogtoSimulator.MANAGEMENT_API_RESOURCE + " all");
    // Only the bootstrap app and apps from the trusted namespace may hold it.
    List<String> holders = h.client.listRoleApplications(role.id()).stream()
        .map(Application::name).toList();
    assertThat(holders).doesNotContain("admin-outside", "legacy-app-outside", "grows-app");
  }
}
