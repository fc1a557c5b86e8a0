package io.logto.operator.runtime;

import static io.logto.operator.reconciler.OperatorHarness.apiResource;
import static io.logto.operator.reconciler.OperatorHarness.app;
import static io.logto.operator.reconciler.OperatorHarness.permission;
import static io.logto.operator.reconciler.OperatorHarness.role;
import static org.assertj.core.api.Assertions.assertThat;

import io.logto.operator.logto.LogtoClient;
import io.logto.operator.logto.LogtoClientOptions;
import io.logto.operator.reconciler.OperatorHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HealthServerTest {

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void probesAnswerAndMetricsCountLogtoCallsByPathTemplateAndReconciles() throws Exception {
    try (OperatorHarness h = OperatorHarness.startWithoutOperator()) {
      OperatorMetrics metrics = new OperatorMetrics();
      try (LogtoClient client = new LogtoClient(h.connection, LogtoClientOptions.defaults(),
              metrics.logtoCallListener());
          LogtoOperator operator = LogtoOperator.start(h.k8s, client,
              OperatorSettings.embedded(h.connection, Set.of(), Duration.ZERO),
              metrics.josdkMetrics());
          HealthServer server = HealthServer.start(0, operator, metrics)) {
        h.create(apiResource("shop", "https://shop.api", "read"));
        h.create(role("reader", permission("shop", "read")));
        var a = h.create(app("client", "reader"));
        h.awaitReady(a);

        assertThat(get(server.port(), "/healthz").statusCode()).isEqualTo(200);
        assertThat(get(server.port(), "/readyz").statusCode()).isEqualTo(200);
        String body = get(server.port(), "/metrics").body();
        assertThat(body)
            .contains("logto_calls_seconds_count{connection=\"default\",method=\"POST\","
                + "path=\"/api/applications\","
                + "status=\"200\"} 1")
            .contains("path=\"/api/applications/{id}/roles\"")
            .contains("logto_token_requests_total{connection=\"default\",outcome=\"success\"} 1")
            .contains("operator_sdk_");
        assertThat(body).doesNotContain(h.get(a).getStatus().getAppId());
      }
    }
  }
}
