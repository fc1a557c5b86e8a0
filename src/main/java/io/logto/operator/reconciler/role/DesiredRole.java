package io.logto.operator.reconciler.role;

import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.crd.role.LogtoRoleSpec;
import io.logto.operator.crd.role.RolePermission;
import io.logto.operator.reconciler.common.SpecChecks;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What Logto should hold for a LogtoRole, with defaults applied, before references are resolved.
 */
record DesiredRole(String name, String description, List<Permission> permissions) {

  static final int MAX_TEXT = 128;
  /** The schema's maxItems of spec.permissions and of each permission's scopes. */
  static final int MAX_PERMISSIONS = 100;
  static final int MAX_SCOPES = 100;

  /** Scopes of one API resource, named by a LogtoApiResource or by an indicator in Logto. */
  record Permission(String resourceRef, String indicator, TreeSet<String> scopes) {}

  static DesiredRole of(LogtoRole role) {
    LogtoRoleSpec spec = role.getSpec();
    SpecChecks checks = new SpecChecks();
    if (spec == null) {
      checks.add("spec", "is required");
      checks.throwIfAny();
    }
    checks.optionalText("spec.name", spec.getName(), MAX_TEXT);
    checks.optionalText("spec.description", spec.getDescription(), MAX_TEXT);
    checks.maxItems("spec.permissions", spec.getPermissions(), MAX_PERMISSIONS);
    List<Permission> permissions = new ArrayList<>();
    Set<String> targets = new HashSet<>();
    for (int i = 0; i < spec.getPermissions().size(); i++) {
      RolePermission p = spec.getPermissions().get(i);
      String field = "spec.permissions[" + i + "]";
      if (p == null) {
        checks.add(field, "must not be null");
        continue;
      }
      checks.exactlyOne(field, p.getResourceRef(), "resourceRef", p.getIndicator(), "indicator");
      String ref = p.getResourceRef() == null ? null : p.getResourceRef().getName();
      if (p.getResourceRef() != null) {
        checks.objectName(field + ".resourceRef.name", ref);
      }
      if (p.getIndicator() != null) {
        checks.indicator(field + ".indicator", p.getIndicator());
      }
      String target = ref != null ? "ref:" + ref : "indicator:" + p.getIndicator();
      if (!targets.add(target)) {
        checks.add(field, "a second permission for the same API resource; list all its scopes"
            + " in one entry");
      }
      checks.maxItems(field + ".scopes", p.getScopes(), MAX_SCOPES);
      if (p.getScopes().isEmpty()) {
        checks.add(field + ".scopes", "must name at least one scope");
      }
      TreeSet<String> scopes = new TreeSet<>();
      for (int j = 0; j < p.getScopes().size(); j++) {
        String scope = p.getScopes().get(j);
        checks.scopeName(field + ".scopes[" + j + "]", scope);
        if (scope != null && !scopes.add(scope)) {
          checks.add(field + ".scopes[" + j + "]", "duplicate scope '" + scope + "'");
        }
      }
      permissions.add(new Permission(ref, p.getIndicator(), scopes));
    }
    checks.throwIfAny();
    String name = spec.getName() == null ? role.getMetadata().getName() : spec.getName();
    String description = spec.getDescription();
    if (description == null) {
      description = "Managed by logto-operator from " + role.getMetadata().getNamespace() + "/"
          + role.getMetadata().getName();
      if (description.length() > MAX_TEXT) {
        description = description.substring(0, MAX_TEXT);
      }
    }
    return new DesiredRole(name, description, permissions);
  }
}
