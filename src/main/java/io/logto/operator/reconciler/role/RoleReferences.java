package io.logto.operator.reconciler.role;

import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.crd.role.RolePermission;
import java.util.List;
import java.util.Objects;

/** The LogtoApiResources a LogtoRole names. */
public final class RoleReferences {

  private RoleReferences() {}

  public static List<String> resourceNames(LogtoRole role) {
    if (role.getSpec() == null) {
      return List.of();
    }
    return role.getSpec().getPermissions().stream()
        .filter(Objects::nonNull)
        .map(RolePermission::getResourceRef)
        .filter(Objects::nonNull)
        .map(ref -> ref.getName())
        .filter(Objects::nonNull)
        .distinct()
        .toList();
  }
}
