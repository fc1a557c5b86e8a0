package io.logto.operator.reconciler.app;

import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.logto.model.Application;
import io.logto.operator.logto.model.ApplicationSecret;
import java.time.Instant;
import java.util.List;
import io.logto.operator.reconciler.common.SyncFailure;
import java.util.Set;

/** Whether an application listed from Logto still matches its LogtoM2MApp. */
public final class AppDrift {

  private AppDrift() {}

  /**
   * A rotation or retirement due by the clock or an annotation (its timer may have been lost, say
   * by a restart at the wrong moment); null when none is.
   */
  public static String credentialsDue(LogtoM2MApp cr, Instant now) {
    try {
      RotationPolicy policy = DesiredApp.of(cr).rotation();
      var state = cr.getStatus().getCredentials();
      if (state == null || state.getCurrent() == null) {
        return null; // not managed yet: its own reconcile adopts a secret
      }
      RotationSchedule schedule = RotationSchedule.of(cr, state, policy, now);
      if (schedule.retirementDue()) {
        return "previous secret " + state.getPrevious().getName() + " due to retire";
      }
      return schedule.rotationDue().orElse(null);
    } catch (SyncFailure invalid) {
      return null;
    }
  }

  /**
   * Whether the resync reads this app's secrets: only apps with a rotation, whose credentials
   * the operator keeps alive (one call per app; without a rotation the secret is checked when the
   * app is reconciled).
   */
  public static boolean watchesSecrets(LogtoM2MApp cr) {
    return cr.getSpec() != null && cr.getSpec().getSecret() != null
        && cr.getSpec().getSecret().getRotation() != null
        && cr.getStatus().getCredentials() != null
        && cr.getStatus().getCredentials().getCurrent() != null;
  }

  /** Null when the current secret is still in Logto, else what happened to it. */
  public static String secretsDifference(LogtoM2MApp cr, List<ApplicationSecret> inLogto) {
    String current = cr.getStatus().getCredentials().getCurrent().getName();
    return CredentialRotation.find(inLogto, current).isPresent() ? null
        : "secret " + current + " deleted in Logto";
  }

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
