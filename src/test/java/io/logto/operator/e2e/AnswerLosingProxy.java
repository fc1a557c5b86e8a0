package io.logto.operator.e2e;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * An HTTP proxy on 127.0.0.1 between the operator and a real Logto that loses chosen answers:
 * the request goes to Logto, which does the work, and Logto's answer is thrown away and the
 * operator's connection closed, as when a network or a load balancer drops it on the way back.
 * The operator cannot tell whether the write happened; only what it finds in Logto afterwards
 * can. Every other request passes through unchanged.
 */
final class AnswerLosingProxy implements AutoCloseable {

  /** Set by the HTTP stacks on each hop, or refused by java.net.http. */
  private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "expect",
      "host", "upgrade", "keep-alive", "transfer-encoding", "accept-encoding", "date");

  /** One request whose answer is lost, as Logto gave it. */
  record Lost(String method, String path, int status) {
    @Override
    public String toString() {
      return method + " " + path + " (Logto answered " + status + ")";
    }
  }

  /** Loses the answer of the {@code nth} request matching, counted from when it was added. */
  private static final class Rule {
    private final String method;
    private final Pattern path;
    private final int nth;
    private final AtomicInteger seen = new AtomicInteger();

    Rule(String method, Pattern path, int nth) {
      this.method = method;
      this.path = path;
      this.nth = nth;
    }

    boolean fires(String requestMethod, String requestPath) {
      return method.equals(requestMethod) && path.matcher(requestPath).matches()
          && seen.incrementAndGet() == nth;
    }
  }

  private final URI target;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(32, r -> {
    Thread t = new Thread(r, "answer-losing-proxy");
    t.setDaemon(true);
    return t;
  });
  private final HttpClient upstream = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final List<Lost> lost = new CopyOnWriteArrayList<>();

  AnswerLosingProxy(URI target) throws IOException {
    this.target = target;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        64);
    server.createContext("/", this::forward);
    server.setExecutor(executor);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * Loses the answer of the {@code nth} request (1 for the next) with this method whose path
   * matches {@code pathRegex}.
   */
  void loseAnswer(String method, String pathRegex, int nth) {
    rules.add(new Rule(method, Pattern.compile(pathRegex), nth));
  }

  /** The requests whose answers were lost so far, in order. */
  List<Lost> lost() {
    return new ArrayList<>(lost);
  }

  private void forward(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      String query = exchange.getRequestURI().getRawQuery();
      HttpRequest.Builder request = HttpRequest.newBuilder(
              target.resolve(path + (query == null ? "" : "?" + query)))
          .timeout(Duration.ofSeconds(60))
          .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body));
      exchange.getRequestHeaders().forEach((name, values) -> {
        if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
          values.forEach(value -> request.header(name, value));
        }
      });
      HttpResponse<byte[]> response;
      try {
        response = upstream.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        // Logto unreachable: the operator sees its connection closed, as it would without us.
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      boolean lose = false;
      for (Rule rule : rules) {
        lose |= rule.fires(method, path); // every rule counts the request
      }
      if (lose) {
        // Closing the exchange before any response header closes the connection: the operator
        // reads an end of stream where its answer should be.
        lost.add(new Lost(method, path, response.statusCode()));
        return;
      }
      response.headers().map().forEach((name, values) -> {
        if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
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

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
