package io.logto.operator.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code GET /oidc/jwks} and a minimal {@code GET /oidc/.well-known/openid-configuration}. */
final class OidcMetadataRoutes {
  private final TokenService tokens;

  OidcMetadataRoutes(TokenService tokens) {
    this.tokens = tokens;
  }

  void register(Router router) {
    router.add("GET", "/oidc/jwks", request -> Reply.raw(200,
        tokens.jwks().getBytes(StandardCharsets.UTF_8), "application/jwk-set+json; charset=utf-8"));
    router.add("GET", "/oidc/.well-known/openid-configuration", request -> {
      String issuer = tokens.issuer();
      ObjectNode body = Json.object();
      body.put("issuer", issuer);
      body.put("token_endpoint", issuer + "/token");
      body.put("jwks_uri", issuer + "/jwks");
      body.set("grant_types_supported", Json.strings(List.of("client_credentials")));
      body.set("token_endpoint_auth_methods_supported",
          Json.strings(List.of("client_secret_basic", "client_secret_post")));
      body.set("id_token_signing_alg_values_supported",
          Json.strings(List.of("ES384")));
      return Reply.json(200, body);
    });
  }
}
