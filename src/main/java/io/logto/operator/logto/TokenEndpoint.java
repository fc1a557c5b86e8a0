package io.logto.operator.logto;

import com.fasterxml.jackson.databind.JsonNode;
import io.logto.operator.logto.model.TokenGrant;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * Logto's {@code /oidc/token}: the client credentials grant. Holds no state; caching the
 * operator's own token is {@link ManagementTokenProvider}'s job.
 */
final class TokenEndpoint {

  static final String TEMPLATE = "/oidc/token";

  /** Lifetime assumed when an answer has no {@code expires_in} (Logto always sends one). */
  static final Duration UNKNOWN_LIFETIME = Duration.ofSeconds(60);

  private final HttpUrl url;
  private final RetryingExecutor executor;
  private final JsonCodec json;
  private final Clock clock;

  TokenEndpoint(HttpUrl url, RetryingExecutor executor, JsonCodec json, Clock clock) {
    this.url = url;
    this.executor = executor;
    this.json = json;
    this.clock = clock;
  }

  /**
   * Grants a token to {@code appId}. Asking for a scope the app lacks is not an error in Logto:
   * the grant simply leaves it out, so callers check {@link TokenGrant#grantedScopes()}.
   */
  TokenGrant grant(String appId, String appSecret, String resource, Collection<String> scopes) {
    FormBody.Builder form = new FormBody.Builder().add("grant_type", "client_credentials");
    if (resource != null) {
      form.add("resource", resource);
    }
    if (scopes != null && !scopes.isEmpty()) {
      form.add("scope", String.join(" ", scopes));
    }
    Request request =
        new Request.Builder()
            .url(url)
            .header("Authorization", basic(appId, appSecret))
            .header("Accept", "application/json")
            .post(form.build())
            .tag(PathTemplate.class, new PathTemplate(TEMPLATE))
            .build();
    Instant asked = clock.instant();
    // A token request creates nothing lasting: it may be sent again whatever went wrong.
    Answer answer = executor.execute(request, true);
    if (!answer.isSuccess()) {
      throw json.error(answer, "POST " + TEMPLATE);
    }
    return parse(answer, asked);
  }

  private TokenGrant parse(Answer answer, Instant asked) {
    JsonNode body = json.tree(answer.body());
    JsonNode token = body == null ? null : body.get("access_token");
    if (token == null || !token.isTextual() || token.asText().isEmpty()) {
      throw new LogtoException(answer.status(), null, "POST " + TEMPLATE + ": no access_token");
    }
    JsonNode expiresIn = body.get("expires_in");
    Duration lifetime =
        expiresIn != null && expiresIn.canConvertToLong()
            ? Duration.ofSeconds(expiresIn.asLong())
            : UNKNOWN_LIFETIME;
    return new TokenGrant(token.asText(), asked.plus(lifetime), scopesOf(body.get("scope")));
  }

  /** Logto omits {@code scope} when no scope was granted. */
  private static Set<String> scopesOf(JsonNode scope) {
    if (scope == null || !scope.isTextual() || scope.asText().isBlank()) {
      return Set.of();
    }
    return Set.copyOf(
        new LinkedHashSet<>(Arrays.asList(scope.asText().trim().split("\\s+"))));
  }

  /** RFC 6749 section 2.3.1: id and secret are form-urlencoded before Basic encoding. */
  static String basic(String appId, String appSecret) {
    String pair = formEncode(appId) + ":" + formEncode(appSecret);
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  private static String formEncode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
