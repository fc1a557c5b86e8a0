package io.logto.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.logto.operator.simulator.SimHttp.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenEndpointTest extends SimulatorTestBase {
  private static final String SHOP = "https://shopping.api";
  private String resourceId;
  private String appId;
  private String appSecret;

  /** An M2M app whose role holds read:products (not write:products) of the shopping API. */
  @BeforeEach
  void shop() {
    resourceId = http.createResource("Online Shopping", SHOP);
    String read = http.createScope(resourceId, "read:products");
    http.createScope(resourceId, "write:products");
    String role = http.createM2mRole("reader", read);
    appId = http.createApp("order-stats", "MachineToMachine");
    appSecret = http.defaultSecret(appId);
    SimHttp.check(http.post("/api/applications/" + appId + "/roles",
        Map.of("roleIds", List.of(role))), 201);
  }

  @Test
  void accessTokenIsAnEs384JwtThatVerifiesAgainstTheJwks() throws Exception {
    Answer token = http.token(appId, appSecret, SHOP, "read:products");
    assertThat(token.status()).isEqualTo(200);

    Answer jwks = http.send("GET", "/oidc/jwks", null, null, null);
    assertThat(jwks.status()).isEqualTo(200);
    JWKSet set = JWKSet.parse(jwks.body());
    assertThat(set.getKeys()).hasSize(1);
    ECKey key = set.getKeys().get(0).toECKey();
    assertThat(key.isPrivate()).isFalse();
    assertThat(key.getCurve().getName()).isEqualTo("P-384");

    SignedJWT jwt = SignedJWT.parse(token.json().get("access_token").asText());
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES384);
    assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
    assertThat(jwt.getHeader().getKeyID()).isEqualTo(key.getKeyID());
    assertThat(jwt.verify(new ECDSAVerifier(key))).isTrue();

    List<String> payloadFields = new ArrayList<>();
    SimHttp.MAPPER.readTree(jwt.getPayload().toString()).fieldNames()
        .forEachRemaining(payloadFields::add);
    assertThat(payloadFields).containsExactly(
        "jti", "sub", "iat", "exp", "scope", "client_id", "iss", "aud");
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertThat(claims.getJWTID()).isNotBlank();
    assertThat(claims.getSubject()).isEqualTo(appId);
    assertThat(claims.getStringClaim("client_id")).isEqualTo(appId);
    assertThat(claims.getIssuer()).isEqualTo(sim.endpoint() + "/oidc");
    assertThat(claims.getAudience()).containsExactly(SHOP);
    assertThat(claims.getStringClaim("scope")).isEqualTo("read:products");
    long ttl = (claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()) / 1000;
    assertThat(ttl).isEqualTo(3600);
  }

  @Test
  void ungrantedScopesAreLeftOutNotRefused() throws Exception {
    Answer some = http.token(appId, appSecret, SHOP, "write:products read:products nope");
    assertThat(some.status()).isEqualTo(200);
    assertThat(some.json().get("scope").asText()).isEqualTo("read:products");

    Answer none = http.token(appId, appSecret, SHOP, "write:products");
    assertThat(none.status()).isEqualTo(200);
    assertThat(none.json().has("scope")).isFalse();
    SignedJWT jwt = SignedJWT.parse(none.json().get("access_token").asText());
    assertThat(jwt.getJWTClaimsSet().getClaims()).doesNotContainKey("scope");

    Answer noScopeParam = http.token(appId, appSecret, SHOP, null);
    assertThat(noScopeParam.status()).isEqualTo(200);
    assertThat(noScopeParam.json().has("scope")).isFalse();

    // the app holds no Management API role
    Answer management = http.token(appId, appSecret, LogtoSimulator.MANAGEMENT_API_RESOURCE, "all");
    assertThat(management.status()).isEqualTo(200);
    assertThat(management.json().has("scope")).isFalse();
  }

  @Test
  void wrongSecretIs401AndUnknownAppIs400InvalidClient() {
    Answer wrongSecret = http.token(appId, "wrong", SHOP, "read:products");
    assertThat(wrongSecret.status()).isEqualTo(401);
    assertThat(wrongSecret.json().toString()).isEqualTo("{\"code\":\"oidc.invalid_client\","
        + "\"message\":\"An OIDC error occurred: oidc.invalid_client.\","
        + "\"error\":\"invalid_client\",\"error_description\":\"client authentication failed\"}");

    // An app id the tenant does not have (another tenant's app, say) is a 400 on a real Logto.
    Answer unknownApp = http.token("nope", appSecret, SHOP, "read:products");
    assertThat(unknownApp.status()).isEqualTo(400);
    assertThat(unknownApp.json().toString()).isEqualTo("{\"code\":\"oidc.invalid_client\","
        + "\"message\":\"An OIDC error occurred: oidc.invalid_client.\","
        + "\"error\":\"invalid_client\",\"error_description\":\"invalid client nope\"}");

    Answer noAuth = http.send("POST", "/oidc/token",
        SimHttp.form("grant_type", "client_credentials", "resource", SHOP),
        "application/x-www-form-urlencoded", null);
    assertThat(noAuth.status()).isEqualTo(400);
    assertThat(noAuth.code()).isEqualTo("oidc.invalid_request");
  }

  @Test
  void credentialsInTheBodyAreAcceptedToo() {
    Answer answer = http.send("POST", "/oidc/token",
        SimHttp.form("grant_type", "client_credentials", "resource", SHOP,
            "scope", "read:products", "client_id", appId, "client_secret", appSecret),
        "application/x-www-form-urlencoded", null);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().get("scope").asText()).isEqualTo("read:products");
    assertThat(sim.tokenRequests(appId)).isEqualTo(1);
  }

  @Test
  void resourceErrorsAre400InvalidTarget() {
    Answer unknown = http.token(appId, appSecret, "https://unknown.api", "read:products");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.fieldNames())
        .containsExactly("code", "message", "error", "error_description");
    assertThat(unknown.code()).isEqualTo("oidc.invalid_target");
    assertThat(unknown.json().get("message").asText()).isEqualTo("Invalid resource indicator.");
    assertThat(unknown.json().get("error").asText()).isEqualTo("invalid_target");

    Answer missing = http.token(appId, appSecret,
        SimHttp.form("grant_type", "client_credentials", "scope", "read:products"));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.code()).isEqualTo("oidc.invalid_target");

    Answer notAUri = http.token(appId, appSecret, "not a uri", null);
    assertThat(notAUri.status()).isEqualTo(400);
    assertThat(notAUri.code()).isEqualTo("oidc.invalid_target");
  }

  @Test
  void withoutResourceTheDefaultResourceIsUsedWhenOneIsSet() throws Exception {
    SimHttp.check(http.patch("/api/resources/" + resourceId + "/is-default",
        Map.of("isDefault", true)), 200);
    Answer answer = http.token(appId, appSecret,
        SimHttp.form("grant_type", "client_credentials", "scope", "read:products"));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().get("scope").asText()).isEqualTo("read:products");
    assertThat(SignedJWT.parse(answer.json().get("access_token").asText()).getJWTClaimsSet()
        .getAudience()).containsExactly(SHOP);
  }

  @Test
  void grantTypeErrors() {
    Answer unsupported = http.token(appId, appSecret,
        SimHttp.form("grant_type", "password", "resource", SHOP));
    assertThat(unsupported.status()).isEqualTo(400);
    assertThat(unsupported.code()).isEqualTo("oidc.unsupported_grant_type");

    Answer notAllowed = http.token(appId, appSecret,
        SimHttp.form("grant_type", "authorization_code", "resource", SHOP));
    assertThat(notAllowed.status()).isEqualTo(400);
    assertThat(notAllowed.code()).isEqualTo("oidc.unauthorized_client");

    Answer missing = http.token(appId, appSecret, SimHttp.form("resource", SHOP));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.code()).isEqualTo("oidc.invalid_request");

    String traditional = http.createApp("web", "Traditional");
    Answer webApp = http.token(traditional, http.defaultSecret(traditional), SHOP, null);
    assertThat(webApp.status()).isEqualTo(400);
    assertThat(webApp.code()).isEqualTo("oidc.unauthorized_client");
  }

  @Test
  void onlyFormBodiesOrJsonAreAccepted() {
    Answer text = http.send("POST", "/oidc/token", "grant_type=client_credentials", "text/plain",
        SimHttp.basic(appId, appSecret));
    assertThat(text.status()).isEqualTo(400);
    assertThat(text.code()).isEqualTo("oidc.invalid_request");
  }

  @Test
  void everySecretOfTheAppIsACredentialUntilDeletedOrExpired() throws Exception {
    Answer created = http.post("/api/applications/" + appId + "/secrets",
        Map.of("name", "rotated"));
    String rotated = created.json().get("value").asText();
    assertThat(http.token(appId, rotated, SHOP, null).status()).isEqualTo(200);
    assertThat(http.token(appId, appSecret, SHOP, null).status()).isEqualTo(200);

    SimHttp.check(http.delete("/api/applications/" + appId + "/secrets/Default%20secret"), 204);
    assertThat(http.token(appId, appSecret, SHOP, null).status()).isEqualTo(401);
    assertThat(http.token(appId, rotated, SHOP, null).status()).isEqualTo(200);

    Answer shortLived = http.post("/api/applications/" + appId + "/secrets",
        Map.of("name", "short", "expiresAt", System.currentTimeMillis() + 300));
    String value = shortLived.json().get("value").asText();
    assertThat(http.token(appId, value, SHOP, null).status()).isEqualTo(200);
    Thread.sleep(400);
    Answer expired = http.token(appId, value, SHOP, null);
    assertThat(expired.status()).isEqualTo(400);
    assertThat(expired.code()).isEqualTo("oidc.invalid_request");
    assertThat(expired.json().get("error_description").asText())
        .isEqualTo("client secret has expired");
  }

  @Test
  void expiresInFollowsTheResourceTtlOrTheOverride() {
    SimHttp.check(http.patch("/api/resources/" + resourceId, Map.of("accessTokenTtl", 120)), 200);
    assertThat(http.token(appId, appSecret, SHOP, null).json().get("expires_in").asInt())
        .isEqualTo(120);
    sim.setAccessTokenTtl(Duration.ofSeconds(30));
    assertThat(http.token(appId, appSecret, SHOP, null).json().get("expires_in").asInt())
        .isEqualTo(30);
  }

  @Test
  void discoveryDocumentPointsAtTheTokenEndpointAndJwks() {
    Answer discovery = http.send("GET", "/oidc/.well-known/openid-configuration", null, null,
        null);
    assertThat(discovery.status()).isEqualTo(200);
    JsonNode doc = discovery.json();
    assertThat(doc.get("issuer").asText()).isEqualTo(sim.endpoint() + "/oidc");
    assertThat(doc.get("token_endpoint").asText()).isEqualTo(sim.endpoint() + "/oidc/token");
    assertThat(doc.get("jwks_uri").asText()).isEqualTo(sim.endpoint() + "/oidc/jwks");
  }
}
