package io.logto.operator.reconciler.app;

import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.logto.model.Application;
import io.logto.operator.reconciler.common.SyncFailure;
import java.util.Set;

/** Whether an application listed from Logto still matches its LogtoM2MApp. */
public final class AppDrift {

  private AppDrift() {}

  /** The role names (LogtoRole references and Logto names) the app should hold. */
  public record ExpectedRoles(Set<String> roleRefs, Set<String> logtoRoleNames) {}

  public static ExpectedRoles expectedRoles(LogtoM2MApp cr) {
    try {
      DesiredApp desired = DesiredApp.of(cr);
      return new ExpectedRoles(desired.roleRefs(), desired.logtoRoleNames());
    } catch (SyncFailure invalid) {
      return new ExpectedRoles(Set.of(), Set.of());
    }
  }

  /**
   * Null when it matches, otherwise what differs.
   *
   * @param heldRoleIds the ids of the roles Logto says the app holds (among the roles looked at)
   * @param expectedRoleIds the ids it should hold
   */
  public static String difference(
      LogtoM2MApp cr, Application inLogto, Set<String> heldRoleIds, Set<String> expectedRoleIds) {
    DesiredApp desired;
    try {
      desired = DesiredApp.of(cr);
    } catch (SyncFailure invalid) {
      return null;
    }
    if (inLogto == null) {
      return "deleted in Logto";
    }
    if (!desired.name().equals(inLogto.name())) {
      return "renamed to '" + inLogto.name() + "'";
    }
    String wanted = desired.description() == null ? "" : desired.description();
    String actual = inLogto.description() == null ? "" : inLogto.description();
    if (!wanted.equals(actual)) {
      return "description changed";
    }
    if (!heldRoleIds.containsAll(expectedRoleIds)) {
      return "role assignment removed";
    }
    if (!expectedRoleIds.containsAll(heldRoleIds)) {
      return "role assignment added";
    }
    return null;
  }
}
