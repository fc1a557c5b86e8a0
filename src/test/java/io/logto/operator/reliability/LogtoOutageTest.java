package io.logto.operator.reliability;

import static io.logto.operator.reconciler.OperatorHarness.apiResource;
import static io.logto.operator.reconciler.OperatorHarness.app;
import static io.logto.operator.reconciler.OperatorHarness.decoded;
import static io.logto.operator.reconciler.OperatorHarness.permission;
import static io.logto.operator.reconciler.OperatorHarness.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.logto.operator.connection.ConnectionKey;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.logto.LogtoClient;
import io.logto.operator.logto.LogtoClientOptions;
import io.logto.operator.logto.LogtoConnection;
import io.logto.operator.reconciler.OperatorHarness;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogtoOutageTest {

  private OperatorHarness h;

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void outageKeepsIdsAndSecretBacksOffAndHealsByItself() throws Exception {
    h = OperatorHarness.start();
    h.create(apiResource("shop", "https://shop.api", "read"));
    h.create(role("reader", permission("shop", "read")));
    LogtoM2MApp client = h.create(app("client", "reader"));
    String appId = h.awaitReady(client).getStatus().getAppId();
    Map<String, String> secretBefore = decoded(h.secret("client-logto-credentials"));

    h.simulator.setFailureRate(1.0, 503);
    h.simulator.resetCounters();
    h.edit(client, a -> {
      a.getSpec().setDescription("changed during the outage");
      return a;
    });

    LogtoM2MApp failing = h.awaitReady(client, "LogtoUnavailable");
    assertThat(failing.getStatus().getAppId()).isEqualTo(appId);
    assertThat(h.readyReasonMessage(client)).contains("503");
    Thread.sleep(6000);
    // Backoff, not a tight loop: a handful of attempts (each with the client's own retries).
    long callsDuringOutage = h.simulator.managementCalls();
    assertThat(callsDuringOutage).isBetween(1L, 40L);
    assertThat(decoded(h.secret("client-logto-credentials"))).isEqualTo(secretBefore);
    assertThat(h.get(client).getStatus().getAppId()).isEqualTo(appId);

    h.simulator.clearFaults();
    h.awaitReadyWithin(client, "Synced", Duration.ofSeconds(60));
    assertThat(h.client.getApplication(appId).description()).isEqualTo("changed during the outage");
    assertThat(decoded(h.secret("client-logto-credentials"))).isEqualTo(secretBefore);
  }

  /**
   * Seen on a real Logto killed while 30 apps converged: a LogtoRole or LogtoApiResource whose
   * reconcile skipped Logto (nothing changed) ended "the outage" although Logto was still down,
   * which woke every object of the connection, whose failures began it again: about 25 wakes a
   * second for the whole outage, and each object's backoff driven to its 60 s cap, so that
   * everything waited a minute after Logto was back. Only an answer from Logto ends an outage.
   */
  @Test
  void aReconcileThatDoesNotAskLogtoDoesNotEndAnOutage() throws Exception {
    h = OperatorHarness.start();
    var shop = h.create(apiResource("shop", "https://shop.api", "read"));
    h.create(role("reader", permission("shop", "read")));
    LogtoM2MApp client = h.create(app("client", "reader"));
    h.awaitReady(client);
    h.awaitReady(shop);

    h.simulator.setFailureRate(1.0, 503);
    h.edit(client, a -> {
      a.getSpec().setDescription("changed during the outage");
      return a;
    });
    h.awaitReady(client, "LogtoUnavailable");
    var outages = h.operator().connections().outages();
    assertThat(outages.isDown(ConnectionKey.DEFAULT)).isTrue();

    // The API resource reconciles without asking Logto: it only writes its ConfigMap back.
    // (The woken objects' failures soon say "down" again: watch every moment, not the end.)
    h.k8s.configMaps().inNamespace(OperatorHarness.NS).withName("shop-logto-api").delete();
    boolean everUp = false;
    long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (System.nanoTime() < until) {
      everUp |= !outages.isDown(ConnectionKey.DEFAULT);
    }
    assertThat(h.k8s.configMaps().inNamespace(OperatorHarness.NS).withName("shop-logto-api")
        .get()).as("the ConfigMap written back").isNotNull();
    assertThat(everUp).as("Logto still answers nothing: the outage went on throughout")
        .isFalse();

    h.simulator.clearFaults();
    h.awaitReadyWithin(client, "Synced", Duration.ofSeconds(60));
    assertThat(outages.isDown(ConnectionKey.DEFAULT)).isFalse();
  }

  @Test
  void unreachableLogtoIsReportedWithoutCrashingAndCreatesNothing() throws Exception {
    h = OperatorHarness.startWithoutOperator();
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    LogtoConnection nowhere =
        new LogtoConnection(URI.create("http://127.0.0.1:" + closedPort),
            h.connection.managementApiResource(), h.connection.appId(), h.connection.appSecret());
    try (LogtoClient refused = new LogtoClient(nowhere, LogtoClientOptions.defaults()
        .withMaxRetries(1).withBackoff(Duration.ofMillis(10), Duration.ofMillis(50)))) {
      h.startOperator(refused, Set.of());
      var shop = h.create(apiResource("shop", "https://shop.api", "read"));
      h.awaitReady(shop, "LogtoUnavailable");
      assertThat(h.get(shop).getStatus().getResourceId()).isNull();
      assertThat(h.operator().operator().getRuntimeInfo().isStarted()).isTrue();
      h.stopOperator();
    }
  }
}
