package io.logto.operator.simulator;

/**
 * Logto's koa-auth for {@code /api}: a Bearer token whose audience is the Management API and whose
 * scopes include {@code all}. Missing header: 401 {@code auth.authorization_header_missing}; not
 * Bearer: 401 {@code auth.authorization_token_type_not_supported}; bad signature, issuer,
 * audience, expired or revoked: 401 {@code auth.unauthorized} (Logto checks the audience inside
 * {@code jwtVerify}, so a token for another resource is 401, not 403); no {@code all} scope: 403
 * {@code auth.forbidden}.
 */
final class ManagementAuth {
  private final TokenService tokens;
  private final String audience;

  ManagementAuth(TokenService tokens, String audience) {
    this.tokens = tokens;
    this.audience = audience;
  }

  void check(Request request) {
    String authorization = request.header("authorization");
    if (authorization == null) {
      throw Errors.of(401, "auth.authorization_header_missing",
          "Authorization header is missing.");
    }
    if (!authorization.startsWith("Bearer")) {
      throw Errors.of(401, "auth.authorization_token_type_not_supported",
          "Authorization type is not supported.");
    }
    String token = authorization.length() > 7 ? authorization.substring(7) : "";
    TokenService.Claims claims = tokens.verify(token);
    if (!claims.hasAudience(audience)) {
      throw TokenService.unauthorized();
    }
    if (!claims.scopes().contains("all")) {
      throw Errors.of(403, "auth.forbidden",
          "Forbidden. Please check your user roles and permissions.");
    }
  }
}
