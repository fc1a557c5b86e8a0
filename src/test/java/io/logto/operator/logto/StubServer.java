package io.logto.operator.logto;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * A few scripted HTTP answers, for transport behaviour the Logto simulator cannot show (a server
 * that stalls, TLS with a private CA). Requests are recorded as "METHOD /path".
 */
final class StubServer implements AutoCloseable {

  private final HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  private StubServer(HttpServer server) {
    this.server = server;
  }

  static StubServer http(HttpHandler handler) {
    try {
      return start(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
          0), handler);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static StubServer https(SSLContext tls, HttpHandler handler) {
    try {
      HttpsServer server =
          HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setHttpsConfigurator(new HttpsConfigurator(tls));
      return start(server, handler);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static StubServer start(HttpServer server, HttpHandler handler) {
    StubServer stub = new StubServer(server);
    server.createContext("/", exchange -> {
      stub.requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
      try {
        handler.handle(exchange);
      } finally {
        exchange.close();
      }
    });
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
    return stub;
  }

  URI endpoint() {
    String scheme = server instanceof HttpsServer ? "https" : "http";
    return URI.create(scheme + "://localhost:" + server.getAddress().getPort());
  }

  List<String> requests() {
    return requests;
  }

  static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }

  static final String TOKEN_ANSWER =
      "{\"access_token\":\"stub-token\",\"expires_in\":3600,\"token_type\":\"Bearer\","
          + "\"scope\":\"all\"}";

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
