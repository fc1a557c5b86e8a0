package io.logto.operator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logto.operator.simulator.Model.App;
import io.logto.operator.simulator.Model.Resource;
import io.logto.operator.simulator.Model.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /oidc/token} with {@code grant_type=client_credentials}, as Logto (oidc-provider plus
 * Logto's client-credentials grant): client authentication by HTTP Basic or {@code
 * client_id}/{@code client_secret} in the body, against any of the application's secrets (an
 * expired one is 400 {@code invalid_request}); one {@code resource} (none: Logto's default
 * resource if one is set, else 400 {@code invalid_target}); the granted scopes are the requested
 * ones the application's roles hold for that resource; unknown ones are left out.
 */
final class TokenEndpoint {
  private static final Set<String> SUPPORTED_GRANTS = Set.of("authorization_code",
      "refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange",
      "urn:ietf:params:oauth:grant-type:device_code");

  private final TenantState state;
  private final TokenService tokens;
  private final Compatibility compatibility;

  private record Credentials(String clientId, String clientSecret) {}

  private record Grant(String clientId, String audience, String scope, long ttl) {}

  TokenEndpoint(TenantState state, TokenService tokens, Compatibility compatibility) {
    this.state = state;
    this.tokens = tokens;
    this.compatibility = compatibility;
  }

  void register(Router router) {
    router.add("POST", "/oidc/token", this::token);
  }

  private Reply token(Request request) {
    Map<String, List<String>> params = params(request);
    Credentials credentials = credentials(request, params);
    Grant grant;
    synchronized (state) {
      App app = authenticate(credentials);
      for (Map.Entry<String, List<String>> e : params.entrySet()) {
        if (!e.getKey().equals("resource") && e.getValue().size() > 1) {
          throw OidcErrors.invalidRequest(
              "'" + e.getKey() + "' parameter must only be provided once");
        }
      }
      grant = clientCredentials(app, params);
    }
    TokenService.Issued issued =
        tokens.issue(grant.clientId(), grant.audience(), grant.scope(), grant.ttl());
    ObjectNode body = Json.object();
    body.put("access_token", issued.token());
    body.put("expires_in", issued.expiresIn());
    body.put("token_type", "Bearer");
    if (grant.scope() != null) {
      body.put("scope", grant.scope());
    }
    return Reply.json(200, body).header("Cache-Control", "no-store").header("Pragma", "no-cache");
  }

  /** The form (or, as Logto also accepts, JSON) parameters. */
  private static Map<String, List<String>> params(Request request) {
    String type = request.header("content-type");
    String mediaType = type == null ? "" : type.split(";")[0].trim().toLowerCase();
    if (mediaType.equals("application/x-www-form-urlencoded")) {
      return Request.parseForm(new String(request.body(), StandardCharsets.UTF_8));
    }
    if (mediaType.equals("application/json")) {
      JsonNode json;
      try {
        json = request.json();
      } catch (ApiError e) {
        throw OidcErrors.invalidRequest("failed to parse the request body");
      }
      Map<String, List<String>> out = new LinkedHashMap<>();
      json.properties().forEach(e -> out.put(e.getKey(), e.getValue().isArray()
          ? textList(e.getValue()) : List.of(e.getValue().asText())));
      return out;
    }
    throw OidcErrors.invalidRequest(
        "only application/x-www-form-urlencoded content-type bodies are supported on POST /token");
  }

  private static List<String> textList(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }

  private static Credentials credentials(Request request, Map<String, List<String>> params) {
    String bodyId = first(params, "client_id");
    String bodySecret = first(params, "client_secret");
    String authorization = request.header("authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      String[] pair = basic(authorization);
      if (pair == null) {
        throw OidcErrors.invalidRequest("invalid authorization header value format");
      }
      if (bodySecret != null) {
        throw OidcErrors.invalidRequest(
            "client authentication must only be provided using one mechanism");
      }
      if (bodyId != null && !bodyId.equals(pair[0])) {
        throw OidcErrors.invalidRequest("mismatch in body and authorization client ids");
      }
      return new Credentials(pair[0], pair[1]);
    }
    if (bodyId == null || bodyId.isEmpty()) {
      throw OidcErrors.invalidRequest("no client authentication mechanism provided");
    }
    return new Credentials(bodyId, bodySecret);
  }

  /** The client id presented by a token request (Basic or body), for counting; may be null. */
  static String presentedClientId(Request request) {
    String authorization = request.header("authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      String[] pair = basic(authorization);
      return pair == null ? null : pair[0];
    }
    String type = request.header("content-type");
    if (type != null && type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
      return first(Request.parseForm(new String(request.body(), StandardCharsets.UTF_8)),
          "client_id");
    }
    return null;
  }

  /** id and secret of a Basic header, each form-decoded as RFC 6749 2.3.1 says; null if bad. */
  private static String[] basic(String authorization) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
          StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return null;
    }
    return new String[] {Request.decodeForm(decoded.substring(0, colon)),
        Request.decodeForm(decoded.substring(colon + 1))};
  }

  private static String first(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private App authenticate(Credentials credentials) {
    App app = state.apps.get(credentials.clientId());
    if (app == null) {
      throw OidcErrors.unknownClient(credentials.clientId());
    }
    boolean isPublic = app.type.equals("SPA") || app.type.equals("Native");
    String secret = credentials.clientSecret();
    if (isPublic) {
      if (secret != null) {
        throw OidcErrors.invalidClient();
      }
      return app;
    }
    if (secret == null) {
      throw OidcErrors.invalidClient();
    }
    for (Secret s : app.secrets.values()) {
      if (s.value.equals(secret)) {
        if (s.isExpired(state.now())) {
          throw OidcErrors.invalidRequest("client secret has expired");
        }
        return app;
      }
    }
    if (app.internalSecret.equals(secret)) {
      return app;
    }
    throw OidcErrors.invalidClient();
  }

  private Grant clientCredentials(App app, Map<String, List<String>> params) {
    String grantType = first(params, "grant_type");
    if (grantType == null || grantType.isEmpty()) {
      throw OidcErrors.invalidRequest("missing required parameter 'grant_type'");
    }
    if (!SUPPORTED_GRANTS.contains(grantType)) {
      throw OidcErrors.of(400, "unsupported_grant_type", "unsupported grant_type requested");
    }
    boolean allowed = app.isMachineToMachine() ? grantType.equals("client_credentials")
        : grantType.equals("authorization_code") || grantType.equals("refresh_token");
    if (!allowed) {
      throw OidcErrors.of(400, "unauthorized_client",
          "requested grant type is not allowed for this client");
    }
    if (!grantType.equals("client_credentials")) {
      throw OidcErrors.of(400, "invalid_grant", "grant request is invalid");
    }
    if (first(params, "organization_id") != null) {
      throw OidcErrors.of(403, "access_denied", "app has not associated with the organization");
    }
    Resource resource = resource(params.getOrDefault("resource", List.of()));
    Set<String> requested = new LinkedHashSet<>();
    String scopeParam = first(params, "scope");
    if (scopeParam != null && !scopeParam.isEmpty()) {
      requested.addAll(List.of(scopeParam.split(" ")));
    }
    List<String> available = state.scopeNamesGranted(app.id, resource.indicator);
    List<String> granted = requested.stream().filter(available::contains).toList();
    Duration override = compatibility.accessTokenTtlOverride();
    long ttl = override != null ? override.toSeconds() : resource.accessTokenTtl;
    return new Grant(app.id, resource.indicator,
        granted.isEmpty() ? null : String.join(" ", granted), ttl);
  }

  private Resource resource(List<String> requested) {
    Set<String> indicators = new LinkedHashSet<>(requested);
    if (indicators.isEmpty()) {
      Resource fallback = state.defaultResource();
      if (fallback == null) {
        throw OidcErrors.invalidTarget("both `resource` and `organization_id` are not provided");
      }
      return fallback;
    }
    for (String indicator : indicators) {
      try {
        URI uri = new URI(indicator);
        if (!uri.isAbsolute()) {
          throw OidcErrors.invalidTarget("resource indicator must be an absolute URI");
        }
        if (uri.getRawFragment() != null) {
          throw OidcErrors.invalidTarget(
              "resource indicator must not contain a fragment component");
        }
      } catch (URISyntaxException e) {
        throw OidcErrors.invalidTarget("resource indicator must be an absolute URI");
      }
    }
    if (indicators.size() > 1) {
      throw OidcErrors.invalidTarget(
          "only a single resource indicator value is supported for this grant type");
    }
    Resource resource = state.resourceByIndicator(indicators.iterator().next());
    if (resource == null) {
      throw OidcErrors.invalidTarget("resource indicator is missing, or unknown");
    }
    return resource;
  }
}
