package io.logto.operator.logto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logto.operator.logto.model.Application;
import io.logto.operator.logto.model.NewApplication;
import io.logto.operator.logto.model.TokenGrant;
import io.logto.operator.packaging.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transport failures and TLS, against stub servers. */
class TransportTest {

  private static final String RESOURCE = "https://default.logto.app/api";

  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final LogtoCallListener listener = new LogtoCallListener() {
    @Override
    public void onCall(String method, String pathTemplate, int status, long durationNanos) {
      calls.add(method + " " + pathTemplate + " " + status);
    }
  };

  private static LogtoClientOptions fast(int retries) {
    return LogtoClientOptions.defaults()
        .withMaxRetries(retries)
        .withBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
        .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500));
  }

  private LogtoClient client(URI endpoint, LogtoClientOptions options) {
    return new LogtoClient(new LogtoConnection(endpoint, RESOURCE, "op", "op-secret"), options,
        listener);
  }

  @Test
  void aCreateIsSentAgainWhenTheConnectionWasRefused() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    try (LogtoClient client = client(URI.create("http://127.0.0.1:" + closedPort), fast(2))) {
      assertThatThrownBy(() -> client.createApplication(new NewApplication("a", null, null)))
          .isInstanceOfSatisfying(LogtoException.class, e -> {
            assertThat(e.status()).isEqualTo(LogtoException.NO_RESPONSE);
            assertThat(e.isUnavailable()).isTrue();
          });
    }
    // The token request is the first to meet the closed port: it is tried 1 + 2 times.
    assertThat(calls).containsExactly("POST /oidc/token 0", "POST /oidc/token 0",
        "POST /oidc/token 0");
  }

  @Test
  void aCreateWhoseAnswerIsLostIsNotSentAgainButAReadIs() {
    try (StubServer logto = StubServer.http(exchange -> {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/oidc/token")) {
        StubServer.respond(exchange, 200, StubServer.TOKEN_ANSWER);
        return;
      }
      try {
        Thread.sleep(1_500); // longer than the call timeout: the answer is lost
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
        LogtoClient client = client(logto.endpoint(), fast(2))) {
      assertThatThrownBy(() -> client.createApplication(new NewApplication("a", null, null)))
          .isInstanceOfSatisfying(LogtoException.class,
              e -> assertThat(e.status()).isEqualTo(LogtoException.NO_RESPONSE));
      assertThat(logto.requests()).containsExactly("POST /oidc/token", "POST /api/applications");

      assertThatThrownBy(() -> client.getApplication("a1")).isInstanceOf(LogtoException.class);
      assertThat(logto.requests()).filteredOn(r -> r.startsWith("GET"))
          .containsExactly("GET /api/applications/a1", "GET /api/applications/a1",
              "GET /api/applications/a1");
    }
    assertThat(calls).contains("POST /api/applications 0", "GET /api/applications/{id} 0");
  }

  @Test
  void noMoreThanTheBoundOfCallsIsInFlight() throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    try (StubServer logto = StubServer.http(exchange -> {
      if (exchange.getRequestURI().getPath().equals("/oidc/token")) {
        StubServer.respond(exchange, 200, StubServer.TOKEN_ANSWER);
        return;
      }
      mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        Thread.sleep(30);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        inFlight.decrementAndGet();
      }
      StubServer.respond(exchange, 200, "{\"id\":\"a1\",\"name\":\"a\"}");
    });
        LogtoClient client = client(logto.endpoint(), fast(0).withMaxConcurrentCalls(3))) {
      ExecutorService callers = Executors.newFixedThreadPool(12);
      try {
        List<Future<Application>> results = new ArrayList<>();
        for (int i = 0; i < 36; i++) {
          results.add(callers.submit(() -> client.getApplication("a1")));
        }
        for (Future<Application> result : results) {
          assertThat(result.get(10, TimeUnit.SECONDS).id()).isEqualTo("a1");
        }
      } finally {
        callers.shutdownNow();
      }
    }
    // Never above the bound; and the calls did overlap, so the bound was what held them back.
    assertThat(mostInFlight.get()).isBetween(2, 3);
  }

  @Test
  void aRedirectIsNotFollowed() {
    try (StubServer logto = StubServer.http(exchange -> {
      exchange.getResponseHeaders().set("Location", "http://elsewhere.invalid/oidc/token");
      exchange.sendResponseHeaders(307, -1);
    });
        LogtoClient client = client(logto.endpoint(), fast(0))) {
      assertThatThrownBy(() -> client.requestToken("app", "secret", RESOURCE, List.of("all")))
          .isInstanceOfSatisfying(LogtoException.class,
              e -> assertThat(e.status()).isEqualTo(307));
    }
  }

  @Test
  void tlsTrustsTheCaBundleOnTopOfThePlatform(@TempDir Path dir) throws Exception {
    Path keystore = dir.resolve("logto.p12");
    Path pem = dir.resolve("ca.pem");
    keytool("-genkeypair", "-alias", "logto", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2",
        "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
    keytool("-exportcert", "-rfc", "-alias", "logto", "-keystore", keystore.toString(),
        "-storepass", "changeit", "-file", pem.toString());

    try (StubServer logto = StubServer.https(serverTls(keystore),
        exchange -> StubServer.respond(exchange, 200, StubServer.TOKEN_ANSWER))) {
      // A first TLS handshake in a fresh JVM can be slow: no tight call timeout here.
      LogtoClientOptions patient = fast(0).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10));
      try (LogtoClient trusting = client(logto.endpoint(), patient.withCaBundle(pem))) {
        TokenGrant grant = trusting.requestToken("app", "secret", RESOURCE, List.of("all"));
        assertThat(grant.grantedScopes()).isEqualTo(Set.of("all"));
      }
      try (LogtoClient platformOnly = client(logto.endpoint(), patient)) {
        assertThatThrownBy(() -> platformOnly.requestToken("app", "secret", RESOURCE, List.of()))
            .isInstanceOfSatisfying(LogtoException.class,
                e -> assertThat(e.status()).isEqualTo(LogtoException.NO_RESPONSE));
      }
      assertThat(logto.requests()).containsExactly("POST /oidc/token");
    }
  }

  @Test
  void aCaBundleWithoutCertificatesIsRefusedAtOnce(@TempDir Path dir) throws IOException {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    assertThatThrownBy(() -> client(URI.create("https://localhost"), fast(0).withCaBundle(empty)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CA bundle");
  }

  @Test
  void anEndpointThatIsNotHttpIsRefused() {
    assertThatThrownBy(() -> client(URI.create("ftp://logto"), fast(0)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static SSLContext serverTls(Path keystore) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, "changeit".toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    return tls;
  }

  private static void keytool(String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    Processes.Result result = Processes.run(command, Map.of(), Duration.ofSeconds(30));
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

}
