package io.logto.operator.logto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logto.operator.logto.model.ApiResource;
import io.logto.operator.logto.model.ApiResourceUpdate;
import io.logto.operator.logto.model.Application;
import io.logto.operator.logto.model.ApplicationSecret;
import io.logto.operator.logto.model.ApplicationUpdate;
import io.logto.operator.logto.model.NewApiResource;
import io.logto.operator.logto.model.NewApplication;
import io.logto.operator.logto.model.NewRole;
import io.logto.operator.logto.model.Role;
import io.logto.operator.logto.model.RoleUpdate;
import io.logto.operator.logto.model.Scope;
import io.logto.operator.logto.model.TokenGrant;
import io.logto.operator.simulator.LogtoSimulator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every operation of {@link LogtoApi} against the Logto simulator. */
class LogtoClientOperationsTest extends SimulatorTestBase {

  private static final Map<String, Object> IDENTITY =
      Map.of("logtoOperator", Map.of("namespace", "shop", "name", "stats", "uid", "u-1"));

  private Application newApp(String name) {
    return client.createApplication(new NewApplication(name, "an app", IDENTITY));
  }

  @Test
  void applicationLifecycle() {
    Application app = newApp("order-stats");
    assertThat(app.id()).isNotBlank();
    assertThat(app.type()).isEqualTo("MachineToMachine");
    assertThat(app.customData()).isEqualTo(IDENTITY);

    assertThat(client.getApplication(app.id())).isEqualTo(app);
    assertThat(client.listApplications()).extracting(Application::id)
        .containsExactlyInAnyOrder(app.id(), logto.bootstrapAppId());

    Application renamed =
        client.updateApplication(app.id(), new ApplicationUpdate("order-stats-2", null, null));
    assertThat(renamed.name()).isEqualTo("order-stats-2");
    assertThat(renamed.description()).isEqualTo("an app");
    assertThat(client.getApplication(app.id()).name()).isEqualTo("order-stats-2");

    client.deleteApplication(app.id());
    assertThatThrownBy(() -> client.getApplication(app.id()))
        .isInstanceOfSatisfying(LogtoException.class, e -> assertThat(e.isNotFound()).isTrue());
  }

  @Test
  void applicationSecretsAreCredentialsThatCanBeRotated() {
    Application app = newApp("rotating");
    List<ApplicationSecret> initial = client.listApplicationSecrets(app.id());
    assertThat(initial).singleElement().satisfies(secret -> {
      assertThat(secret.name()).isEqualTo("Default secret");
      assertThat(secret.value()).isNotBlank();
      assertThat(secret.applicationId()).isEqualTo(app.id());
    });

    Instant expiry = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
    ApplicationSecret rotated = client.createApplicationSecret(app.id(), "rotation 1", expiry);
    assertThat(rotated.value()).isNotBlank().isNotEqualTo(initial.get(0).value());
    assertThat(rotated.expiresAt()).isEqualTo(expiry.toEpochMilli());
    ApplicationSecret forever = client.createApplicationSecret(app.id(), "forever", null);
    assertThat(forever.expiresAt()).isNull();

    TokenGrant grant = client.requestToken(app.id(), rotated.value(),
        LogtoSimulator.MANAGEMENT_API_RESOURCE, List.of());
    assertThat(grant.accessToken()).isNotBlank();

    // A name with a space travels as one path segment.
    client.deleteApplicationSecret(app.id(), "Default secret");
    assertThat(client.listApplicationSecrets(app.id())).extracting(ApplicationSecret::name)
        .containsExactlyInAnyOrder("rotation 1", "forever");
    assertThatThrownBy(() -> client.requestToken(app.id(), initial.get(0).value(),
        LogtoSimulator.MANAGEMENT_API_RESOURCE, List.of()))
        .isInstanceOfSatisfying(LogtoException.class, e -> {
          assertThat(e.status()).isEqualTo(401);
          assertThat(e.code()).isEqualTo("oidc.invalid_client");
        });
  }

  @Test
  void apiResourceWithScopes() {
    ApiResource resource =
        client.createApiResource(new NewApiResource("Shopping", "https://shop.example/api", 600));
    assertThat(resource.accessTokenTtl()).isEqualTo(600);
    client.createApiResource(new NewApiResource("Shopping 2", "https://shop.example/api2", null));
    Scope read = client.createScope(resource.id(), "read:products", "Read products");
    Scope write = client.createScope(resource.id(), "write:products", null);
    assertThat(read.resourceId()).isEqualTo(resource.id());

    assertThat(client.getApiResource(resource.id()).indicator())
        .isEqualTo("https://shop.example/api");
    assertThat(client.findApiResourceByIndicator("https://shop.example/api"))
        .hasValueSatisfying(found -> {
          assertThat(found.id()).isEqualTo(resource.id());
          assertThat(found.scopes()).extracting(Scope::name)
              .containsExactlyInAnyOrder("read:products", "write:products");
        });
    assertThat(client.findApiResourceByIndicator("https://shop.example")).isEmpty();
    assertThat(client.listApiResources())
        .anySatisfy(r -> {
          assertThat(r.indicator()).isEqualTo(LogtoSimulator.MANAGEMENT_API_RESOURCE);
          assertThat(r.scopes()).extracting(Scope::name).containsExactly("all");
        })
        .hasSize(3);

    ApiResource updated =
        client.updateApiResource(resource.id(), new ApiResourceUpdate("Shop", 1200));
    assertThat(updated.name()).isEqualTo("Shop");
    assertThat(updated.accessTokenTtl()).isEqualTo(1200);
    assertThat(updated.indicator()).isEqualTo("https://shop.example/api");

    Scope reworded = client.updateScope(resource.id(), write.id(), "write:products", "Write");
    assertThat(reworded.description()).isEqualTo("Write");
    client.deleteScope(resource.id(), read.id());
    assertThat(client.listScopes(resource.id())).extracting(Scope::id).containsExactly(write.id());

    client.deleteApiResource(resource.id());
    assertThatThrownBy(() -> client.getApiResource(resource.id()))
        .isInstanceOfSatisfying(LogtoException.class, e -> assertThat(e.isNotFound()).isTrue());
  }

  @Test
  void roleLifecycleWithScopes() {
    ApiResource resource =
        client.createApiResource(new NewApiResource("Shopping", "https://shop.example/api", null));
    Scope read = client.createScope(resource.id(), "read", "Read");
    Scope write = client.createScope(resource.id(), "write", "Write");

    Role role = client.createRole(new NewRole("shop-reader", "Reads", List.of(read.id())));
    assertThat(role.type()).isEqualTo(Role.MACHINE_TO_MACHINE);
    assertThat(client.getRole(role.id())).isEqualTo(role);
    assertThat(client.listRoleScopes(role.id())).singleElement().satisfies(scope -> {
      assertThat(scope.id()).isEqualTo(read.id());
      assertThat(scope.resource().indicator()).isEqualTo("https://shop.example/api");
    });

    // One of them is linked already: Logto refuses the call, the client links the other.
    client.addRoleScopes(role.id(), List.of(read.id(), write.id()));
    assertThat(client.listRoleScopes(role.id())).extracting(Scope::id)
        .containsExactlyInAnyOrder(read.id(), write.id());
    long posts = count("POST /api/roles/{id}/scopes");
    client.addRoleScopes(role.id(), List.of(read.id(), write.id()));
    client.addRoleScopes(role.id(), List.of());
    assertThat(count("POST /api/roles/{id}/scopes")).isEqualTo(posts + 1);

    client.removeRoleScope(role.id(), read.id());
    assertThat(client.listRoleScopes(role.id())).extracting(Scope::id).containsExactly(write.id());

    Role updated = client.updateRole(role.id(), new RoleUpdate(null, "Reads products"));
    assertThat(updated.name()).isEqualTo("shop-reader");
    assertThat(updated.description()).isEqualTo("Reads products");
    assertThat(client.listRoles()).extracting(Role::name)
        .containsExactlyInAnyOrder("shop-reader", "Logto Management API access");

    client.deleteRole(role.id());
    assertThatThrownBy(() -> client.getRole(role.id()))
        .isInstanceOfSatisfying(LogtoException.class, e -> assertThat(e.isNotFound()).isTrue());
  }

  @Test
  void findRoleByNameMatchesExactlyEvenWithLikeWildcards() {
    Role underscore = client.createRole(new NewRole("shop_reader", "x", null));
    Role lookalike = client.createRole(new NewRole("shopXreader", "x", null));
    Role percent = client.createRole(new NewRole("shop%reader", "x", null));
    Role backslash = client.createRole(new NewRole("shop\\reader", "x", null));
    client.createRole(new NewRole("other", "mentions shop_reader", null));

    assertThat(client.findRoleByName("shop_reader")).contains(underscore);
    assertThat(client.findRoleByName("shopXreader")).contains(lookalike);
    assertThat(client.findRoleByName("shop%reader")).contains(percent);
    assertThat(client.findRoleByName("shop\\reader")).contains(backslash);
    assertThat(client.findRoleByName("SHOP_READER")).isEmpty();
    assertThat(client.findRoleByName("shop")).isEmpty();
    assertThat(client.findRoleByName("Logto Management API access")).isPresent();
  }

  @Test
  void applicationRoles() {
    Application app = newApp("with-roles");
    Role first = client.createRole(new NewRole("first", "x", null));
    Role second = client.createRole(new NewRole("second", "x", null));

    client.assignApplicationRoles(app.id(), List.of(first.id()));
    assertThat(client.listApplicationRoles(app.id())).containsExactly(first);
    // Logto 1.42 ignores the role already assigned.
    client.assignApplicationRoles(app.id(), List.of(first.id(), second.id()));
    assertThat(client.listApplicationRoles(app.id())).extracting(Role::id)
        .containsExactlyInAnyOrder(first.id(), second.id());
    assertThat(count("POST /api/applications/{id}/roles")).isEqualTo(2);

    client.assignApplicationRoles(app.id(), Set.of());
    assertThat(count("POST /api/applications/{id}/roles")).isEqualTo(2);

    assertThat(client.listRoleApplications(second.id())).extracting(Application::id)
        .containsExactly(app.id());
    client.removeApplicationRole(app.id(), first.id());
    assertThat(client.listApplicationRoles(app.id())).extracting(Role::id)
        .containsExactly(second.id());
    assertThat(client.listRoleApplications(first.id())).isEmpty();
  }

  @Test
  void legacyRoleAssignmentSendsOnlyTheMissingRoles() {
    logto.setLegacyRoleAssignment(true);
    Application app = newApp("legacy");
    Role first = client.createRole(new NewRole("first", "x", null));
    Role second = client.createRole(new NewRole("second", "x", null));

    client.assignApplicationRoles(app.id(), List.of(first.id()));
    client.assignApplicationRoles(app.id(), List.of(first.id(), second.id()));
    assertThat(client.listApplicationRoles(app.id())).extracting(Role::id)
        .containsExactlyInAnyOrder(first.id(), second.id());
    // The first, the refused one (application.role_exists), the one with the missing role only.
    assertThat(count("POST /api/applications/{id}/roles")).isEqualTo(3);

    logto.resetCounters();
    client.assignApplicationRoles(app.id(), List.of(second.id()));
    assertThat(count("POST /api/applications/{id}/roles")).isEqualTo(1);
    assertThat(count("GET /api/applications/{id}/roles")).isEqualTo(1);
  }

  @Test
  void requestTokenReportsTheGrantedScopes() {
    TokenGrant operator = client.requestToken(logto.bootstrapAppId(), logto.bootstrapAppSecret(),
        LogtoSimulator.MANAGEMENT_API_RESOURCE, List.of("all"));
    assertThat(operator.grantedScopes()).containsExactly("all");
    assertThat(operator.expiresAt()).isAfter(Instant.now().plusSeconds(3000));

    Application app = newApp("no-roles");
    String secret = client.listApplicationSecrets(app.id()).get(0).value();
    TokenGrant bare = client.requestToken(app.id(), secret,
        LogtoSimulator.MANAGEMENT_API_RESOURCE, List.of("all"));
    assertThat(bare.grantedScopes()).isEmpty();
    // Verification tokens are not the operator's: not cached, not reported as such.
    assertThat(logto.tokenRequests(app.id())).isEqualTo(1);
    assertThat(operatorTokenRequests).containsExactly(true);
  }
}
