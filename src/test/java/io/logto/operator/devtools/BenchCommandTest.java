package io.logto.operator.devtools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class BenchCommandTest {

  private static final List<String> FIELDS = List.of("apps", "latencyMs", "convergeSeconds",
      "p50ApplyToSecretMs", "p95ApplyToSecretMs", "managementCallsPerApp",
      "managementWriteCallsPerApp", "verificationTokenRequestsPerApp", "operatorTokenRequests",
      "resyncReadCalls", "resyncWriteCalls", "heapUsedMb", "cpu");

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
    // The operator and the in-process Kubernetes API both worked; no Logto pid, no Logto CPU.
    assertThat(result.at("/cpu/operatorSeconds").asDouble()).isPositive();
    assertThat(result.at("/cpu/harnessSeconds").asDouble()).isPositive();
    assertThat(err.toString()).contains("all 20 apps Ready", "CPU while the apps converged");
  }

  @Test
  void twoConnectionsSpreadTheAppsAndGiveFiguresPerConnectionAndInTotal() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new BenchCommand())
        .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));

    int code = command.execute("--apps", "10", "--latency-ms", "5", "--connections", "2");

    assertThat(code).as(err.toString()).isZero();
    List<String> lines = out.toString().lines().toList();
    JsonNode result = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    List<String> fields = new java.util.ArrayList<>(FIELDS);
    fields.add("connections");
    assertThat(result.fieldNames()).toIterable().containsExactlyElementsOf(fields);
    assertThat(result.get("apps").asInt()).isEqualTo(10);
    JsonNode connections = result.get("connections");
    assertThat(connections).hasSize(2);
    assertThat(connections.get(0).get("connection").asText()).isEqualTo("own");
    assertThat(connections.get(1).get("connection").asText())
        .isEqualTo("ClusterLogtoConnection/tenant-2");
    double slowest = 0;
    long operatorTokens = 0;
    for (JsonNode connection : connections) {
      // Each tenant created and verified its own five apps.
      assertThat(connection.get("apps").asInt()).isEqualTo(5);
      assertThat(connection.get("managementWriteCallsPerApp").asDouble()).as(connection.toString())
          .isBetween(1.0, 2.0);
      assertThat(connection.get("managementCallsPerApp").asDouble()).isBetween(2.0, 3.0);
      assertThat(connection.get("verificationTokenRequestsPerApp").asDouble()).isEqualTo(1.0);
      assertThat(connection.get("operatorTokenRequests").asLong()).isPositive();
      assertThat(connection.get("resyncReadCalls").asLong()).isPositive();
      assertThat(connection.get("resyncWriteCalls").asLong()).isZero();
      assertThat(connection.get("convergeSeconds").asDouble()).isPositive();
      assertThat(connection.get("p50ApplyToSecretMs").asDouble()).isPositive()
          .isLessThanOrEqualTo(connection.get("p95ApplyToSecretMs").asDouble());
      slowest = Math.max(slowest, connection.get("convergeSeconds").asDouble());
      operatorTokens += connection.get("operatorTokenRequests").asLong();
    }
    // The totals are over both tenants.
    assertThat(result.get("convergeSeconds").asDouble()).isCloseTo(slowest, within(0.011));
    assertThat(result.get("operatorTokenRequests").asLong()).isEqualTo(operatorTokens);
    assertThat(result.get("verificationTokenRequestsPerApp").asDouble()).isEqualTo(1.0);
    assertThat(result.get("resyncReadCalls").asLong()).isEqualTo(
        connections.get(0).get("resyncReadCalls").asLong()
            + connections.get(1).get("resyncReadCalls").asLong());
    assertThat(err.toString()).contains("apps round-robin over 2 connections: own,"
        + " ClusterLogtoConnection/tenant-2", "ClusterLogtoConnection/tenant-2: 5 apps Ready",
        "all 10 apps Ready");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "--apps 3 --connections 0   | --connections must be 1 to 20 and at most --apps, got 0",
      "--apps 3 --connections 4   | --connections must be 1 to 20 and at most --apps, got 4",
      "--apps 50 --connections 21 | --connections must be 1 to 20 and at most --apps, got 21",
      "--apps 3 --connections 2 --logto-endpoint http://127.0.0.1:9 --logto-app-id a"
          + " --logto-app-secret s | --connections 2 adds simulated tenants: it cannot be used"
          + " with --logto-endpoint",
      "--apps 3 --logto-pid 1 | --logto-pid and --baseline measure a real Logto: give"
          + " --logto-endpoint as well",
      "--apps 3 --baseline | --logto-pid and --baseline measure a real Logto: give"
          + " --logto-endpoint as well",
      "--apps 3 --warmup-apps -1 | --warmup-apps must not be negative",
      "--apps 3 --logto-pid 0 --logto-endpoint http://127.0.0.1:9 --logto-app-id a"
          + " --logto-app-secret s | --logto-pid must be a pid, got 0",
      "--apps 3 --database-pid 7 --logto-endpoint http://127.0.0.1:9 --logto-app-id a"
          + " --logto-app-secret s | --database-pid measures Logto's database beside Logto: give"
          + " --logto-pid as well",
      "--apps 3 --logto-pid 5 --database-pid -2 --logto-endpoint http://127.0.0.1:9"
          + " --logto-app-id a --logto-app-secret s | --database-pid must be a pid, got -2"})
  void badConnectionCountsAreUsageErrors(String args, String message) {
    StringWriter err = new StringWriter();
    int code = new CommandLine(new BenchCommand()).setOut(new PrintWriter(new StringWriter()))
        .setErr(new PrintWriter(err, true)).execute(args.split(" "));

    assertThat(code).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains(message);
  }
}
