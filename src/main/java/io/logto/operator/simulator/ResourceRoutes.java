package io.logto.operator.simulator;

import io.logto.operator.simulator.Model.Resource;
import io.logto.operator.simulator.Model.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code /api/resources} and {@code /api/resources/{id}} (resource.ts). */
final class ResourceRoutes {
  private static final List<String> YES = List.of("1", "true", "y", "yes", "yep", "yeah");

  private final ApiContext ctx;
  private final TenantState state;

  ResourceRoutes(ApiContext ctx) {
    this.ctx = ctx;
    this.state = ctx.state();
  }

  void register(Router router) {
    router.add("GET", "/api/resources", this::list);
    router.add("POST", "/api/resources", this::create);
    router.add("GET", "/api/resources/{id}", this::get);
    router.add("PATCH", "/api/resources/{id}", this::patch);
    router.add("PATCH", "/api/resources/{id}/is-default", this::setDefault);
    router.add("DELETE", "/api/resources/{id}", this::delete);
  }

  /** Optional pagination; {@code includeScopes=true} adds each resource's scopes. */
  private Reply list(Request request) {
    Pagination pagination = Pagination.parse(request, true);
    String includeScopes = request.queryFirst("includeScopes");
    boolean withScopes = includeScopes != null
        && YES.contains(includeScopes.toLowerCase(Locale.ROOT));
    List<Resource> resources = new ArrayList<>(state.resources.values());
    Map<String, List<Scope>> scopes = withScopes ? state.scopesByResource() : Map.of();
    return ctx.page(request, pagination, resources, r -> withScopes
        ? ctx.views().resourceWithScopes(r, scopes.getOrDefault(r.id, List.of()))
        : ctx.views().resource(r));
  }

  /**
   * {@code {name, indicator, accessTokenTtl?}} answers 201 with {@code scopes: []}; a used
   * indicator is 422. As Logto, the indicator is not checked to be a URI.
   */
  private Reply create(Request request) {
    Guard body = Guard.of(request);
    String name = body.requiredString("name", 1, Integer.MAX_VALUE);
    String indicator = body.requiredString("indicator", 1, Integer.MAX_VALUE);
    Long ttl = body.optionalLong("accessTokenTtl", false);
    if (state.resourceByIndicator(indicator) != null) {
      throw Errors.of(422, "resource.resource_identifier_in_use",
          "The API identifier " + indicator + " is already in use");
    }
    Resource resource = new Resource(Ids.id(), name, indicator, ttl == null ? 3600 : ttl,
        state.nextSeq());
    state.resources.put(resource.id, resource);
    return Reply.json(201, ctx.views().resourceWithScopes(resource, List.of()));
  }

  private Reply get(Request request) {
    return Reply.json(200, ctx.views().resource(state.resource(request.param("id"))));
  }

  /** {@code {name?, accessTokenTtl?}}; the indicator never changes. */
  private Reply patch(Request request) {
    Guard body = Guard.of(request);
    String name = body.optionalString("name", 1, Integer.MAX_VALUE);
    Long ttl = body.optionalLong("accessTokenTtl", false);
    Resource resource = modifiable(request.param("id"));
    if (name != null) {
      resource.name = name;
    }
    if (ttl != null) {
      resource.accessTokenTtl = ttl;
    }
    return Reply.json(200, ctx.views().resource(resource));
  }

  /** {@code {isDefault}}: at most one default resource (used when a token asks for none). */
  private Reply setDefault(Request request) {
    Guard body = Guard.of(request);
    Boolean isDefault = body.optionalBoolean("isDefault");
    if (isDefault == null) {
      throw Guard.fail("isDefault", "invalid_type", "Expected boolean but received undefined.");
    }
    Resource resource = state.resource(request.param("id"));
    if (isDefault) {
      state.resources.values().forEach(r -> r.isDefault = false);
    }
    resource.isDefault = isDefault;
    return Reply.json(200, ctx.views().resource(resource));
  }

  /** Deletes the resource, its scopes and their links to roles. */
  private Reply delete(Request request) {
    Resource resource = state.resource(request.param("id"));
    if (TenantState.isManagementApi(resource)) {
      throw Errors.of(400, "resource.cannot_delete_management_api",
          "Cannot delete Logto management API.");
    }
    state.deleteResource(resource.id);
    return Reply.noContent();
  }

  /** The resource, unless it is the Management API (400 cannot_modify_management_api). */
  Resource modifiable(String id) {
    Resource resource = state.resource(id);
    if (TenantState.isManagementApi(resource)) {
      throw Errors.of(400, "resource.cannot_modify_management_api",
          "Cannot modify Logto management API.");
    }
    return resource;
  }
}
