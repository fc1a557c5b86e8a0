package io.logto.operator.logto.model;

import java.time.Instant;
import java.util.Set;

/** An access token from {@code /oidc/token}; never printed. */
public record TokenGrant(String accessToken, Instant expiresAt, Set<String> grantedScopes) {

  @Override
  public String toString() {
    return "TokenGrant[accessToken=***, expiresAt=" + expiresAt + ", grantedScopes="
        + grantedScopes + "]";
  }
}
