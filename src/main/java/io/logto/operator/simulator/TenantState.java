package io.logto.operator.simulator;

import io.logto.operator.simulator.Model.App;
import io.logto.operator.simulator.Model.Resource;
import io.logto.operator.simulator.Model.Role;
import io.logto.operator.simulator.Model.Scope;
import io.logto.operator.simulator.Model.Secret;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The data of one Logto tenant ("default"): applications and their secrets, roles, API resources,
 * scopes, and the two relation tables. Not thread-safe by itself: every caller holds this object's
 * monitor ({@code synchronized (state)}) for the whole of a request's reads and writes.
 */
final class TenantState {
  static final String TENANT_ID = "default";
  static final String MANAGEMENT_API_RESOURCE_ID = "management-api";
  static final String MANAGEMENT_API_SCOPE_ID = "management-api-all";
  static final String BUILT_IN_ROLE_NAME = "Logto Management API access";
  private static final Pattern MANAGEMENT_API_INDICATOR =
      Pattern.compile("^https://[^.]+\\.logto\\.app/api$");

  final Map<String, App> apps = new LinkedHashMap<>();
  final Map<String, Role> roles = new LinkedHashMap<>();
  final Map<String, Resource> resources = new LinkedHashMap<>();
  final Map<String, Scope> scopes = new LinkedHashMap<>();
  /** {@code applications_roles}: application id (left) to role id (right). */
  final Relation appRoles = new Relation();
  /** {@code roles_scopes}: role id (left) to scope id (right). */
  final Relation roleScopes = new Relation();

  private final String bootstrapAppId;
  private final String builtInRoleId;
  private long seq;
  /** Logto's clock, for creation times and secret expiry; a test may move it. */
  private volatile Clock clock = Clock.systemUTC();

  /** A fresh tenant with the Management API, its access role and the bootstrap application. */
  TenantState(String managementApiIndicator, String bootstrapAppId, String bootstrapSecret) {
    this.bootstrapAppId = bootstrapAppId;
    long now = now();
    Resource api = new Resource(MANAGEMENT_API_RESOURCE_ID, "Logto Management API",
        managementApiIndicator, 3600, nextSeq());
    resources.put(api.id, api);
    Scope all = new Scope(MANAGEMENT_API_SCOPE_ID, api.id, "all",
        "Default scope for Management API, allows all permissions.", now, nextSeq());
    scopes.put(all.id, all);
    Role role = new Role(Ids.id(), BUILT_IN_ROLE_NAME,
        "This default role grants access to the Logto management API.", "MachineToMachine",
        false, nextSeq());
    roles.put(role.id, role);
    builtInRoleId = role.id;
    roleScopes.add(role.id, all.id);
    App app = new App(bootstrapAppId, "MachineToMachine", "operator bootstrap", now, nextSeq());
    app.description = "bootstrap M2M app";
    app.secrets.put("Default secret", new Secret("Default secret", bootstrapSecret, now, null));
    apps.put(app.id, app);
    appRoles.add(app.id, role.id);
  }

  long nextSeq() {
    return ++seq;
  }

  long now() {
    return clock.millis();
  }

  void useClock(Clock clock) {
    this.clock = clock;
  }

  String bootstrapAppId() {
    return bootstrapAppId;
  }

  String builtInRoleId() {
    return builtInRoleId;
  }

  // Lookups that answer 404 entity.not_exists_with_id, as Logto's findXById.

  App app(String id) {
    App app = apps.get(id);
    if (app == null) {
      throw Errors.notExistsWithId("applications", id);
    }
    return app;
  }

  Role role(String id) {
    Role role = roles.get(id);
    if (role == null) {
      throw Errors.notExistsWithId("roles", id);
    }
    return role;
  }

  Resource resource(String id) {
    Resource resource = resources.get(id);
    if (resource == null) {
      throw Errors.notExistsWithId("resources", id);
    }
    return resource;
  }

  Scope scope(String id) {
    Scope scope = scopes.get(id);
    if (scope == null) {
      throw Errors.notExistsWithId("scopes", id);
    }
    return scope;
  }

  Resource resourceByIndicator(String indicator) {
    return resources.values().stream().filter(r -> r.indicator.equals(indicator)).findFirst()
        .orElse(null);
  }

  Resource defaultResource() {
    return resources.values().stream().filter(r -> r.isDefault).findFirst().orElse(null);
  }

  Role roleByName(String name) {
    return roles.values().stream().filter(r -> r.name.equals(name)).findFirst().orElse(null);
  }

  /** Logto's {@code isManagementApi}: an indicator like {@code https://<tenant>.logto.app/api}. */
  static boolean isManagementApi(Resource resource) {
    return MANAGEMENT_API_INDICATOR.matcher(resource.indicator).matches();
  }

  /** Scopes of a resource, in creation order. */
  List<Scope> scopesOf(String resourceId) {
    return scopes.values().stream().filter(s -> s.resourceId.equals(resourceId)).toList();
  }

  /** Scopes grouped by resource id, each group in creation order. */
  Map<String, List<Scope>> scopesByResource() {
    Map<String, List<Scope>> out = new HashMap<>();
    scopes.values().forEach(s -> out.computeIfAbsent(s.resourceId, k -> new ArrayList<>()).add(s));
    return out;
  }

  /** Applications, newest first (Logto orders them by createdAt desc). */
  List<App> appsNewestFirst() {
    List<App> list = new ArrayList<>(apps.values());
    list.sort(Comparator.comparingLong((App a) -> a.seq).reversed());
    return list;
  }

  // Deletes cascade like Logto's foreign keys.

  void deleteApp(String id) {
    apps.remove(id);
    appRoles.removeLeft(id);
  }

  void deleteRole(String id) {
    roles.remove(id);
    appRoles.removeRight(id);
    roleScopes.removeLeft(id);
  }

  void deleteScope(String id) {
    scopes.remove(id);
    roleScopes.removeRight(id);
  }

  void deleteResource(String id) {
    resources.remove(id);
    scopesOf(id).forEach(s -> deleteScope(s.id));
  }

  /**
   * The names of the scopes of the resource {@code indicator} that the application's roles hold
   * (Logto's {@code findApplicationScopesForResourceIndicator}).
   */
  List<String> scopeNamesGranted(String appId, String indicator) {
    List<String> names = new ArrayList<>();
    for (String roleId : appRoles.rights(appId)) {
      for (String scopeId : roleScopes.rights(roleId)) {
        Scope scope = scopes.get(scopeId);
        Resource resource = scope == null ? null : resources.get(scope.resourceId);
        if (resource != null && resource.indicator.equals(indicator)
            && !names.contains(scope.name)) {
          names.add(scope.name);
        }
      }
    }
    return names;
  }

  int applicationCount() {
    return (int) apps.keySet().stream().filter(id -> !id.equals(bootstrapAppId)).count();
  }

  int roleCount() {
    return (int) roles.keySet().stream().filter(id -> !id.equals(builtInRoleId)).count();
  }

  int resourceCount() {
    return (int) resources.keySet().stream()
        .filter(id -> !id.equals(MANAGEMENT_API_RESOURCE_ID)).count();
  }
}
