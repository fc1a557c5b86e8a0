package io.logto.operator.simulator;

import java.util.Map;

/**
 * Errors of the OIDC endpoints as Logto's koa-oidc-error-handler shapes them: {@code code}
 * ("oidc." + the OAuth error), {@code message} (Logto's phrase, or "An OIDC error occurred:
 * oidc.x."), then oidc-provider's {@code error} and {@code error_description}.
 */
final class OidcErrors {
  private static final Map<String, String> PHRASES = Map.of(
      "invalid_request", "Request is invalid.",
      "invalid_grant", "Grant request is invalid.",
      "access_denied", "Access denied.",
      "invalid_target", "Invalid resource indicator.",
      "unsupported_grant_type", "Unsupported `grant_type` requested.",
      "invalid_token", "Invalid token provided.");

  private OidcErrors() {}

  static ApiError of(int status, String error, String description) {
    String code = "oidc." + error;
    String message = PHRASES.getOrDefault(error, "An OIDC error occurred: " + code + ".");
    return Errors.of(status, code, message).with("error", error)
        .with("error_description", description);
  }

  static ApiError invalidRequest(String description) {
    return of(400, "invalid_request", description);
  }

  /** oidc-provider's InvalidClient: always "client authentication failed". */
  static ApiError invalidClient() {
    return of(401, "invalid_client", "client authentication failed");
  }

  /**
   * A client id the tenant does not have: oidc-provider's InvalidClient as well, but 400 and
   * naming the id (seen on a real Logto 1.37.1; a wrong secret of a known app is the 401 above).
   */
  static ApiError unknownClient(String clientId) {
    return of(400, "invalid_client", "invalid client " + clientId);
  }

  static ApiError invalidTarget(String description) {
    return of(400, "invalid_target", description);
  }
}
