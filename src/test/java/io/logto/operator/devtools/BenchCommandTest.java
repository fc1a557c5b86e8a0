package io.logto.operator.devtools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

  private static final List<String> FIELDS = List.of("apps", "latencyMs", "convergeSeconds",
      "p50ApplyToSecretMs", "p95ApplyToSecretMs", "managementCallsPerApp",
      "managementWriteCallsPerApp", "verificationTokenRequestsPerApp", "operatorTokenRequests",
      "resyncReadCalls", "resyncWriteCalls", "heapUsedMb");

  @Test
  void twentyAppsStayWithinTheCallBudgetsAndTheFiguresComeLastOnStdout() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new BenchCommand())
        .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));

    int code = command.execute("--apps", "20", "--latency-ms", "5", "--roles-per-app", "2");

    assertThat(code).as(err.toString()).isZero();
    List<String> lines = out.toString().lines().toList();
    JsonNode result = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertThat(result.fieldNames()).toIterable().containsExactlyElementsOf(FIELDS);
    assertThat(result.get("apps").asInt()).isEqualTo(20);
    assertThat(result.get("latencyMs").asInt()).isEqualTo(5);
    assertThat(result.get("managementWriteCallsPerApp").asDouble()).isBetween(1.0, 2.0);
    assertThat(result.get("managementCallsPerApp").asDouble()).isBetween(2.0, 3.0);
    // Two roles over different API resources (roles 2i and 2i+1 of 10 over 5): one token each.
    assertThat(result.get("verificationTokenRequestsPerApp").asDouble()).isEqualTo(2.0);
    assertThat(result.get("operatorTokenRequests").asInt()).isEqualTo(1);
    assertThat(result.get("resyncWriteCalls").asInt()).isZero();
    assertThat(result.get("convergeSeconds").asDouble()).isPositive();
    assertThat(result.get("p50ApplyToSecretMs").asDouble()).isPositive()
        .isLessThanOrEqualTo(result.get("p95ApplyToSecretMs").asDouble());
    assertThat(result.get("p95ApplyToSecretMs").asDouble())
        .isLessThanOrEqualTo(result.get("convergeSeconds").asDouble() * 1000);
    assertThat(result.get("heapUsedMb").asDouble()).isPositive();
    assertThat(err.toString()).contains("all 20 apps Ready");
  }
}
