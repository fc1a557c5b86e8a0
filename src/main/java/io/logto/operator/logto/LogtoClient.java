package io.logto.operator.logto;

import com.fasterxml.jackson.core.type.TypeReference;
import io.logto.operator.logto.model.ApiResource;
import io.logto.operator.logto.model.ApiResourceUpdate;
import io.logto.operator.logto.model.Application;
import io.logto.operator.logto.model.ApplicationSecret;
import io.logto.operator.logto.model.ApplicationUpdate;
import io.logto.operator.logto.model.NewApiResource;
import io.logto.operator.logto.model.NewApplication;
import io.logto.operator.logto.model.NewRole;
import io.logto.operator.logto.model.Role;
import io.logto.operator.logto.model.RoleUpdate;
import io.logto.operator.logto.model.Scope;
import io.logto.operator.logto.model.TokenGrant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The Logto Management API over OkHttp: the operator's token cached and shared, retries of 429,
 * 5xx and failed connections (never a duplicate create), a bound on calls in flight, pages read to
 * the end, and no secret in logs or exceptions. Thread-safe: one instance serves the operator.
 */
public final class LogtoClient implements LogtoApi, AutoCloseable {

  private static final String M2M = Role.MACHINE_TO_MACHINE;

  private static final TypeReference<List<Application>> APPLICATIONS = new TypeReference<>() {};
  private static final TypeReference<List<Role>> ROLES = new TypeReference<>() {};
  private static final TypeReference<List<Scope>> SCOPES = new TypeReference<>() {};
  private static final TypeReference<List<ApiResource>> RESOURCES = new TypeReference<>() {};
  private static final TypeReference<List<ApplicationSecret>> SECRETS =
      new TypeReference<>() {};

  private final OkHttpClient http;
  private final JsonCodec json = new JsonCodec();
  private final TokenEndpoint tokenEndpoint;
  private final ManagementApiCaller api;
  private final Paginator pages;

  public LogtoClient(LogtoConnection connection, LogtoClientOptions options) {
    this(connection, options, LogtoCallListener.NONE);
  }

  public LogtoClient(
      LogtoConnection connection, LogtoClientOptions options, LogtoCallListener listener) {
    Objects.requireNonNull(connection, "connection");
    validate(options);
    LogtoCallListener observer = listener == null ? LogtoCallListener.NONE : listener;
    Clock clock = Clock.systemUTC();
    HttpUrl endpoint = endpointOf(connection);
    this.http = HttpClientFactory.create(options, new Redactor(json));
    RetryingExecutor executor =
        new RetryingExecutor(
            new HttpExchanger(http, options.maxConcurrentCalls(), observer),
            new RetryPolicy(options.maxRetries(), options.initialBackoff(), options.maxBackoff()));
    this.tokenEndpoint =
        new TokenEndpoint(HttpUrl.get(connection.tokenEndpoint()), executor, json, clock);
    ManagementTokenProvider tokens =
        new ManagementTokenProvider(
            () -> tokenEndpoint.grant(
                connection.appId(),
                connection.appSecret(),
                connection.managementApiResource(),
                List.of("all")),
            options.tokenRefreshMargin(),
            clock,
            observer);
    this.api = new ManagementApiCaller(endpoint, executor, tokens, json);
    this.pages = new Paginator(api, json);
  }

  // Applications

  @Override
  public Application createApplication(NewApplication application) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", application.name());
    body.put("type", M2M);
    putIfPresent(body, "description", application.description());
    putIfPresent(body, "customData", application.customData());
    return json.read(create(ApiPath.of("/api/applications"), body), Application.class,
        "POST /api/applications");
  }

  @Override
  public Application getApplication(String id) {
    return get(ApiPath.of("/api/applications/{id}", id), Application.class);
  }

  @Override
  public List<Application> listApplications() {
    return pages.readAll(ApiPath.of("/api/applications"), Map.of("types", M2M), APPLICATIONS,
        Application::id);
  }

  @Override
  public Application updateApplication(String id, ApplicationUpdate update) {
    return patch(ApiPath.of("/api/applications/{id}", id), update, Application.class);
  }

  @Override
  public void deleteApplication(String id) {
    delete(ApiPath.of("/api/applications/{id}", id));
  }

  // Application roles

  @Override
  public List<Role> listApplicationRoles(String applicationId) {
    return pages.readAll(ApiPath.of("/api/applications/{id}/roles", applicationId), Map.of(),
        ROLES, Role::id);
  }

  /**
   * Logto 1.42 ignores roles already assigned; 1.37 refuses the whole call with 422 {@code
   * application.role_exists} if any is (applications/application-role.ts). Then only the missing
   * ones are sent.
   */
  @Override
  public void assignApplicationRoles(String applicationId, Collection<String> roleIds) {
    addMissing(
        ApiPath.of("/api/applications/{id}/roles", applicationId),
        "roleIds",
        roleIds,
        "application.role_exists",
        () -> ids(listApplicationRoles(applicationId), Role::id));
  }

  @Override
  public void removeApplicationRole(String applicationId, String roleId) {
    delete(ApiPath.of("/api/applications/{id}/roles/{roleId}", applicationId, roleId));
  }

  // Application secrets

  @Override
  public List<ApplicationSecret> listApplicationSecrets(String applicationId) {
    Answer answer = api.call("GET", ApiPath.of("/api/applications/{id}/secrets", applicationId),
        Map.of(), null, true);
    return json.read(answer, SECRETS, "GET /api/applications/{id}/secrets");
  }

  @Override
  public ApplicationSecret createApplicationSecret(
      String applicationId, String name, Instant expiresAt) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    putIfPresent(body, "expiresAt", expiresAt == null ? null : expiresAt.toEpochMilli());
    ApiPath path = ApiPath.of("/api/applications/{id}/secrets", applicationId);
    return json.read(create(path, body), ApplicationSecret.class, "POST " + path.template());
  }

  @Override
  public void deleteApplicationSecret(String applicationId, String name) {
    delete(ApiPath.of("/api/applications/{id}/secrets/{name}", applicationId, name));
  }

  // Roles

  @Override
  public Role createRole(NewRole role) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", role.name());
    putIfPresent(body, "description", role.description());
    body.put("type", M2M);
    if (role.scopeIds() != null && !role.scopeIds().isEmpty()) {
      body.put("scopeIds", List.copyOf(new LinkedHashSet<>(role.scopeIds())));
    }
    return json.read(create(ApiPath.of("/api/roles"), body), Role.class, "POST /api/roles");
  }

  @Override
  public Role getRole(String id) {
    return get(ApiPath.of("/api/roles/{id}", id), Role.class);
  }

  /**
   * Logto's {@code search} is a case-insensitive LIKE over id, name and description, with the
   * value used as the pattern itself (utils/search.ts, queries/roles.ts): it finds a superset, from
   * which the exact name is picked here. {@code %} and {@code _} in a name match themselves as
   * wildcards; a backslash, LIKE's escape character, is sent as {@code _}, which matches it.
   */
  @Override
  public Optional<Role> findRoleByName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      return Optional.empty();
    }
    String pattern = name.replace('\\', '_');
    return pages.readAll(ApiPath.of("/api/roles"), Map.of("search", pattern), ROLES, Role::id)
        .stream()
        .filter(role -> name.equals(role.name()))
        .findFirst();
  }

  @Override
  public List<Role> listRoles() {
    return pages.readAll(ApiPath.of("/api/roles"), Map.of("type", M2M), ROLES, Role::id);
  }

  @Override
  public Role updateRole(String id, RoleUpdate update) {
    return patch(ApiPath.of("/api/roles/{id}", id), update, Role.class);
  }

  @Override
  public void deleteRole(String id) {
    delete(ApiPath.of("/api/roles/{id}", id));
  }

  @Override
  public List<Scope> listRoleScopes(String roleId) {
    return pages.readAll(ApiPath.of("/api/roles/{id}/scopes", roleId), Map.of(), SCOPES,
        Scope::id);
  }

  /** Logto refuses the whole call with 422 {@code role.scope_exists} (role.scope.ts) if one is. */
  @Override
  public void addRoleScopes(String roleId, Collection<String> scopeIds) {
    addMissing(
        ApiPath.of("/api/roles/{id}/scopes", roleId),
        "scopeIds",
        scopeIds,
        "role.scope_exists",
        () -> ids(listRoleScopes(roleId), Scope::id));
  }

  @Override
  public void removeRoleScope(String roleId, String scopeId) {
    delete(ApiPath.of("/api/roles/{id}/scopes/{scopeId}", roleId, scopeId));
  }

  @Override
  public List<Application> listRoleApplications(String roleId) {
    return pages.readAll(ApiPath.of("/api/roles/{id}/applications", roleId), Map.of(),
        APPLICATIONS, Application::id);
  }

  // API resources

  @Override
  public ApiResource createApiResource(NewApiResource resource) {
    return json.read(create(ApiPath.of("/api/resources"), resource), ApiResource.class,
        "POST /api/resources");
  }

  @Override
  public ApiResource getApiResource(String id) {
    return get(ApiPath.of("/api/resources/{id}", id), ApiResource.class);
  }

  @Override
  public Optional<ApiResource> findApiResourceByIndicator(String indicator) {
    Objects.requireNonNull(indicator, "indicator");
    return listApiResources().stream()
        .filter(resource -> indicator.equals(resource.indicator()))
        .findFirst();
  }

  @Override
  public List<ApiResource> listApiResources() {
    return pages.readAll(ApiPath.of("/api/resources"), Map.of("includeScopes", "true"), RESOURCES,
        ApiResource::id);
  }

  @Override
  public ApiResource updateApiResource(String id, ApiResourceUpdate update) {
    return patch(ApiPath.of("/api/resources/{id}", id), update, ApiResource.class);
  }

  @Override
  public void deleteApiResource(String id) {
    delete(ApiPath.of("/api/resources/{id}", id));
  }

  @Override
  public List<Scope> listScopes(String resourceId) {
    return pages.readAll(ApiPath.of("/api/resources/{id}/scopes", resourceId), Map.of(), SCOPES,
        Scope::id);
  }

  @Override
  public Scope createScope(String resourceId, String name, String description) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    putIfPresent(body, "description", description);
    ApiPath path = ApiPath.of("/api/resources/{id}/scopes", resourceId);
    return json.read(create(path, body), Scope.class, "POST " + path.template());
  }

  @Override
  public Scope updateScope(String resourceId, String scopeId, String name, String description) {
    Map<String, Object> body = new LinkedHashMap<>();
    putIfPresent(body, "name", name);
    putIfPresent(body, "description", description);
    return patch(ApiPath.of("/api/resources/{id}/scopes/{scopeId}", resourceId, scopeId), body,
        Scope.class);
  }

  @Override
  public void deleteScope(String resourceId, String scopeId) {
    delete(ApiPath.of("/api/resources/{id}/scopes/{scopeId}", resourceId, scopeId));
  }

  // Tokens

  @Override
  public TokenGrant requestToken(
      String appId, String appSecret, String resource, Collection<String> scopes) {
    Objects.requireNonNull(appId, "appId");
    Objects.requireNonNull(appSecret, "appSecret");
    return tokenEndpoint.grant(appId, appSecret, resource, scopes == null ? List.of() : scopes);
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  // Plumbing

  private <T> T get(ApiPath path, Class<T> type) {
    return json.read(api.call("GET", path, Map.of(), null, true), type, "GET " + path.template());
  }

  private <T> T patch(ApiPath path, Object body, Class<T> type) {
    Objects.requireNonNull(body, "update");
    return json.read(api.call("PATCH", path, Map.of(), body, true), type,
        "PATCH " + path.template());
  }

  private void delete(ApiPath path) {
    api.call("DELETE", path, Map.of(), null, true);
  }

  /** A POST that creates something: never sent twice unless Logto cannot have processed it. */
  private Answer create(ApiPath path, Object body) {
    return api.call("POST", path, Map.of(), body, false);
  }

  /**
   * POSTs {@code {field: ids}} to a route that links ids to an object. When Logto refuses the
   * whole call because one id is linked already ({@code existsCode}), reads what is linked and
   * sends only the rest. Linking is a set union, so the POST may be retried like a PUT.
   */
  private void addMissing(
      ApiPath path,
      String field,
      Collection<String> ids,
      String existsCode,
      Supplier<Set<String>> linked) {
    Objects.requireNonNull(ids, field);
    List<String> wanted = List.copyOf(new LinkedHashSet<>(ids));
    if (wanted.isEmpty()) {
      return;
    }
    Answer answer = api.send("POST", path, Map.of(), Map.of(field, wanted), true);
    if (answer.isSuccess()) {
      return;
    }
    LogtoException refused = json.error(answer, "POST " + path.template());
    if (!existsCode.equals(refused.code())) {
      throw refused;
    }
    Set<String> present = linked.get();
    List<String> missing = wanted.stream().filter(id -> !present.contains(id)).toList();
    if (!missing.isEmpty()) {
      api.call("POST", path, Map.of(), Map.of(field, missing), true);
    }
  }

  private static <T> Set<String> ids(List<T> items, Function<T, String> id) {
    return items.stream().map(id).collect(Collectors.toSet());
  }

  private static void putIfPresent(Map<String, Object> body, String name, Object value) {
    if (value != null) {
      body.put(name, value);
    }
  }

  private static HttpUrl endpointOf(LogtoConnection connection) {
    HttpUrl url = HttpUrl.parse(connection.endpoint().toString());
    if (url == null) {
      throw new IllegalArgumentException(
          "Logto endpoint must be an http:// or https:// URL: " + connection.endpoint());
    }
    if (url.query() != null || url.fragment() != null) {
      throw new IllegalArgumentException("Logto endpoint must not have a query or fragment");
    }
    return url;
  }

  private static void validate(LogtoClientOptions options) {
    Objects.requireNonNull(options, "options");
    requirePositive(options.connectTimeout(), "connectTimeout");
    requirePositive(options.callTimeout(), "callTimeout");
    Objects.requireNonNull(options.initialBackoff(), "initialBackoff");
    Objects.requireNonNull(options.maxBackoff(), "maxBackoff");
    Objects.requireNonNull(options.tokenRefreshMargin(), "tokenRefreshMargin");
    if (options.maxRetries() < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative");
    }
    if (options.maxConcurrentCalls() < 1) {
      throw new IllegalArgumentException("maxConcurrentCalls must be at least 1");
    }
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
