package io.logto.operator.simulator;

import java.time.Duration;

/** Which Logto version's behaviour to follow where versions differ, and token TTL overrides. */
final class Compatibility {
  private volatile boolean legacyRoleAssignment;
  private volatile boolean legacyApplicationSecret;
  private volatile Duration accessTokenTtlOverride;

  /** v1.37: POST /applications/{id}/roles answers "Created" and 422 on an assigned role. */
  boolean legacyRoleAssignment() {
    return legacyRoleAssignment;
  }

  void legacyRoleAssignment(boolean value) {
    legacyRoleAssignment = value;
  }

  /** v1.37: application answers carry the internal secret as {@code secret}. */
  boolean legacyApplicationSecret() {
    return legacyApplicationSecret;
  }

  void legacyApplicationSecret(boolean value) {
    legacyApplicationSecret = value;
  }

  /** The TTL of every new access token instead of the resource's, or null. */
  Duration accessTokenTtlOverride() {
    return accessTokenTtlOverride;
  }

  void accessTokenTtlOverride(Duration value) {
    accessTokenTtlOverride = value;
  }
}
