package io.logto.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.logto.operator.simulator.SimHttp.Answer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /api/applications, its secrets and its roles. */
class ApplicationRoutesTest extends SimulatorTestBase {

  private static List<String> names(Answer answer) {
    List<String> names = new ArrayList<>();
    answer.json().forEach(n -> names.add(n.get("name").asText()));
    return names;
  }

  @Test
  void createValidatesThePayload() {
    Answer noName = http.post("/api/applications", Map.of("type", "MachineToMachine"));
    assertThat(noName.status()).isEqualTo(400);
    assertThat(noName.code()).isEqualTo("guard.invalid_input");
    assertThat(noName.json().get("message").asText()).isEqualTo("The request body is invalid.");

    Answer badType = http.post("/api/applications", Map.of("name", "x", "type", "Robot"));
    assertThat(badType.status()).isEqualTo(400);
    assertThat(badType.code()).isEqualTo("guard.invalid_input");

    Answer badCustomData = http.post("/api/applications",
        Map.of("name", "x", "type", "MachineToMachine", "customData", "text"));
    assertThat(badCustomData.status()).isEqualTo(400);

    Answer notJson = http.post("/api/applications", "{not json");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.code()).isEqualTo("guard.invalid_input");

    Answer unknownFieldsIgnored = http.post("/api/applications",
        Map.of("name", "x", "type", "MachineToMachine", "whatever", 1));
    assertThat(unknownFieldsIgnored.status()).isEqualTo(200);
    assertThat(sim.applicationCount()).isEqualTo(1);
  }

  @Test
  void unknownIdIs404WithLogtosMessage() {
    Answer answer = http.get("/api/applications/nope");
    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.json().toString()).isEqualTo("{\"code\":\"entity.not_exists_with_id\","
        + "\"message\":\"The applications with ID `nope` does not exist.\"}");
    assertThat(http.delete("/api/applications/nope").status()).isEqualTo(404);
    assertThat(http.patch("/api/applications/nope", Map.of("name", "y")).status())
        .isEqualTo(404);
  }

  @Test
  void getAddsIsAdminAndNamesAreNotUnique() {
    String a = http.createApp("same", "MachineToMachine");
    String b = http.createApp("same", "MachineToMachine");
    assertThat(a).isNotEqualTo(b);
    JsonNode app = http.get("/api/applications/" + a).json();
    assertThat(app.get("isAdmin").asBoolean()).isFalse();
    assertThat(app.get("name").asText()).isEqualTo("same");
  }

  @Test
  void listFiltersByTypesAndSearchesLikeSqlLike() {
    http.createApp("order-stats", "MachineToMachine");
    http.createApp("web-shop", "Traditional");
    http.createApp("spa-shop", "SPA");

    assertThat(names(http.get("/api/applications")))
        .containsExactly("spa-shop", "web-shop", "order-stats", "operator bootstrap");
    assertThat(names(http.get("/api/applications?types=MachineToMachine")))
        .containsExactly("order-stats", "operator bootstrap");
    assertThat(names(http.get("/api/applications?types=SPA&types=Traditional")))
        .containsExactly("spa-shop", "web-shop");
    assertThat(http.get("/api/applications?types=SPA,Traditional").status()).isEqualTo(400);

    assertThat(names(http.get("/api/applications?search=%25shop%25")))
        .containsExactly("spa-shop", "web-shop");
    assertThat(names(http.get("/api/applications?search=shop"))).isEmpty();
    assertThat(names(http.get("/api/applications?search=ORDER-STATS")))
        .containsExactly("order-stats");
    assertThat(http.get("/api/applications?search.secret=x").status()).isEqualTo(400);
  }

  @Test
  void patchUpdatesFieldsAndMergesCustomData() throws Exception {
    Answer created = http.post("/api/applications", Map.of("name", "a", "type",
        "MachineToMachine", "description", "d", "customData", Map.of("managedBy", "op",
            "keep", 1)));
    String id = created.json().get("id").asText();

    Answer patched = http.patch("/api/applications/" + id, Map.of("name", "b",
        "customData", Map.of("managedBy", "other", "added", true)));
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.json().get("name").asText()).isEqualTo("b");
    assertThat(patched.json().get("description").asText()).isEqualTo("d");
    assertThat(patched.json().get("customData")).isEqualTo(SimHttp.MAPPER.readTree(
        "{\"managedBy\":\"other\",\"keep\":1,\"added\":true}"));

    Map<String, Object> clearDescription = new HashMap<>();
    clearDescription.put("description", null);
    assertThat(http.patch("/api/applications/" + id, clearDescription).json()
        .get("description").isNull()).isTrue();

    Answer customData = http.patch("/api/applications/" + id + "/custom-data",
        Map.of("x", "y"));
    assertThat(customData.status()).isEqualTo(200);
    assertThat(customData.json().get("x").asText()).isEqualTo("y");
    assertThat(customData.json().get("keep").asInt()).isEqualTo(1);

    assertThat(http.patch("/api/applications/" + id, Map.of("name", "")).status())
        .isEqualTo(400);
  }

  @Test
  void deleteRemovesTheAppItsSecretsAndItsRoleAssignments() {
    String resource = http.createResource("Shop", "https://shopping.api");
    String role = http.createM2mRole("reader", http.createScope(resource, "read"));
    String app = http.createApp("a", "MachineToMachine");
    String secret = http.defaultSecret(app);
    SimHttp.check(http.post("/api/applications/" + app + "/roles",
        Map.of("roleIds", List.of(role))), 201);

    assertThat(http.delete("/api/applications/" + app).status()).isEqualTo(204);
    assertThat(http.get("/api/applications/" + app).status()).isEqualTo(404);
    assertThat(http.get("/api/applications/" + app + "/secrets").status()).isEqualTo(404);
    // A real Logto 1.37.1 no longer knows the client: 400 invalid_client, not a wrong secret's 401.
    assertThat(http.token(app, secret, "https://shopping.api", "read").status()).isEqualTo(400);
    JsonNode roleItem = http.get("/api/roles?search.name=reader").json().get(0);
    assertThat(roleItem.get("applicationsCount").asInt()).isZero();
    assertThat(sim.applicationCount()).isZero();
  }

  @Test
  void legacySecretFieldIsTheInternalSecretNotACredential() {
    sim.setLegacyApplicationSecret(true);
    Answer created = http.post("/api/applications", Map.of("name", "a", "type",
        "MachineToMachine"));
    String internal = created.json().get("secret").asText();
    assertThat(internal).startsWith("internal_");
    assertThat(created.fieldNames().indexOf("secret")).isEqualTo(3);
    sim.setLegacyApplicationSecret(false);
    assertThat(http.get("/api/applications/" + created.json().get("id").asText()).json()
        .has("secret")).isFalse();
  }

  @Test
  void onlyConfidentialAppsGetADefaultSecret() {
    String spa = http.createApp("spa", "SPA");
    assertThat(http.get("/api/applications/" + spa + "/secrets").json()).isEmpty();
    String web = http.createApp("web", "Traditional");
    assertThat(http.get("/api/applications/" + web + "/secrets").json()).hasSize(1);
  }

  // Secrets

  @Test
  void secretsLifecycle() {
    String app = http.createApp("a", "MachineToMachine");
    String path = "/api/applications/" + app + "/secrets";
    long expiresAt = System.currentTimeMillis() + 3_600_000;

    Answer created = http.post(path, Map.of("name", "v2", "expiresAt", expiresAt));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.fieldNames()).containsExactly(
        "tenantId", "applicationId", "name", "value", "createdAt", "expiresAt");
    assertThat(created.json().get("expiresAt").asLong()).isEqualTo(expiresAt);
    assertThat(created.json().get("value").asText()).matches("[A-Za-z0-9]{32}");

    Answer duplicate = http.post(path, Map.of("name", "v2"));
    assertThat(duplicate.status()).isEqualTo(422);
    assertThat(duplicate.code()).isEqualTo("application.secret_name_exists");

    Answer past = http.post(path, Map.of("name", "old", "expiresAt", 1000));
    assertThat(past.status()).isEqualTo(400);
    assertThat(past.code()).isEqualTo("request.invalid_input");

    assertThat(http.post(path, Map.of()).code()).isEqualTo("guard.invalid_input");
    assertThat(http.post("/api/applications/nope/secrets", Map.of("name", "x")).status())
        .isEqualTo(404);

    assertThat(names(http.get(path))).containsExactly("Default secret", "v2");

    Answer renamed = http.patch(path + "/Default%20secret", Map.of("name", "v1"));
    assertThat(renamed.status()).isEqualTo(200);
    assertThat(renamed.json().get("name").asText()).isEqualTo("v1");
    assertThat(names(http.get(path))).containsExactly("v1", "v2");
    assertThat(http.patch(path + "/v1", Map.of("name", "v2")).status()).isEqualTo(422);
    assertThat(http.patch(path + "/missing", Map.of("name", "z")).status()).isEqualTo(404);

    assertThat(http.delete(path + "/v1").status()).isEqualTo(204);
    Answer again = http.delete(path + "/v1");
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.code()).isEqualTo("entity.not_found");
    assertThat(names(http.get(path))).containsExactly("v2");
  }

  // Roles of an application

  @Test
  void assignRolesIsIdempotentInV142() {
    String app = http.createApp("a", "MachineToMachine");
    String r1 = http.createM2mRole("r1");
    String r2 = http.createM2mRole("r2");
    String path = "/api/applications/" + app + "/roles";

    Answer first = http.post(path, Map.of("roleIds", List.of(r1)));
    assertThat(first.status()).isEqualTo(201);
    Answer second = http.post(path, Map.of("roleIds", List.of(r1, r2)));
    assertThat(second.status()).isEqualTo(201);
    assertThat(second.json().get("roleIds").toString()).isEqualTo("[\"" + r1 + "\",\"" + r2
        + "\"]");
    assertThat(second.json().get("addedRoleIds").toString()).isEqualTo("[\"" + r2 + "\"]");
    assertThat(names(http.get(path))).containsExactly("r1", "r2");
  }

  @Test
  void legacyRoleAssignmentAnswersCreatedAnd422OnAssignedRole() {
    sim.setLegacyRoleAssignment(true);
    String app = http.createApp("a", "MachineToMachine");
    String r1 = http.createM2mRole("r1");
    String path = "/api/applications/" + app + "/roles";

    Answer first = http.post(path, Map.of("roleIds", List.of(r1)));
    assertThat(first.status()).isEqualTo(201);
    assertThat(first.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(first.body()).isEqualTo("Created");

    Answer second = http.post(path, Map.of("roleIds", List.of(r1)));
    assertThat(second.status()).isEqualTo(422);
    assertThat(second.json().toString()).isEqualTo("{\"code\":\"application.role_exists\","
        + "\"message\":\"The role id " + r1 + " is already been added to this application.\"}");
  }

  @Test
  void assignRolesChecksRoleAndAppTypes() {
    String app = http.createApp("a", "MachineToMachine");
    String path = "/api/applications/" + app + "/roles";
    Answer unknown = http.post(path, Map.of("roleIds", List.of("nope")));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.code()).isEqualTo("entity.not_exists_with_id");

    Answer userRole = http.post("/api/roles", Map.of("name", "people", "description", "d"));
    assertThat(userRole.json().get("type").asText()).isEqualTo("User");
    Answer wrongRoleType = http.post(path,
        Map.of("roleIds", List.of(userRole.json().get("id").asText())));
    assertThat(wrongRoleType.status()).isEqualTo(422);
    assertThat(wrongRoleType.code()).isEqualTo("application.invalid_role_type");

    String web = http.createApp("web", "Traditional");
    Answer wrongAppType = http.post("/api/applications/" + web + "/roles",
        Map.of("roleIds", List.of(http.createM2mRole("r"))));
    assertThat(wrongAppType.status()).isEqualTo(422);
    assertThat(wrongAppType.code()).isEqualTo("application.invalid_type");
    assertThat(http.get("/api/applications/" + web + "/roles").code())
        .isEqualTo("application.invalid_type");

    assertThat(http.post(path, Map.of("roleIds", "r")).code()).isEqualTo("guard.invalid_input");
  }

  @Test
  void putReplacesAndDeleteRemovesOneRole() {
    String app = http.createApp("a", "MachineToMachine");
    String r1 = http.createM2mRole("r1");
    String r2 = http.createM2mRole("r2");
    String r3 = http.createM2mRole("r3");
    String path = "/api/applications/" + app + "/roles";
    SimHttp.check(http.post(path, Map.of("roleIds", List.of(r1, r2))), 201);

    Answer replaced = http.put(path, Map.of("roleIds", List.of(r2, r3)));
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(names(http.get(path))).containsExactly("r2", "r3");
    assertThat(http.put(path, Map.of("roleIds", List.of("nope"))).status()).isEqualTo(404);

    assertThat(http.delete(path + "/" + r2).status()).isEqualTo(204);
    Answer again = http.delete(path + "/" + r2);
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.code()).isEqualTo("entity.not_found");
    assertThat(names(http.get(path))).containsExactly("r3");
  }

  @Test
  void applicationRolesAreAlwaysPaginated() {
    String app = http.createApp("a", "MachineToMachine");
    List<String> roleIds = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      roleIds.add(http.createM2mRole(String.format("role-%02d", i)));
    }
    String path = "/api/applications/" + app + "/roles";
    SimHttp.check(http.post(path, Map.of("roleIds", roleIds)), 201);

    Answer firstPage = http.get(path);
    assertThat(firstPage.header("Total-Number")).isEqualTo("23");
    assertThat(firstPage.json()).hasSize(20);
    Answer secondPage = http.get(path + "?page=2");
    assertThat(names(secondPage)).containsExactly("role-20", "role-21", "role-22");
    assertThat(names(http.get(path + "?search=%25-1_"))).hasSize(10);
  }
}
