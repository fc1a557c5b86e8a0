package io.logto.operator.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A pass-through HTTP proxy put between a Logto client and the simulator, on 127.0.0.1, that
 * records every credential crossing it: the access tokens the token endpoint issues, and every
 * Authorization header (Bearer tokens and Basic client credentials). The simulator does not list
 * the tokens it issued and the client does not expose its cached token, so this is how a test
 * learns every token the operator holds, including its own Management API token.
 */
final class RecordingLogtoProxy implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> FORWARDED = List.of("Authorization", "Content-Type", "Accept");

  private final URI target;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(16, r -> {
    Thread t = new Thread(r, "logto-proxy");
    t.setDaemon(true);
    return t;
  });
  private final HttpClient upstream =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Set<String> tokens = Collections.synchronizedSet(new LinkedHashSet<>());
  private final Set<String> authorizations = Collections.synchronizedSet(new LinkedHashSet<>());

  RecordingLogtoProxy(URI target) throws IOException {
    this.target = target;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/", this::forward);
    server.setExecutor(executor);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Every access token issued through the proxy. */
  Set<String> tokens() {
    synchronized (tokens) {
      return Set.copyOf(tokens);
    }
  }

  /** Every Authorization header value sent through the proxy ("Bearer ...", "Basic ..."). */
  Set<String> authorizations() {
    synchronized (authorizations) {
      return Set.copyOf(authorizations);
    }
  }

  private void forward(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      URI uri = target.resolve(exchange.getRequestURI().getRawPath()
          + (exchange.getRequestURI().getRawQuery() == null ? ""
              : "?" + exchange.getRequestURI().getRawQuery()));
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
          .method(exchange.getRequestMethod(), body.length == 0
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body));
      for (String header : FORWARDED) {
        String value = exchange.getRequestHeaders().getFirst(header);
        if (value != null) {
          request.header(header, value);
          if (header.equals("Authorization")) {
            authorizations.add(value);
          }
        }
      }
      HttpResponse<byte[]> response;
      try {
        response = upstream.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(502, -1);
        return;
      }
      if (exchange.getRequestURI().getPath().equals("/oidc/token")) {
        recordToken(response.body());
      }
      response.headers().map().forEach((name, values) -> {
        if (name.equalsIgnoreCase("content-type") || name.equalsIgnoreCase("retry-after")) {
          exchange.getResponseHeaders().put(name, values);
        }
      });
      byte[] answer = response.body();
      exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
    }
  }

  private void recordToken(byte[] body) {
    try {
      JsonNode json = JSON.readTree(body);
      if (json != null && json.hasNonNull("access_token")) {
        tokens.add(json.get("access_token").asText());
      }
    } catch (IOException e) {
      // Not JSON: an error page, no token in it.
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
