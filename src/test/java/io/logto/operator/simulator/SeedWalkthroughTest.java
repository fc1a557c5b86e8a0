package io.logto.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.logto.operator.simulator.SimHttp.Answer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The walk-through recorded against a real Logto (samples-v1.37.1.json), with the v1.42 answers
 * where the versions differ: same paths, statuses, field names and values.
 */
class SeedWalkthroughTest extends SimulatorTestBase {
  private static final String JSON = "application/json; charset=utf-8";

  @Test
  void walkThroughMatchesTheSamples() {
    // operator token (client credentials, Basic auth)
    Answer token = http.token(sim.bootstrapAppId(), sim.bootstrapAppSecret(),
        "grant_type=client_credentials&resource=https://default.logto.app/api&scope=all");
    assertThat(token.status()).isEqualTo(200);
    assertThat(token.header("Content-Type")).isEqualTo(JSON);
    assertThat(token.fieldNames())
        .containsExactly("access_token", "expires_in", "token_type", "scope");
    assertThat(token.json().get("expires_in").asInt()).isEqualTo(3600);
    assertThat(token.json().get("token_type").asText()).isEqualTo("Bearer");
    assertThat(token.json().get("scope").asText()).isEqualTo("all");

    // list applications: only the bootstrap app, unpaginated
    Answer apps = http.get("/api/applications");
    assertThat(apps.status()).isEqualTo(200);
    assertThat(apps.header("Total-Number")).isNull();
    assertThat(apps.json()).hasSize(1);
    JsonNode bootstrap = apps.json().get(0);
    assertThat(bootstrap.get("id").asText()).isEqualTo(sim.bootstrapAppId());
    assertThat(bootstrap.get("name").asText()).isEqualTo("operator bootstrap");
    assertThat(bootstrap.has("secret")).isFalse();

    // create API resource
    Answer resource = http.post("/api/resources",
        Map.of("name", "Online Shopping", "indicator", "https://shopping.api"));
    assertThat(resource.status()).isEqualTo(201);
    assertThat(resource.header("Content-Type")).isEqualTo(JSON);
    assertThat(resource.fieldNames()).containsExactly(
        "tenantId", "id", "name", "indicator", "isDefault", "accessTokenTtl", "scopes");
    JsonNode r = resource.json();
    assertThat(r.get("tenantId").asText()).isEqualTo("default");
    assertThat(r.get("id").asText()).matches("[a-z0-9]{21}");
    assertThat(r.get("name").asText()).isEqualTo("Online Shopping");
    assertThat(r.get("indicator").asText()).isEqualTo("https://shopping.api");
    assertThat(r.get("isDefault").asBoolean()).isFalse();
    assertThat(r.get("accessTokenTtl").asInt()).isEqualTo(3600);
    assertThat(r.get("scopes")).isEmpty();
    String resourceId = r.get("id").asText();

    // create scopes
    Answer read = http.post("/api/resources/" + resourceId + "/scopes",
        Map.of("name", "read:products", "description", "Read products"));
    assertThat(read.status()).isEqualTo(201);
    assertThat(read.fieldNames()).containsExactly(
        "tenantId", "id", "resourceId", "name", "description", "createdAt");
    assertThat(read.json().get("resourceId").asText()).isEqualTo(resourceId);
    assertThat(read.json().get("name").asText()).isEqualTo("read:products");
    assertThat(read.json().get("description").asText()).isEqualTo("Read products");
    assertThat(read.json().get("createdAt").isIntegralNumber()).isTrue();
    String readId = read.json().get("id").asText();
    String writeId = http.createScope(resourceId, "write:products");

    // create M2M role with both scopes
    Answer role = http.post("/api/roles", Map.of("name", "shopping-reader",
        "description", "Reads products", "type", "MachineToMachine",
        "scopeIds", List.of(readId, writeId)));
    assertThat(role.status()).isEqualTo(200);
    assertThat(role.fieldNames())
        .containsExactly("tenantId", "id", "name", "description", "type", "isDefault");
    assertThat(role.json().get("type").asText()).isEqualTo("MachineToMachine");
    assertThat(role.json().get("isDefault").asBoolean()).isFalse();
    String roleId = role.json().get("id").asText();

    // create M2M application (v1.42: no secret field)
    Answer app = http.post("/api/applications", Map.of("name", "order-stats",
        "type", "MachineToMachine", "description", "Daily order statistics",
        "customData", Map.of("managedBy", "example")));
    assertThat(app.status()).isEqualTo(200);
    assertThat(app.fieldNames()).containsExactly("tenantId", "id", "name", "description",
        "type", "oidcClientMetadata", "customClientMetadata", "protectedAppMetadata",
        "customData", "isThirdParty", "createdAt");
    JsonNode a = app.json();
    assertThat(a.get("oidcClientMetadata").toString())
        .isEqualTo("{\"redirectUris\":[],\"postLogoutRedirectUris\":[]}");
    assertThat(a.get("customClientMetadata").toString()).isEqualTo("{}");
    assertThat(a.get("protectedAppMetadata").isNull()).isTrue();
    assertThat(a.get("customData").toString()).isEqualTo("{\"managedBy\":\"example\"}");
    assertThat(a.get("isThirdParty").asBoolean()).isFalse();
    String appId = a.get("id").asText();

    // list application secrets: the Default secret is the credential
    Answer secrets = http.get("/api/applications/" + appId + "/secrets");
    assertThat(secrets.status()).isEqualTo(200);
    assertThat(secrets.json()).hasSize(1);
    JsonNode secret = secrets.json().get(0);
    assertThat(fieldNames(secret)).containsExactly(
        "tenantId", "applicationId", "name", "value", "createdAt", "expiresAt");
    assertThat(secret.get("applicationId").asText()).isEqualTo(appId);
    assertThat(secret.get("name").asText()).isEqualTo("Default secret");
    assertThat(secret.get("value").asText()).matches("[A-Za-z0-9]{32}");
    assertThat(secret.get("expiresAt").isNull()).isTrue();
    String appSecret = secret.get("value").asText();

    // assign the role (v1.42 answer)
    Answer assign = http.post("/api/applications/" + appId + "/roles",
        Map.of("roleIds", List.of(roleId)));
    assertThat(assign.status()).isEqualTo(201);
    assertThat(assign.json().toString())
        .isEqualTo("{\"roleIds\":[\"" + roleId + "\"],\"addedRoleIds\":[\"" + roleId + "\"]}");

    // list app roles, paginated
    Answer appRoles = http.get("/api/applications/" + appId + "/roles?page=1&page_size=20");
    assertThat(appRoles.status()).isEqualTo(200);
    assertThat(appRoles.header("Total-Number")).isEqualTo("1");
    assertThat(appRoles.headerValues("Link")).contains("<" + sim.endpoint() + "/applications/"
        + appId + "/roles?page=1&page_size=20>; rel=\"first\"");
    assertThat(appRoles.json().get(0).get("name").asText()).isEqualTo("shopping-reader");

    // list role scopes: each with its resource
    Answer roleScopes = http.get("/api/roles/" + roleId + "/scopes");
    assertThat(roleScopes.status()).isEqualTo(200);
    assertThat(roleScopes.json()).hasSize(2);
    JsonNode first = roleScopes.json().get(0);
    assertThat(first.get("name").asText()).isEqualTo("read:products");
    assertThat(fieldNames(first.get("resource"))).containsExactly(
        "tenantId", "id", "name", "indicator", "isDefault", "accessTokenTtl");
    assertThat(first.get("resource").get("indicator").asText()).isEqualTo("https://shopping.api");

    // list M2M roles, paginated, with featured applications
    Answer roles = http.get("/api/roles?type=MachineToMachine&page=1&page_size=2");
    assertThat(roles.header("Total-Number")).isEqualTo("2");
    JsonNode builtIn = roles.json().get(0);
    assertThat(builtIn.get("name").asText()).isEqualTo("Logto Management API access");
    assertThat(builtIn.get("description").asText())
        .isEqualTo("This default role grants access to the Logto management API.");
    assertThat(builtIn.get("usersCount").asInt()).isZero();
    assertThat(builtIn.get("featuredUsers")).isEmpty();
    assertThat(builtIn.get("applicationsCount").asInt()).isEqualTo(1);
    assertThat(builtIn.get("featuredApplications").toString()).isEqualTo("[{\"id\":\""
        + sim.bootstrapAppId() + "\",\"name\":\"operator bootstrap\","
        + "\"type\":\"MachineToMachine\"}]");
    assertThat(roles.json().get(1).get("featuredApplications").get(0).get("id").asText())
        .isEqualTo(appId);

    // the new app's token for the shopping API holds the requested, granted scope
    Answer appToken = http.token(appId, appSecret, "https://shopping.api", "read:products");
    assertThat(appToken.status()).isEqualTo(200);
    assertThat(appToken.json().get("scope").asText()).isEqualTo("read:products");
    assertThat(appToken.json().get("expires_in").asInt()).isEqualTo(3600);

    // and it is not a Management API token
    Answer denied = http.send("GET", "/api/applications", null, null,
        "Bearer " + appToken.json().get("access_token").asText());
    assertThat(denied.status()).isEqualTo(401);
    assertThat(denied.code()).isEqualTo("auth.unauthorized");

    assertThat(sim.applicationCount()).isEqualTo(1);
    assertThat(sim.roleCount()).isEqualTo(1);
    assertThat(sim.resourceCount()).isEqualTo(1);
  }

  @Test
  void freshTenantHoldsTheManagementApiAndItsRole() {
    Answer resources = http.get("/api/resources?includeScopes=true");
    assertThat(resources.json()).hasSize(1);
    JsonNode api = resources.json().get(0);
    assertThat(api.get("id").asText()).isEqualTo("management-api");
    assertThat(api.get("name").asText()).isEqualTo("Logto Management API");
    assertThat(api.get("indicator").asText()).isEqualTo(LogtoSimulator.MANAGEMENT_API_RESOURCE);
    JsonNode all = api.get("scopes").get(0);
    assertThat(all.get("id").asText()).isEqualTo("management-api-all");
    assertThat(all.get("name").asText()).isEqualTo("all");
    assertThat(all.get("resourceId").asText()).isEqualTo("management-api");

    Answer appRoles = http.get("/api/applications/" + sim.bootstrapAppId() + "/roles");
    assertThat(appRoles.json()).hasSize(1);
    assertThat(appRoles.json().get(0).get("name").asText())
        .isEqualTo("Logto Management API access");
    assertThat(http.get("/api/applications/" + sim.bootstrapAppId() + "/secrets").json()
        .get(0).get("value").asText()).isEqualTo(sim.bootstrapAppSecret());

    assertThat(sim.applicationCount()).isZero();
    assertThat(sim.roleCount()).isZero();
    assertThat(sim.resourceCount()).isZero();
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
