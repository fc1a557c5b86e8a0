package io.logto.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.logto.operator.simulator.SimHttp.Answer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /api/resources and their scopes. */
class ResourceRoutesTest extends SimulatorTestBase {

  private static List<String> names(Answer answer) {
    List<String> names = new ArrayList<>();
    answer.json().forEach(n -> names.add(n.get("name").asText()));
    return names;
  }

  @Test
  void createValidatesAndRejectsAUsedIndicator() {
    Answer created = http.post("/api/resources", Map.of("name", "Shop",
        "indicator", "https://shopping.api", "accessTokenTtl", 600));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("accessTokenTtl").asInt()).isEqualTo(600);

    Answer duplicate = http.post("/api/resources", Map.of("name", "Online Shopping 2",
        "indicator", "https://shopping.api"));
    assertThat(duplicate.status()).isEqualTo(422);
    assertThat(duplicate.json().toString())
        .isEqualTo("{\"code\":\"resource.resource_identifier_in_use\","
            + "\"message\":\"The API identifier https://shopping.api is already in use\"}");

    assertThat(http.post("/api/resources", Map.of("name", "x")).code())
        .isEqualTo("guard.invalid_input");
    assertThat(http.post("/api/resources", Map.of("name", "x", "indicator", "https://x",
        "accessTokenTtl", "long")).status()).isEqualTo(400);
    assertThat(http.post("/api/resources", Map.of("name", "Bad", "indicator", "not a uri"))
        .status()).isEqualTo(201);
    assertThat(sim.resourceCount()).isEqualTo(2);
  }

  @Test
  void getPatchAndIncludeScopes() {
    String id = http.createResource("Shop", "https://shopping.api");
    http.createScope(id, "read:products");

    Answer patched = http.patch("/api/resources/" + id, Map.of("name", "Shop 2",
        "accessTokenTtl", 60, "indicator", "https://ignored"));
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.json().get("name").asText()).isEqualTo("Shop 2");
    assertThat(patched.json().get("accessTokenTtl").asInt()).isEqualTo(60);
    assertThat(patched.json().get("indicator").asText()).isEqualTo("https://shopping.api");
    assertThat(patched.json().has("scopes")).isFalse();

    assertThat(http.get("/api/resources").json().get(1).has("scopes")).isFalse();
    Answer withScopes = http.get("/api/resources?includeScopes=true");
    assertThat(names(withScopes)).containsExactly("Logto Management API", "Shop 2");
    assertThat(withScopes.json().get(1).get("scopes").get(0).get("name").asText())
        .isEqualTo("read:products");
    assertThat(http.get("/api/resources/nope").code()).isEqualTo("entity.not_exists_with_id");
  }

  @Test
  void theManagementApiCannotBeChangedOrDeleted() {
    Answer patch = http.patch("/api/resources/management-api", Map.of("name", "x"));
    assertThat(patch.status()).isEqualTo(400);
    assertThat(patch.code()).isEqualTo("resource.cannot_modify_management_api");
    Answer delete = http.delete("/api/resources/management-api");
    assertThat(delete.status()).isEqualTo(400);
    assertThat(delete.code()).isEqualTo("resource.cannot_delete_management_api");
    Answer scope = http.post("/api/resources/management-api/scopes", Map.of("name", "more"));
    assertThat(scope.status()).isEqualTo(400);
    assertThat(scope.code()).isEqualTo("resource.cannot_modify_management_api");
    assertThat(http.delete("/api/resources/management-api/scopes/management-api-all").status())
        .isEqualTo(400);
  }

  @Test
  void scopeRules() {
    String id = http.createResource("Shop", "https://shopping.api");
    String path = "/api/resources/" + id + "/scopes";

    Answer space = http.post(path, Map.of("name", "read products"));
    assertThat(space.status()).isEqualTo(400);
    assertThat(space.code()).isEqualTo("scope.name_with_space");

    Answer created = http.post(path, Map.of("name", "read:products"));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("description").isNull()).isTrue();
    Answer duplicate = http.post(path, Map.of("name", "read:products"));
    assertThat(duplicate.status()).isEqualTo(422);
    assertThat(duplicate.json().get("message").asText())
        .isEqualTo("The scope name read:products is already in use");
    assertThat(duplicate.code()).isEqualTo("scope.name_exists");

    String other = http.createResource("Other", "https://other.api");
    assertThat(http.post("/api/resources/" + other + "/scopes",
        Map.of("name", "read:products")).status()).isEqualTo(201);
    assertThat(http.post("/api/resources/nope/scopes", Map.of("name", "x")).status())
        .isEqualTo(404);

    String write = http.createScope(id, "write:products");
    Answer patched = http.patch(path + "/" + write, Map.of("description", "Writes"));
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.json().get("description").asText()).isEqualTo("Writes");
    assertThat(patched.json().get("name").asText()).isEqualTo("write:products");
    assertThat(http.patch(path + "/" + write, Map.of("name", "read:products")).status())
        .isEqualTo(422);
    assertThat(http.patch(path + "/nope", Map.of("description", "x")).status()).isEqualTo(404);
  }

  @Test
  void resourceScopesAreAlwaysPaginatedAndUnknownResourceIsEmpty() {
    String id = http.createResource("Shop", "https://shopping.api");
    for (int i = 0; i < 21; i++) {
      http.createScope(id, "scope-" + i);
    }
    Answer first = http.get("/api/resources/" + id + "/scopes");
    assertThat(first.json()).hasSize(20);
    assertThat(first.header("Total-Number")).isEqualTo("21");
    assertThat(http.get("/api/resources/" + id + "/scopes?page=2").json()).hasSize(1);
    Answer unknown = http.get("/api/resources/nope/scopes");
    assertThat(unknown.status()).isEqualTo(200);
    assertThat(unknown.json()).isEmpty();
  }

  @Test
  void deletingScopesAndResourcesCascadesToRolesAndTokens() {
    String id = http.createResource("Shop", "https://shopping.api");
    String read = http.createScope(id, "read:products");
    String write = http.createScope(id, "write:products");
    String role = http.createM2mRole("r", read, write);
    String app = http.createApp("a", "MachineToMachine");
    SimHttp.check(http.post("/api/applications/" + app + "/roles",
        Map.of("roleIds", List.of(role))), 201);
    String secret = http.defaultSecret(app);

    assertThat(http.delete("/api/resources/" + id + "/scopes/" + write).status()).isEqualTo(204);
    assertThat(http.delete("/api/resources/" + id + "/scopes/" + write).status()).isEqualTo(404);
    assertThat(names(http.get("/api/roles/" + role + "/scopes")))
        .containsExactly("read:products");
    assertThat(http.token(app, secret, "https://shopping.api", "read:products write:products")
        .json().get("scope").asText()).isEqualTo("read:products");

    assertThat(http.delete("/api/resources/" + id).status()).isEqualTo(204);
    assertThat(http.get("/api/roles/" + role + "/scopes").json()).isEmpty();
    assertThat(http.token(app, secret, "https://shopping.api", "read:products").code())
        .isEqualTo("oidc.invalid_target");
    assertThat(sim.resourceCount()).isZero();
  }
}
