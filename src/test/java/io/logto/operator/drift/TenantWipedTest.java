package io.logto.operator.drift;

import static io.logto.operator.reconciler.OperatorHarness.apiResource;
import static io.logto.operator.reconciler.OperatorHarness.app;
import static io.logto.operator.reconciler.OperatorHarness.permission;
import static io.logto.operator.reconciler.OperatorHarness.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.logto.LogtoException;
import io.logto.operator.reconciler.OperatorHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A tenant wiped under the operator (Logto restored empty, say): every id it recorded answers
 * 404. One resync must bring everything back, each object recreated in the reconcile that found
 * its id gone, and the Secret must hold working credentials of the new app without a wait for
 * a backoff.
 */
class TenantWipedTest {

  private OperatorHarness h;

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void afterATenantIsWipedOneResyncRecreatesEverythingAndTheSecretWorksAtOnce() {
    h = OperatorHarness.start();
    h.awaitReady(h.create(apiResource("shop", "https://shop.api", "read")));
    h.awaitReady(h.create(role("reader", permission("shop", "read"))));
    LogtoM2MApp client = h.awaitReady(h.create(app("client", "reader")));
    String oldApp = client.getStatus().getAppId();

    // The wipe: what the operator created is gone from Logto.
    h.client.deleteApplication(oldApp);
    h.client.deleteRole(h.client.findRoleByName("reader").orElseThrow().id());
    h.client.deleteApiResource(h.client.findApiResourceByIndicator("https://shop.api")
        .orElseThrow().id());

    long started = System.nanoTime();
    h.operator().resyncNow();
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
        .until(() -> works(h.get(client)));
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("tenant wiped: Secret working again %.1f s after the resync%n", seconds);
    assertThat(seconds).as("within a reconcile or two, not a backoff").isLessThan(5);
    assertThat(h.get(client).getStatus().getAppId()).isNotEqualTo(oldApp);
    await().atMost(Duration.ofSeconds(10)).until(() -> h.get(client).getStatus().getConditions()
        .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())));
    assertThat(h.k8s.v1().events().inNamespace(OperatorHarness.NS).list().getItems())
        .as("a stale id is a dependency being recreated, not a Logto error")
        .noneMatch(e -> "LogtoError".equals(e.getReason()));
  }

  private boolean works(LogtoM2MApp current) {
    Map<String, String> secret = OperatorHarness.decoded(h.secret("client-logto-credentials"));
    try {
      return secret.get("LOGTO_APP_ID").equals(current.getStatus().getAppId())
          && h.client.requestToken(secret.get("LOGTO_APP_ID"), secret.get("LOGTO_APP_SECRET"),
              "https://shop.api", List.of("read")).grantedScopes().contains("read");
    } catch (LogtoException refused) {
      return false;
    }
  }
}
