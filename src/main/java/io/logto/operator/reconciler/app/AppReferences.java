package io.logto.operator.reconciler.app;

import io.logto.operator.crd.app.AppRoleAssignment;
import io.logto.operator.crd.app.LogtoM2MApp;
import java.util.List;
import java.util.Objects;

/** The LogtoRoles a LogtoM2MApp names. */
public final class AppReferences {

  private AppReferences() {}

  public static List<String> roleNames(LogtoM2MApp app) {
    if (app.getSpec() == null) {
      return List.of();
    }
    return app.getSpec().getRoles().stream()
        .filter(Objects::nonNull)
        .map(AppRoleAssignment::getRoleRef)
        .filter(Objects::nonNull)
        .map(ref -> ref.getName())
        .filter(Objects::nonNull)
        .distinct()
        .toList();
  }
}
