package io.logto.operator.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves every request: counts it, sleeps the added latency, answers injected faults, checks the
 * Management API token, then runs the matched route. Management API handlers run while holding the
 * tenant state's monitor, so each request sees and leaves a consistent state.
 */
final class SimulatorHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatorHandler.class);

  private final Router router;
  private final TenantState state;
  private final ManagementAuth auth;
  private final Faults faults;
  private final CallCounter counter;

  SimulatorHandler(Router router, TenantState state, ManagementAuth auth, Faults faults,
      CallCounter counter) {
    this.router = router;
    this.state = state;
    this.auth = auth;
    this.faults = faults;
    this.counter = counter;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      Reply reply;
      try {
        reply = serve(Request.read(exchange));
      } catch (RuntimeException e) {
        LOG.warn("simulator failed to serve {} {}", exchange.getRequestMethod(),
            exchange.getRequestURI(), e);
        reply = Errors.of(500, "unknown", "Internal server error: " + e).toReply();
      }
      write(exchange, reply);
    } finally {
      exchange.close();
    }
  }

  private Reply serve(Request request) {
    String path = request.path();
    boolean management = path.equals("/api") || path.startsWith("/api/");
    Router.Match match = router.match(request.method(), path);
    String template = match.found() ? match.route().template() : path;
    counter.record(request.method() + " " + template, management);
    boolean token = match.found() && template.equals("/oidc/token");
    if (token) {
      counter.recordTokenRequest(TokenEndpoint.presentedClientId(request));
    }
    faults.sleep();
    try {
      ApiError fault = management ? faults.nextApiFault() : token ? faults.nextTokenFault() : null;
      if (fault != null) {
        throw fault;
      }
      if (!match.found()) {
        throw match.error(request.method(), path);
      }
      Request routed = request.withPathParams(match.params());
      if (!management) {
        return match.route().handler().handle(routed);
      }
      auth.check(routed);
      synchronized (state) {
        return match.route().handler().handle(routed);
      }
    } catch (ApiError e) {
      return e.toReply();
    }
  }

  private static void write(HttpExchange exchange, Reply reply) throws IOException {
    for (Map.Entry<String, String> h : reply.headers()) {
      exchange.getResponseHeaders().add(h.getKey(), h.getValue());
    }
    byte[] body = reply.body();
    exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
