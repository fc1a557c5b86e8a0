package io.logto.operator.reconciler.role;

import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.logto.model.Role;
import io.logto.operator.logto.model.Scope;
import io.logto.operator.reconciler.common.SyncFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Whether a role listed from Logto still matches its LogtoRole. */
public final class RoleDrift {

  private RoleDrift() {}

  /** Null when it matches, otherwise what differs. */
  public static String difference(LogtoRole cr, Role inLogto, List<Scope> scopes) {
    DesiredRole desired;
    try {
      desired = DesiredRole.of(cr);
    } catch (SyncFailure invalid) {
      return null;
    }
    if (inLogto == null) {
      return "deleted in Logto";
    }
    if (!desired.name().equals(inLogto.name())) {
      return "renamed to '" + inLogto.name() + "'";
    }
    if (!desired.description().equals(inLogto.description())) {
      return "description changed";
    }
    Map<String, TreeSet<String>> actual = new TreeMap<>();
    for (Scope scope : scopes) {
      String indicator = scope.resource() == null ? scope.resourceId() : scope.resource().indicator();
      actual.computeIfAbsent(indicator, k -> new TreeSet<>()).add(scope.name());
    }
    Map<String, List<String>> actualLists = new TreeMap<>();
    actual.forEach((k, v) -> actualLists.put(k, new ArrayList<>(v)));
    if (!actualLists.equals(new TreeMap<>(cr.getStatus().getGrants()))) {
      return "permissions changed";
    }
    return null;
  }
}
