package io.logto.operator.e2e;

import io.logto.operator.logto.LogtoClient;
import io.logto.operator.logto.model.ApiResource;
import io.logto.operator.logto.model.Application;
import io.logto.operator.logto.model.Role;
import io.logto.operator.logto.model.Scope;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a Logto tenant holds, read with a Management API client of the test's own: the end-to-end
 * tests judge the operator by these, not by its status.
 */
final class InLogto {

  private InLogto() {}

  /** Every API resource with the indicator (Logto allows one; a second would be a bug). */
  static List<ApiResource> resources(LogtoClient logto, String indicator) {
    return logto.listApiResources().stream().filter(r -> indicator.equals(r.indicator()))
        .toList();
  }

  static List<Role> roles(LogtoClient logto, String name) {
    return logto.listRoles().stream().filter(r -> name.equals(r.name())).toList();
  }

  /** The applications whose customData marks them as created by the custom resource uid. */
  static List<Application> applications(LogtoClient logto, String uid) {
    return logto.listApplications().stream()
        .filter(a -> a.customData() != null
            && a.customData().get("logtoOperator") instanceof Map<?, ?> identity
            && uid.equals(identity.get("uid")))
        .toList();
  }

  static Set<String> scopeNames(List<Scope> scopes) {
    return scopes.stream().map(Scope::name).collect(Collectors.toCollection(TreeSet::new));
  }

  /** A role's scopes by the indicator of their API resource. */
  static Map<String, Set<String>> roleGrants(LogtoClient logto, String roleId) {
    Map<String, Set<String>> grants = new TreeMap<>();
    for (Scope scope : logto.listRoleScopes(roleId)) {
      String indicator = scope.resource() != null ? scope.resource().indicator()
          : logto.getApiResource(scope.resourceId()).indicator();
      grants.computeIfAbsent(indicator, k -> new TreeSet<>()).add(scope.name());
    }
    return grants;
  }

  static Set<String> roleNames(LogtoClient logto, String appId) {
    return logto.listApplicationRoles(appId).stream().map(Role::name)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * The scopes a token obtained with the credentials carries when it asks for EVERY scope the
   * API resource has in Logto: what the app may do there, no more and no less.
   */
  static Set<String> grantedOfEveryScope(LogtoClient logto, String appId, String appSecret,
      String indicator) {
    ApiResource resource = resources(logto, indicator).stream().findFirst()
        .orElseThrow(() -> new AssertionError("no API resource " + indicator + " in Logto"));
    Set<String> every = scopeNames(logto.listScopes(resource.id()));
    return new TreeSet<>(logto.requestToken(appId, appSecret, indicator, every).grantedScopes());
  }
}
