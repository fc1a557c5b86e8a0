package io.logto.operator.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/** Serves /healthz (liveness), /readyz (readiness) and /metrics (Prometheus) on one port. */
public final class HealthServer implements AutoCloseable {

  private final HttpServer server;

  private HealthServer(HttpServer server) {
    this.server = server;
  }

  public static HealthServer start(int port, LogtoOperator operator, OperatorMetrics metrics)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "health-http");
      t.setDaemon(true);
      return t;
    }));
    var runtime = operator.operator().getRuntimeInfo();
    server.createContext("/healthz", exchange -> {
      boolean live = runtime.isStarted() && runtime.allEventSourcesAreHealthy();
      respond(exchange, live ? 200 : 503, live ? "ok\n" : "unhealthy event sources: "
          + runtime.unhealthyEventSources().keySet() + "\n", "text/plain");
    });
    server.createContext("/readyz", exchange -> {
      boolean ready = runtime.isStarted();
      respond(exchange, ready ? 200 : 503, ready ? "ok\n" : "starting\n", "text/plain");
    });
    server.createContext("/metrics", exchange ->
        respond(exchange, 200, metrics.scrape(), "text/plain; version=0.0.4; charset=utf-8"));
    server.start();
    return new HealthServer(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int status, String body, String type)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
