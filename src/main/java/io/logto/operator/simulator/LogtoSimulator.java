package io.logto.operator.simulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process, stateful stand-in for a Logto tenant ("default"): {@code /oidc/token} (client
 * credentials, ES384 JWTs, {@code /oidc/jwks}) and the Management API ({@code /api}) for
 * applications, application secrets, roles, API resources and scopes, with Logto's paths, payloads,
 * statuses and error codes (following v1.42 where versions differ). Listens on 127.0.0.1.
 *
 * <p>A fresh simulator holds the Management API resource ({@code https://default.logto.app/api},
 * scope {@code all}), the M2M role "Logto Management API access" holding that scope, and the
 * bootstrap M2M application ("operator bootstrap") with that role and the given secret as its
 * "Default secret".
 *
 * <p>Test controls add latency, inject failures, switch to v1.37 behaviour, invalidate tokens, and
 * count calls.
 */
public final class LogtoSimulator implements AutoCloseable {
  /** The Management API resource indicator of the "default" tenant. */
  public static final String MANAGEMENT_API_RESOURCE = "https://default.logto.app/api";

  private static final int THREADS = 128;
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  static {
    // The JDK server otherwise leaves Nagle's algorithm on: ~40 ms stalls on keep-alive requests.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final URI endpoint;
  private final String bootstrapAppId;
  private final String bootstrapAppSecret;
  private final TenantState state;
  private final TokenService tokens;
  private final Faults faults = new Faults();
  private final CallCounter counter = new CallCounter();
  private final Compatibility compatibility = new Compatibility();

  private LogtoSimulator(int port, String bootstrapAppId, String bootstrapAppSecret)
      throws IOException {
    this.bootstrapAppId = bootstrapAppId;
    this.bootstrapAppSecret = bootstrapAppSecret;
    this.state = new TenantState(MANAGEMENT_API_RESOURCE, bootstrapAppId, bootstrapAppSecret);
    this.server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
    this.endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    this.tokens = new TokenService(endpoint + "/oidc");
    Router router = routes();
    server.createContext("/", new SimulatorHandler(router, state,
        new ManagementAuth(tokens, MANAGEMENT_API_RESOURCE), faults, counter));
    int instance = INSTANCES.incrementAndGet();
    this.executor = Executors.newFixedThreadPool(THREADS, daemonThreads("logto-simulator-"
        + instance + "-"));
    server.setExecutor(executor);
    server.start();
  }

  private Router routes() {
    Router router = new Router();
    ApiContext ctx = new ApiContext(state, new Views(compatibility), compatibility,
        endpoint.toString());
    new TokenEndpoint(state, tokens, compatibility).register(router);
    new OidcMetadataRoutes(tokens).register(router);
    new ApplicationRoutes(ctx).register(router);
    new ApplicationSecretRoutes(ctx).register(router);
    new ApplicationRoleRoutes(ctx).register(router);
    RoleScopeRoutes roleScopes = new RoleScopeRoutes(ctx);
    new RoleRoutes(ctx, roleScopes).register(router);
    roleScopes.register(router);
    new RoleApplicationRoutes(ctx).register(router);
    ResourceRoutes resources = new ResourceRoutes(ctx);
    resources.register(router);
    new ResourceScopeRoutes(ctx, resources).register(router);
    return router;
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * Starts a simulator on 127.0.0.1.
   *
   * @param port the port, 0 for an ephemeral one
   * @param bootstrapAppId the id of the bootstrap M2M application
   * @param bootstrapAppSecret its "Default secret"
   */
  public static LogtoSimulator start(int port, String bootstrapAppId, String bootstrapAppSecret) {
    if (bootstrapAppId == null || bootstrapAppId.isEmpty() || bootstrapAppSecret == null
        || bootstrapAppSecret.isEmpty()) {
      throw new IllegalArgumentException("the bootstrap app id and secret are required");
    }
    try {
      return new LogtoSimulator(port, bootstrapAppId, bootstrapAppSecret);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Logto simulator on port " + port, e);
    }
  }

  /** Starts a simulator on an ephemeral port with a random bootstrap app id and secret. */
  public static LogtoSimulator start() {
    return start(0, Ids.id(), Ids.secret());
  }

  /** The base URL, e.g. {@code http://127.0.0.1:34567}. */
  public URI endpoint() {
    return endpoint;
  }

  public int port() {
    return endpoint.getPort();
  }

  /** The token issuer, {@code <endpoint>/oidc}. */
  public String issuer() {
    return tokens.issuer();
  }

  public String bootstrapAppId() {
    return bootstrapAppId;
  }

  public String bootstrapAppSecret() {
    return bootstrapAppSecret;
  }

  // Test controls

  /** Latency added to every call (slept in the request thread, so calls overlap). */
  public void setLatency(Duration perCall) {
    faults.latency(perCall);
  }

  /**
   * The next {@code count} calls to {@code /api} answer {@code status} with a {@code {code,
   * message}} body; 429 carries {@code Retry-After: 1}.
   */
  public void failNext(int count, int status) {
    faults.failNextApiCalls(count, status, null);
  }

  /** As {@link #failNext(int, int)}, with {@code Retry-After} (whole seconds, rounded up). */
  public void failNext(int count, int status, Duration retryAfter) {
    faults.failNextApiCalls(count, status, retryAfter);
  }

  /** The next {@code count} calls to {@code /oidc/token} answer {@code status}. */
  public void failNextTokenRequests(int count, int status) {
    faults.failNextTokenRequests(count, status, null);
  }

  /** A share in [0, 1] of {@code /api} calls, at random, answer {@code status}. */
  public void setFailureRate(double share, int status) {
    faults.failureRate(share, status);
  }

  /** Removes latency and every injected failure. */
  public void clearFaults() {
    faults.clear();
  }

  /**
   * Logto v1.37's {@code POST /api/applications/{id}/roles}: a plain-text "Created" body, and 422
   * {@code application.role_exists} when a role is already assigned. Off (v1.42) by default.
   */
  public void setLegacyRoleAssignment(boolean v1_37) {
    compatibility.legacyRoleAssignment(v1_37);
  }

  /**
   * Logto v1.37's application answers carry the internal secret ({@code "internal_..."}, not a
   * credential) as {@code secret}; v1.42 (the default) omits it.
   */
  public void setLegacyApplicationSecret(boolean v1_37) {
    compatibility.legacyApplicationSecret(v1_37);
  }

  /**
   * The clock by which applications and secrets are created and secrets expire (access tokens
   * keep the system clock, as their JWTs are checked against it).
   */
  public void useClock(Clock clock) {
    state.useClock(clock);
  }

  /** The lifetime of access tokens issued from now on (instead of the resource's); null resets. */
  public void setAccessTokenTtl(Duration ttl) {
    compatibility.accessTokenTtlOverride(ttl);
  }

  /** Every token issued so far is rejected with 401 on {@code /api}. */
  public void expireAllTokens() {
    tokens.revokeAll();
  }

  /** Calls to {@code POST /oidc/token}, all clients. */
  public long tokenRequests() {
    return counter.tokenRequests();
  }

  /** Calls to {@code POST /oidc/token} presenting this client id. */
  public long tokenRequests(String clientId) {
    return counter.tokenRequests(clientId);
  }

  /**
   * Calls per "METHOD /path-template" (e.g. {@code "POST /api/applications/{id}/roles"}, {@code
   * "POST /oidc/token"}), including calls answered by injected faults; unmatched paths are counted
   * under their raw path.
   */
  public Map<String, Long> callCounts() {
    return counter.snapshot();
  }

  /** Calls to {@code /api/**}. */
  public long managementCalls() {
    return counter.managementCalls();
  }

  public void resetCounters() {
    counter.reset();
  }

  /** Applications, not counting the bootstrap application. */
  public int applicationCount() {
    synchronized (state) {
      return state.applicationCount();
    }
  }

  /** Roles, not counting the built-in "Logto Management API access" role. */
  public int roleCount() {
    synchronized (state) {
      return state.roleCount();
    }
  }

  /** API resources, not counting the Management API. */
  public int resourceCount() {
    synchronized (state) {
      return state.resourceCount();
    }
  }

  /** Stops the server at once. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
