package io.logto.operator.simulator;

import io.logto.operator.simulator.Model.App;
import io.logto.operator.simulator.Model.Role;
import java.util.Comparator;
import java.util.List;

/** {@code /api/roles/{id}/applications} (role.application.ts). */
final class RoleApplicationRoutes {
  private static final List<String> SEARCH_FIELDS = List.of("id", "name", "description");

  private final ApiContext ctx;
  private final TenantState state;

  RoleApplicationRoutes(ApiContext ctx) {
    this.ctx = ctx;
    this.state = ctx.state();
  }

  void register(Router router) {
    router.add("GET", "/api/roles/{id}/applications", this::list);
    router.add("POST", "/api/roles/{id}/applications", this::add);
    router.add("DELETE", "/api/roles/{id}/applications/{applicationId}", this::remove);
  }

  /** Always paginated; MachineToMachine applications only; search on id, name, description. */
  private Reply list(Request request) {
    Pagination pagination = Pagination.parse(request, false);
    Role role = state.role(request.param("id"));
    SearchFilter search = SearchFilter.parse(request, SEARCH_FIELDS);
    List<App> apps = state.appRoles.lefts(role.id).stream().map(state.apps::get)
        .filter(App::isMachineToMachine)
        .filter(a -> search.test(a, SEARCH_FIELDS, ApplicationRoutes::field))
        .sorted(Comparator.comparingLong(a -> a.seq)).toList();
    return ctx.page(request, pagination, apps, ctx.views()::app);
  }

  /**
   * {@code {applicationIds}} (non-empty) answers 201 "Created"; any already assigned is 422 {@code
   * role.application_exists}; an unknown application 404. As in Logto, neither the role's nor the
   * applications' types are checked here.
   */
  private Reply add(Request request) {
    List<String> appIds = Guard.of(request).stringArray("applicationIds", true, true);
    Role role = state.role(request.param("id"));
    for (String appId : appIds) {
      if (state.appRoles.contains(appId, role.id)) {
        throw Errors.of(422, "role.application_exists",
            "The application id " + appId + " is already been added to this role");
      }
    }
    appIds.forEach(state::app);
    appIds.forEach(appId -> state.appRoles.add(appId, role.id));
    return Reply.statusText(201, "Created");
  }

  private Reply remove(Request request) {
    if (!state.appRoles.remove(request.param("applicationId"), request.param("id"))) {
      throw Errors.notFound();
    }
    return Reply.noContent();
  }
}
