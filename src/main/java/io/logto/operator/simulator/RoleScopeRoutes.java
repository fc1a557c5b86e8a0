package io.logto.operator.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.logto.operator.simulator.Model.Resource;
import io.logto.operator.simulator.Model.Role;
import io.logto.operator.simulator.Model.Scope;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/** {@code /api/roles/{id}/scopes} (role.scope.ts, libraries/role-scope.ts). */
final class RoleScopeRoutes {
  private static final List<String> SEARCH_FIELDS = List.of("id", "name", "description");

  private final ApiContext ctx;
  private final TenantState state;

  RoleScopeRoutes(ApiContext ctx) {
    this.ctx = ctx;
    this.state = ctx.state();
  }

  void register(Router router) {
    router.add("GET", "/api/roles/{id}/scopes", this::list);
    router.add("POST", "/api/roles/{id}/scopes", this::add);
    router.add("DELETE", "/api/roles/{id}/scopes/{scopeId}", this::remove);
  }

  static Function<Scope, String> field(String name) {
    return switch (name) {
      case "id" -> s -> s.id;
      case "name" -> s -> s.name;
      default -> s -> s.description;
    };
  }

  /** Optional pagination; items carry their {@code resource}. */
  private Reply list(Request request) {
    Pagination pagination = Pagination.parse(request, true);
    Role role = state.role(request.param("id"));
    SearchFilter search = SearchFilter.parse(request, SEARCH_FIELDS);
    List<Scope> scopes = state.roleScopes.rights(role.id).stream().map(state.scopes::get)
        .filter(s -> search.test(s, SEARCH_FIELDS, RoleScopeRoutes::field))
        .sorted(Comparator.comparingLong(s -> s.seq)).toList();
    return ctx.page(request, pagination, scopes,
        s -> ctx.views().scopeWithResource(s, state.resources.get(s.resourceId)));
  }

  /** {@code {scopeIds}} (non-empty) answers 201 with all the role's scopes. */
  private Reply add(Request request) {
    List<String> scopeIds = Guard.of(request).stringArray("scopeIds", true, true);
    Role role = state.role(request.param("id"));
    validateAssignment(role, scopeIds, true);
    scopeIds.forEach(id -> state.roleScopes.add(role.id, id));
    ArrayNode array = Json.array();
    state.roleScopes.rights(role.id).stream().map(state.scopes::get)
        .sorted(Comparator.comparingLong(s -> s.seq)).forEach(s -> array.add(ctx.views().scope(s)));
    return Reply.json(201, array);
  }

  /**
   * Logto's validateRoleScopeAssignment: 422 {@code role.scope_exists} for an assigned scope
   * (unless the role is new), 404 for an unknown scope, 400 for a Management API scope on a User
   * role.
   */
  void validateAssignment(Role role, List<String> scopeIds, boolean checkExisting) {
    if (checkExisting) {
      for (String scopeId : scopeIds) {
        if (state.roleScopes.contains(role.id, scopeId)) {
          throw Errors.of(422, "role.scope_exists",
              "The scope id " + scopeId + " has already been added to this role");
        }
      }
    }
    for (String scopeId : scopeIds) {
      Scope scope = state.scope(scopeId);
      Resource resource = state.resources.get(scope.resourceId);
      if (role.type.equals("User") && resource != null && TenantState.isManagementApi(resource)) {
        throw Errors.of(400, "role.management_api_scopes_not_assignable_to_user_role",
            "Cannot assign management API scopes to a user role.");
      }
    }
  }

  /** As in Logto, the role itself is not looked up: anything not linked is 404 not_found. */
  private Reply remove(Request request) {
    if (!state.roleScopes.remove(request.param("id"), request.param("scopeId"))) {
      throw Errors.notFound();
    }
    return Reply.noContent();
  }
}
