package io.logto.operator.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logto.operator.simulator.Model.App;
import io.logto.operator.simulator.Model.Role;
import java.util.Comparator;
import java.util.List;

/**
 * {@code /api/applications/{id}/roles} (applications/application-role.ts). Only MachineToMachine
 * applications have roles (else 422 {@code application.invalid_type}). POST follows v1.42 (201
 * {@code {roleIds, addedRoleIds}}, assigned roles ignored) unless the v1.37 behaviour is switched
 * on (201 "Created", 422 {@code application.role_exists}).
 */
final class ApplicationRoleRoutes {
  private static final List<String> SEARCH_FIELDS = List.of("id", "name", "description");

  private final ApiContext ctx;
  private final TenantState state;

  ApplicationRoleRoutes(ApiContext ctx) {
    this.ctx = ctx;
    this.state = ctx.state();
  }

  void register(Router router) {
    router.add("GET", "/api/applications/{id}/roles", this::list);
    router.add("POST", "/api/applications/{id}/roles", this::assign);
    router.add("PUT", "/api/applications/{id}/roles", this::replace);
    router.add("DELETE", "/api/applications/{id}/roles/{roleId}", this::remove);
  }

  private App m2mApp(String id) {
    App app = state.app(id);
    if (!app.isMachineToMachine()) {
      throw Errors.of(422, "application.invalid_type",
          "Only machine to machine applications can have associated roles.");
    }
    return app;
  }

  /** Paginated (page size 20 when not given), searchable; MachineToMachine roles only. */
  private Reply list(Request request) {
    Pagination pagination = Pagination.parse(request, false);
    App app = m2mApp(request.param("id"));
    SearchFilter search = SearchFilter.parse(request, SEARCH_FIELDS);
    List<Role> roles = state.appRoles.rights(app.id).stream().map(state.roles::get)
        .filter(Role::isMachineToMachine)
        .filter(r -> search.test(r, SEARCH_FIELDS, RoleRoutes::field))
        .sorted(Comparator.comparingLong(r -> r.seq)).toList();
    return ctx.page(request, pagination, roles, ctx.views()::role);
  }

  private Reply assign(Request request) {
    List<String> roleIds = Guard.of(request).stringArray("roleIds", true, false);
    App app = m2mApp(request.param("id"));
    if (ctx.compatibility().legacyRoleAssignment()) {
      for (String roleId : roleIds) {
        if (state.appRoles.contains(app.id, roleId)) {
          throw Errors.of(422, "application.role_exists",
              "The role id " + roleId + " is already been added to this application.");
        }
      }
      insert(app, roleIds);
      return Reply.statusText(201, "Created");
    }
    List<String> toAdd = roleIds.stream().filter(id -> !state.appRoles.contains(app.id, id))
        .toList();
    insert(app, toAdd);
    ObjectNode body = Json.object();
    body.set("roleIds", Json.strings(roleIds));
    body.set("addedRoleIds", Json.strings(toAdd));
    return Reply.json(201, body);
  }

  /** Checks role types (422) then existence (404), as Logto, then assigns. */
  private void insert(App app, List<String> roleIds) {
    for (String roleId : roleIds) {
      Role role = state.roles.get(roleId);
      if (role != null && !role.isMachineToMachine()) {
        throw Errors.of(422, "application.invalid_role_type",
            "Can not assign user type role to machine to machine application.");
      }
    }
    roleIds.forEach(state::role);
    roleIds.forEach(roleId -> state.appRoles.add(app.id, roleId));
  }

  /** Replaces the set; as in Logto, only existence is checked (404), not role types. */
  private Reply replace(Request request) {
    List<String> roleIds = Guard.of(request).stringArray("roleIds", true, false);
    App app = m2mApp(request.param("id"));
    roleIds.stream().filter(id -> !state.appRoles.contains(app.id, id)).forEach(state::role);
    state.appRoles.rights(app.id).stream().filter(id -> !roleIds.contains(id))
        .forEach(id -> state.appRoles.remove(app.id, id));
    roleIds.forEach(id -> state.appRoles.add(app.id, id));
    return Reply.statusText(200, "OK");
  }

  private Reply remove(Request request) {
    App app = m2mApp(request.param("id"));
    if (!state.appRoles.remove(app.id, request.param("roleId"))) {
      throw Errors.notFound();
    }
    return Reply.noContent();
  }
}
