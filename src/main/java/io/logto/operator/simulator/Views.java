package io.logto.operator.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logto.operator.simulator.Model.App;
import io.logto.operator.simulator.Model.Resource;
import io.logto.operator.simulator.Model.Role;
import io.logto.operator.simulator.Model.Scope;
import io.logto.operator.simulator.Model.Secret;
import java.util.List;

/**
 * Renders entities as Logto's JSON, field names and order as in the recorded samples. Callers hold
 * the state's monitor.
 */
final class Views {
  private final Compatibility compatibility;

  Views(Compatibility compatibility) {
    this.compatibility = compatibility;
  }

  /** An application; v1.42 omits the internal secret, v1.37 answers it as {@code secret}. */
  ObjectNode app(App app) {
    ObjectNode node = Json.object();
    node.put("tenantId", TenantState.TENANT_ID);
    node.put("id", app.id);
    node.put("name", app.name);
    if (compatibility.legacyApplicationSecret()) {
      node.put("secret", app.internalSecret);
    }
    node.put("description", app.description);
    node.put("type", app.type);
    node.set("oidcClientMetadata", app.oidcClientMetadata.deepCopy());
    node.set("customClientMetadata", app.customClientMetadata.deepCopy());
    node.putNull("protectedAppMetadata");
    node.set("customData", app.customData.deepCopy());
    node.put("isThirdParty", app.isThirdParty);
    node.put("createdAt", app.createdAt);
    return node;
  }

  /** {@code GET /api/applications/{id}} adds {@code isAdmin}. */
  ObjectNode appDetail(App app) {
    return app(app).put("isAdmin", false);
  }

  ObjectNode secret(App app, Secret secret) {
    ObjectNode node = Json.object();
    node.put("tenantId", TenantState.TENANT_ID);
    node.put("applicationId", app.id);
    node.put("name", secret.name);
    node.put("value", secret.value);
    node.put("createdAt", secret.createdAt);
    if (secret.expiresAt == null) {
      node.putNull("expiresAt");
    } else {
      node.put("expiresAt", secret.expiresAt);
    }
    return node;
  }

  ObjectNode role(Role role) {
    ObjectNode node = Json.object();
    node.put("tenantId", TenantState.TENANT_ID);
    node.put("id", role.id);
    node.put("name", role.name);
    node.put("description", role.description);
    node.put("type", role.type);
    node.put("isDefault", role.isDefault);
    return node;
  }

  /** A {@code GET /api/roles} item: the role with user and application counts. */
  ObjectNode roleWithStats(Role role, TenantState state) {
    ObjectNode node = role(role);
    List<String> appIds = state.appRoles.lefts(role.id);
    node.put("usersCount", 0);
    node.set("featuredUsers", Json.array());
    node.put("applicationsCount", appIds.size());
    ArrayNode featured = Json.array();
    appIds.stream().limit(3).map(state.apps::get).forEach(app -> featured.addObject()
        .put("id", app.id).put("name", app.name).put("type", app.type));
    node.set("featuredApplications", featured);
    return node;
  }

  ObjectNode resource(Resource resource) {
    ObjectNode node = Json.object();
    node.put("tenantId", TenantState.TENANT_ID);
    node.put("id", resource.id);
    node.put("name", resource.name);
    node.put("indicator", resource.indicator);
    node.put("isDefault", resource.isDefault);
    node.put("accessTokenTtl", resource.accessTokenTtl);
    return node;
  }

  ObjectNode resourceWithScopes(Resource resource, List<Scope> scopes) {
    ObjectNode node = resource(resource);
    ArrayNode array = node.putArray("scopes");
    scopes.forEach(s -> array.add(scope(s)));
    return node;
  }

  ObjectNode scope(Scope scope) {
    ObjectNode node = Json.object();
    node.put("tenantId", TenantState.TENANT_ID);
    node.put("id", scope.id);
    node.put("resourceId", scope.resourceId);
    node.put("name", scope.name);
    node.put("description", scope.description);
    node.put("createdAt", scope.createdAt);
    return node;
  }

  /** A {@code GET /api/roles/{id}/scopes} item: the scope with its resource nested. */
  ObjectNode scopeWithResource(Scope scope, Resource resource) {
    ObjectNode node = scope(scope);
    node.set("resource", resource(resource));
    return node;
  }
}
