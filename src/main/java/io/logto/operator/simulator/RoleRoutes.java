package io.logto.operator.simulator;

import io.logto.operator.simulator.Model.Role;
import java.util.List;
import java.util.function.Function;

/** {@code /api/roles} and {@code /api/roles/{id}} (role.ts). */
final class RoleRoutes {
  static final List<String> TYPES = List.of("User", "MachineToMachine");
  private static final List<String> SEARCH_FIELDS = List.of("id", "name", "description");

  private final ApiContext ctx;
  private final TenantState state;
  private final RoleScopeRoutes roleScopes;

  RoleRoutes(ApiContext ctx, RoleScopeRoutes roleScopes) {
    this.ctx = ctx;
    this.state = ctx.state();
    this.roleScopes = roleScopes;
  }

  void register(Router router) {
    router.add("GET", "/api/roles", this::list);
    router.add("POST", "/api/roles", this::create);
    router.add("GET", "/api/roles/{id}", this::get);
    router.add("PATCH", "/api/roles/{id}", this::patch);
    router.add("DELETE", "/api/roles/{id}", this::delete);
  }

  static Function<Role, String> field(String name) {
    return switch (name) {
      case "id" -> r -> r.id;
      case "name" -> r -> r.name;
      default -> r -> r.description;
    };
  }

  /**
   * Always paginated (page size 20 when not given, as Logto), {@code type}, {@code
   * excludeApplicationId}, search on id, name, description; items carry usersCount,
   * featuredUsers, applicationsCount, featuredApplications.
   */
  private Reply list(Request request) {
    Pagination pagination = Pagination.parse(request, false);
    String type = request.queryFirst("type");
    if (type != null && !TYPES.contains(type)) {
      throw Errors.invalidInput("query", "Error in key path \"type\": (invalid_enum_value) "
          + "Invalid enum value. Expected 'User' | 'MachineToMachine', received '" + type + "'");
    }
    String excludeAppId = request.queryFirst("excludeApplicationId");
    List<String> excluded = excludeAppId == null ? List.of() : state.appRoles.rights(excludeAppId);
    SearchFilter search = SearchFilter.parse(request, SEARCH_FIELDS);
    List<Role> roles = state.roles.values().stream()
        .filter(r -> type == null || r.type.equals(type))
        .filter(r -> !excluded.contains(r.id))
        .filter(r -> search.test(r, SEARCH_FIELDS, RoleRoutes::field))
        .toList();
    return ctx.page(request, pagination, roles, r -> ctx.views().roleWithStats(r, state));
  }

  /**
   * {@code {name, description, type?, isDefault?, scopeIds?}} answers 200. As in Logto, the role
   * is created before the scopes are checked: an unknown scope id answers 404 but leaves the role.
   */
  private Reply create(Request request) {
    Guard body = Guard.of(request);
    String name = body.requiredString("name", 1, 128);
    String description = body.requiredString("description", 1, 128);
    String type = body.optionalEnum("type", TYPES);
    Boolean isDefault = body.optionalBoolean("isDefault");
    List<String> scopeIds = body.stringArray("scopeIds", false, false);
    if (state.roleByName(name) != null) {
      throw nameInUse(name);
    }
    Role role = new Role(Ids.id(), name, description, type == null ? "User" : type,
        Boolean.TRUE.equals(isDefault), state.nextSeq());
    state.roles.put(role.id, role);
    if (scopeIds != null) {
      roleScopes.validateAssignment(role, scopeIds, false);
      scopeIds.forEach(scopeId -> state.roleScopes.add(role.id, scopeId));
    }
    return Reply.json(200, ctx.views().role(role));
  }

  private Reply get(Request request) {
    return Reply.json(200, ctx.views().role(state.role(request.param("id"))));
  }

  private Reply patch(Request request) {
    Guard body = Guard.of(request);
    String name = body.optionalString("name", 1, 128);
    String description = body.optionalString("description", 1, 128);
    Boolean isDefault = body.optionalBoolean("isDefault");
    Role role = state.role(request.param("id"));
    if (name != null) {
      Role other = state.roleByName(name);
      if (other != null && other != role) {
        throw nameInUse(name);
      }
      role.name = name;
    }
    if (description != null) {
      role.description = description;
    }
    if (isDefault != null) {
      role.isDefault = isDefault;
    }
    return Reply.json(200, ctx.views().role(role));
  }

  /** Deletes the role with its scope links and application assignments. */
  private Reply delete(Request request) {
    Role role = state.role(request.param("id"));
    state.deleteRole(role.id);
    return Reply.noContent();
  }

  private static ApiError nameInUse(String name) {
    return Errors.of(422, "role.name_in_use", "This role name " + name + " is already in use");
  }
}
