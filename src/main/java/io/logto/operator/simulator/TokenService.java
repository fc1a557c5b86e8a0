package io.logto.operator.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues and checks access tokens like Logto: ES384 JWTs ({@code typ: at+jwt}) signed with a P-384
 * key published at {@code /oidc/jwks}. Remembers the ids of the tokens it issued so that {@link
 * #revokeAll()} can invalidate them. Thread-safe.
 */
final class TokenService {
  private static final int VERIFIED_CACHE_LIMIT = 10_000;
  private static final int LIVE_PRUNE_THRESHOLD = 100_000;

  /** The checked claims of a token. */
  record Claims(String jti, String sub, String clientId, Object aud, String scope, long exp) {
    List<String> scopes() {
      return scope == null || scope.isEmpty() ? List.of() : List.of(scope.split(" "));
    }

    boolean hasAudience(String audience) {
      return audience.equals(aud) || (aud instanceof List<?> list && list.contains(audience));
    }
  }

  /** A freshly issued token. */
  record Issued(String token, long expiresIn) {}

  private final String issuer;
  private final ECKey key;
  private final ECDSASigner signer;
  private final ECDSAVerifier verifier;
  private final String jwks;
  /** jti to exp (epoch seconds) of every token issued and not revoked. */
  private final Map<String, Long> live = new ConcurrentHashMap<>();
  private final Map<String, Claims> verified = new ConcurrentHashMap<>();
  /** Size of {@link #live} above which expired entries are dropped (amortized). */
  private volatile int nextPrune = LIVE_PRUNE_THRESHOLD;

  TokenService(String issuer) {
    this.issuer = issuer;
    try {
      key = new ECKeyGenerator(Curve.P_384).keyID(Ids.jti())
          .keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES384).generate();
      signer = new ECDSASigner(key);
      verifier = new ECDSAVerifier(key.toPublicJWK());
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot create the ES384 signing key", e);
    }
    jwks = new JWKSet(key.toPublicJWK()).toString(true);
  }

  String issuer() {
    return issuer;
  }

  /** The public JWKS document. */
  String jwks() {
    return jwks;
  }

  /** Signs an access token; {@code scope} is null when no scope is granted. */
  Issued issue(String clientId, String audience, String scope, long ttlSeconds) {
    long now = System.currentTimeMillis() / 1000;
    String jti = Ids.jti();
    ObjectNode claims = Json.object();
    claims.put("jti", jti);
    claims.put("sub", clientId);
    claims.put("iat", now);
    claims.put("exp", now + ttlSeconds);
    if (scope != null) {
      claims.put("scope", scope);
    }
    claims.put("client_id", clientId);
    claims.put("iss", issuer);
    claims.put("aud", audience);
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES384)
        .type(new JOSEObjectType("at+jwt")).keyID(key.getKeyID()).build();
    JWSObject jws = new JWSObject(header, new Payload(claims.toString()));
    try {
      jws.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
    if (live.size() > nextPrune) {
      live.values().removeIf(exp -> exp <= now);
      nextPrune = Math.max(LIVE_PRUNE_THRESHOLD, 2 * live.size());
    }
    live.put(jti, now + ttlSeconds);
    return new Issued(jws.serialize(), ttlSeconds);
  }

  /**
   * Checks signature, issuer, expiry and that the token was not revoked; throws 401 {@code
   * auth.unauthorized} otherwise. Audience and scope are the caller's business.
   */
  Claims verify(String token) {
    Claims claims = verified.get(token);
    if (claims == null) {
      claims = parseAndVerify(token);
      if (verified.size() >= VERIFIED_CACHE_LIMIT) {
        verified.clear();
      }
      verified.put(token, claims);
    }
    long now = System.currentTimeMillis() / 1000;
    if (claims.exp() <= now || !live.containsKey(claims.jti())) {
      throw unauthorized();
    }
    return claims;
  }

  private Claims parseAndVerify(String token) {
    try {
      JWSObject jws = JWSObject.parse(token);
      if (!JWSAlgorithm.ES384.equals(jws.getHeader().getAlgorithm()) || !jws.verify(verifier)) {
        throw unauthorized();
      }
      Map<String, Object> json = jws.getPayload().toJSONObject();
      if (json == null || !issuer.equals(json.get("iss")) || !(json.get("exp") instanceof Number)
          || !(json.get("sub") instanceof String)) {
        throw unauthorized();
      }
      Object scope = json.get("scope");
      if (scope != null && !(scope instanceof String)) {
        throw unauthorized();
      }
      return new Claims(String.valueOf(json.get("jti")), (String) json.get("sub"),
          (String) json.get("client_id"), json.get("aud"), (String) scope,
          ((Number) json.get("exp")).longValue());
    } catch (ParseException | JOSEException | ClassCastException e) {
      throw unauthorized();
    }
  }

  /** Every token issued so far is rejected from now on. */
  void revokeAll() {
    live.clear();
    verified.clear();
  }

  static ApiError unauthorized() {
    return Errors.of(401, "auth.unauthorized",
        "Unauthorized. Please check credentials and its scope.");
  }
}
