package io.logto.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.logto.operator.simulator.SimHttp.Answer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /api/roles, its scopes and its applications. */
class RoleRoutesTest extends SimulatorTestBase {
  private String resource;
  private String read;
  private String write;

  @BeforeEach
  void shop() {
    resource = http.createResource("Shop", "https://shopping.api");
    read = http.createScope(resource, "read:products");
    write = http.createScope(resource, "write:products");
  }

  private static List<String> names(Answer answer) {
    List<String> names = new ArrayList<>();
    answer.json().forEach(n -> names.add(n.get("name").asText()));
    return names;
  }

  @Test
  void createRequiresNameAndDescription() {
    Answer noDescription = http.post("/api/roles", Map.of("name", "r", "type",
        "MachineToMachine"));
    assertThat(noDescription.status()).isEqualTo(400);
    assertThat(noDescription.code()).isEqualTo("guard.invalid_input");
    assertThat(http.post("/api/roles", Map.of("name", "r", "description", "d", "type", "Bot"))
        .code()).isEqualTo("guard.invalid_input");
    assertThat(http.post("/api/roles", Map.of("name", "", "description", "d")).status())
        .isEqualTo(400);
    assertThat(sim.roleCount()).isZero();
  }

  @Test
  void duplicateNameIs422NameInUse() {
    http.createM2mRole("shopping-reader");
    Answer answer = http.post("/api/roles", Map.of("name", "shopping-reader",
        "description", "x", "type", "MachineToMachine"));
    assertThat(answer.status()).isEqualTo(422);
    assertThat(answer.json().toString()).isEqualTo("{\"code\":\"role.name_in_use\","
        + "\"message\":\"This role name shopping-reader is already in use\"}");
  }

  @Test
  void unknownScopeIs404ButTheRoleIsCreatedAnywayAsInLogto() {
    Answer answer = http.post("/api/roles", Map.of("name", "r", "description", "d",
        "type", "MachineToMachine", "scopeIds", List.of(read, "nope")));
    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.code()).isEqualTo("entity.not_exists_with_id");
    assertThat(sim.roleCount()).isEqualTo(1);
    assertThat(http.post("/api/roles", Map.of("name", "r", "description", "d")).status())
        .isEqualTo(422);
  }

  @Test
  void listFiltersByTypeAndCountsApplications() {
    String role = http.createM2mRole("reader", read);
    SimHttp.check(http.post("/api/roles", Map.of("name", "people", "description", "d")), 200);
    for (int i = 0; i < 4; i++) {
      String app = http.createApp("app" + i, "MachineToMachine");
      SimHttp.check(http.post("/api/applications/" + app + "/roles",
          Map.of("roleIds", List.of(role))), 201);
    }
    assertThat(names(http.get("/api/roles")))
        .containsExactly("Logto Management API access", "reader", "people");
    assertThat(names(http.get("/api/roles?type=User"))).containsExactly("people");
    Answer badType = http.get("/api/roles?type=Robot");
    assertThat(badType.status()).isEqualTo(400);
    assertThat(badType.code()).isEqualTo("guard.invalid_input");

    JsonNode reader = http.get("/api/roles?type=MachineToMachine&search.name=reader").json()
        .get(0);
    assertThat(reader.get("applicationsCount").asInt()).isEqualTo(4);
    assertThat(reader.get("featuredApplications")).hasSize(3);
    assertThat(reader.get("featuredApplications").get(0).get("name").asText())
        .isEqualTo("app0");

    Answer excluding = http.get("/api/roles?excludeApplicationId=" + sim.bootstrapAppId());
    assertThat(names(excluding)).containsExactly("reader", "people");
  }

  @Test
  void listIsAlwaysPaginated() {
    for (int i = 0; i < 25; i++) {
      http.createM2mRole(String.format("role-%02d", i));
    }
    Answer answer = http.get("/api/roles");
    assertThat(answer.json()).hasSize(20);
    assertThat(answer.header("Total-Number")).isEqualTo("26");
    assertThat(answer.headerValues("Link")).contains(
        "<" + sim.endpoint() + "/roles?page=2>; rel=\"next\"",
        "<" + sim.endpoint() + "/roles?page=2>; rel=\"last\"");
  }

  @Test
  void getPatchAndDelete() {
    String role = http.createM2mRole("reader", read);
    String other = http.createM2mRole("writer", write);
    assertThat(http.get("/api/roles/" + role).json().get("name").asText()).isEqualTo("reader");
    assertThat(http.get("/api/roles/nope").code()).isEqualTo("entity.not_exists_with_id");

    Answer renamed = http.patch("/api/roles/" + role, Map.of("name", "reader2",
        "description", "new", "isDefault", true));
    assertThat(renamed.status()).isEqualTo(200);
    assertThat(renamed.json().get("name").asText()).isEqualTo("reader2");
    assertThat(renamed.json().get("description").asText()).isEqualTo("new");
    assertThat(renamed.json().get("isDefault").asBoolean()).isTrue();
    assertThat(http.patch("/api/roles/" + role, Map.of("name", "reader2")).status())
        .isEqualTo(200);
    Answer taken = http.patch("/api/roles/" + other, Map.of("name", "reader2"));
    assertThat(taken.status()).isEqualTo(422);
    assertThat(taken.code()).isEqualTo("role.name_in_use");

    assertThat(http.delete("/api/roles/" + role).status()).isEqualTo(204);
    assertThat(http.delete("/api/roles/" + role).status()).isEqualTo(404);
    assertThat(sim.roleCount()).isEqualTo(1);
  }

  @Test
  void roleScopes() {
    String role = http.createM2mRole("r", read);
    String path = "/api/roles/" + role + "/scopes";

    Answer exists = http.post(path, Map.of("scopeIds", List.of(read)));
    assertThat(exists.status()).isEqualTo(422);
    assertThat(exists.code()).isEqualTo("role.scope_exists");
    assertThat(http.post(path, Map.of("scopeIds", List.of())).status()).isEqualTo(400);
    assertThat(http.post(path, Map.of("scopeIds", List.of("nope"))).status()).isEqualTo(404);

    Answer added = http.post(path, Map.of("scopeIds", List.of(write)));
    assertThat(added.status()).isEqualTo(201);
    assertThat(names(added)).containsExactly("read:products", "write:products");
    assertThat(added.json().get(0).has("resource")).isFalse();

    Answer listed = http.get(path);
    assertThat(listed.header("Total-Number")).isNull();
    assertThat(listed.json().get(1).get("resource").get("id").asText()).isEqualTo(resource);
    assertThat(http.get(path + "?page_size=1").header("Total-Number")).isEqualTo("2");

    assertThat(http.delete(path + "/" + read).status()).isEqualTo(204);
    Answer again = http.delete(path + "/" + read);
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.code()).isEqualTo("entity.not_found");
    assertThat(names(http.get(path))).containsExactly("write:products");
  }

  @Test
  void managementApiScopesCannotGoToUserRoles() {
    Answer user = http.post("/api/roles", Map.of("name", "people", "description", "d"));
    Answer answer = http.post("/api/roles/" + user.json().get("id").asText() + "/scopes",
        Map.of("scopeIds", List.of("management-api-all")));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.code()).isEqualTo("role.management_api_scopes_not_assignable_to_user_role");
  }

  @Test
  void roleApplications() {
    String role = http.createM2mRole("r", read);
    String app = http.createApp("a", "MachineToMachine");
    String path = "/api/roles/" + role + "/applications";

    Answer added = http.post(path, Map.of("applicationIds", List.of(app)));
    assertThat(added.status()).isEqualTo(201);
    assertThat(added.body()).isEqualTo("Created");
    Answer exists = http.post(path, Map.of("applicationIds", List.of(app)));
    assertThat(exists.status()).isEqualTo(422);
    assertThat(exists.code()).isEqualTo("role.application_exists");
    assertThat(http.post(path, Map.of("applicationIds", List.of("nope"))).status())
        .isEqualTo(404);

    Answer listed = http.get(path);
    assertThat(listed.header("Total-Number")).isEqualTo("1");
    assertThat(listed.json().get(0).get("id").asText()).isEqualTo(app);

    String secret = http.defaultSecret(app);
    assertThat(http.token(app, secret, "https://shopping.api", "read:products").json()
        .get("scope").asText()).isEqualTo("read:products");

    assertThat(http.delete(path + "/" + app).status()).isEqualTo(204);
    assertThat(http.delete(path + "/" + app).status()).isEqualTo(404);
    assertThat(http.token(app, secret, "https://shopping.api", "read:products").json()
        .has("scope")).isFalse();
  }

  @Test
  void deletingARoleRevokesItsScopesFromNewTokens() {
    String role = http.createM2mRole("r", read, write);
    String app = http.createApp("a", "MachineToMachine");
    SimHttp.check(http.post("/api/applications/" + app + "/roles",
        Map.of("roleIds", List.of(role))), 201);
    String secret = http.defaultSecret(app);
    assertThat(http.token(app, secret, "https://shopping.api", "read:products write:products")
        .json().get("scope").asText()).isEqualTo("read:products write:products");

    SimHttp.check(http.delete("/api/roles/" + role), 204);
    assertThat(http.token(app, secret, "https://shopping.api", "read:products").json()
        .has("scope")).isFalse();
    assertThat(http.get("/api/applications/" + app + "/roles").json()).isEmpty();
  }
}
