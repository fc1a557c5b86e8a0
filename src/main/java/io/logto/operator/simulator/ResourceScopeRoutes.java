package io.logto.operator.simulator;

import io.logto.operator.simulator.Model.Resource;
import io.logto.operator.simulator.Model.Scope;
import java.util.List;
import java.util.regex.Pattern;

/** {@code /api/resources/{id}/scopes} (resource.scope.ts). */
final class ResourceScopeRoutes {
  private static final List<String> SEARCH_FIELDS = List.of("id", "name", "description");
  private static final Pattern WHITESPACE = Pattern.compile("\\s");

  private final ApiContext ctx;
  private final TenantState state;
  private final ResourceRoutes resources;

  ResourceScopeRoutes(ApiContext ctx, ResourceRoutes resources) {
    this.ctx = ctx;
    this.state = ctx.state();
    this.resources = resources;
  }

  void register(Router router) {
    router.add("GET", "/api/resources/{id}/scopes", this::list);
    router.add("POST", "/api/resources/{id}/scopes", this::create);
    router.add("PATCH", "/api/resources/{id}/scopes/{scopeId}", this::patch);
    router.add("DELETE", "/api/resources/{id}/scopes/{scopeId}", this::delete);
  }

  /**
   * Always paginated (page size 20 when not given), as Logto's current source; search on id, name,
   * description. As in Logto, an unknown resource is an empty list, not 404.
   */
  private Reply list(Request request) {
    Pagination pagination = Pagination.parse(request, false);
    SearchFilter search = SearchFilter.parse(request, SEARCH_FIELDS);
    List<Scope> scopes = state.scopesOf(request.param("id")).stream()
        .filter(s -> search.test(s, SEARCH_FIELDS, RoleScopeRoutes::field)).toList();
    return ctx.page(request, pagination, scopes, ctx.views()::scope);
  }

  /**
   * {@code {name, description?}} answers 201. Checks in Logto's order: whitespace in the name
   * (400), resource (404), Management API (400), name used in this resource (422).
   */
  private Reply create(Request request) {
    Guard body = Guard.of(request);
    String name = body.requiredString("name", 1, 256);
    String description = body.nullableString("description", 0, Integer.MAX_VALUE);
    checkName(name);
    Resource resource = resources.modifiable(request.param("id"));
    if (nameTaken(resource.id, name, null)) {
      throw nameExists(name);
    }
    Scope scope = new Scope(Ids.id(), resource.id, name, description, state.now(),
        state.nextSeq());
    state.scopes.put(scope.id, scope);
    return Reply.json(201, ctx.views().scope(scope));
  }

  /** {@code {name?, description?}}; like Logto, the scope is found by its id alone. */
  private Reply patch(Request request) {
    Guard body = Guard.of(request);
    String name = body.optionalString("name", 1, 256);
    String description = body.nullableString("description", 0, Integer.MAX_VALUE);
    Resource resource = resources.modifiable(request.param("id"));
    String scopeId = request.param("scopeId");
    if (name != null) {
      checkName(name);
      if (nameTaken(resource.id, name, scopeId)) {
        throw nameExists(name);
      }
    }
    Scope scope = state.scopes.get(scopeId);
    if (scope == null) {
      throw Errors.notExists("scope");
    }
    if (name != null) {
      scope.name = name;
    }
    if (body.has("description")) {
      scope.description = description;
    }
    return Reply.json(200, ctx.views().scope(scope));
  }

  /** Deletes the scope and its links to roles. */
  private Reply delete(Request request) {
    resources.modifiable(request.param("id"));
    String scopeId = request.param("scopeId");
    if (!state.scopes.containsKey(scopeId)) {
      throw Errors.notFound();
    }
    state.deleteScope(scopeId);
    return Reply.noContent();
  }

  private static void checkName(String name) {
    if (WHITESPACE.matcher(name).find()) {
      throw Errors.of(400, "scope.name_with_space",
          "The name of the scope cannot contain any spaces.");
    }
  }

  private boolean nameTaken(String resourceId, String name, String exceptScopeId) {
    return state.scopesOf(resourceId).stream()
        .anyMatch(s -> s.name.equals(name) && !s.id.equals(exceptScopeId));
  }

  private static ApiError nameExists(String name) {
    return Errors.of(422, "scope.name_exists", "The scope name " + name + " is already in use");
  }
}
