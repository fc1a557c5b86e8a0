package io.logto.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logto.operator.logto.LogtoClient;
import io.logto.operator.logto.LogtoException;
import io.logto.operator.packaging.Dockerfile;
import io.logto.operator.packaging.Project;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The sandbox jar's two commands with {@code --logto-endpoint} on the real Logto 1.37.1, as a
 * user sizing the operator for a Logto runs them: {@code sandbox} converges a folder of objects
 * into it and {@code bench} onboards apps with the operator and with the sequential script; each
 * leaves nothing of its own in Logto, read with a Management API client of the test's own.
 */
@ExtendWith(RealLogto.class)
@Execution(ExecutionMode.CONCURRENT)
class RealLogtoSandboxJarIT {

  private static final Path SANDBOX_JAR = Project.path("target/logto-operator-sandbox.jar");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RUN = Pattern.compile("^bench ([0-9a-f]{8}):", Pattern.MULTILINE);

  @TempDir Path temp;

  @Test
  void benchMeasuresTheOperatorTheScriptAndLogtosCpuAndLeavesNothingInLogto(
      RealLogtoServer server) throws Exception {
    LogtoInstance logto = server.instance();
    long postmaster = postmasterPid();
    // With the image's JVM options, as the README's bench command on a real Logto has them.
    Result run = sandboxJar(List.of("bench", "--apps", "10", "--warmup-apps", "2", "--baseline",
        "--logto-pid", Long.toString(server.pid()), "--database-pid",
        Long.toString(postmaster), "--timeout-seconds", "180"), logto,
        Map.of("JAVA_TOOL_OPTIONS", Dockerfile.javaToolOptions()));

    assertThat(run.code()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    JsonNode figures = JSON.readTree(lines.get(lines.size() - 1));
    assertThat(figures.get("apps").asInt()).isEqualTo(10);
    // Per app: create it, assign its role, read its secret; one token proves the credentials.
    assertThat(figures.get("managementCallsPerApp").asDouble()).as(figures.toString())
        .isBetween(2.0, 3.0);
    assertThat(figures.get("verificationTokenRequestsPerApp").asDouble()).isEqualTo(1.0);
    assertThat(figures.get("resyncWriteCalls").asInt()).isZero();
    JsonNode cpu = figures.get("cpu");
    assertThat(cpu.get("operatorSeconds").asDouble()).isPositive();
    assertThat(cpu.get("harnessSeconds").asDouble()).isPositive();
    assertThat(cpu.get("machineCores").asInt()).isPositive();
    assertThat(cpu.get("jitTopTier").asInt()).isEqualTo(1);
    assertThat(run.err()).doesNotContain("compiles with C2 too");
    JsonNode logtoCpu = figures.get("logto");
    assertThat(logtoCpu.get("pid").asLong()).isEqualTo(server.pid());
    // Logto signs tokens and writes to its database for every app: it cannot be free.
    assertThat(logtoCpu.get("cpuMsPerApp").asDouble()).isPositive();
    assertThat(logtoCpu.get("convergeOverCpu").asDouble()).isPositive();
    // Each app is a few rows written and read: its PostgreSQL backends spend CPU too.
    assertThat(logtoCpu.get("databasePid").asLong()).isEqualTo(postmaster);
    assertThat(logtoCpu.get("databaseCpuMsPerApp").asDouble()).as(logtoCpu.toString())
        .isPositive();
    assertThat(logtoCpu.get("convergeOverCpuWithDatabase").asDouble())
        .isLessThan(logtoCpu.get("convergeOverCpu").asDouble());
    JsonNode baseline = figures.get("baseline");
    assertThat(baseline.get("apps").asInt()).isEqualTo(10);
    assertThat(baseline.get("msPerApp").asDouble()).isPositive();
    assertThat(baseline.get("logtoCpuMsPerApp").asDouble()).isPositive();
    assertThat(baseline.get("databaseCpuMsPerApp").asDouble()).isPositive();
    assertThat(run.err()).contains("sequential script: 10 apps", "warm-up: 2 apps",
        "all 10 apps Ready");

    Matcher name = RUN.matcher(run.err());
    assertThat(name.find()).as(run.err()).isTrue();
    String tag = name.group(1);
    try (LogtoClient client = logto.client()) {
      // The operator's apps, the warm-up's and the script's; the roles; the API resources.
      assertThat(client.listApplications()).filteredOn(a -> a.name().contains(tag)).isEmpty();
      assertThat(client.listRoles()).filteredOn(r -> r.name().contains(tag)).isEmpty();
      assertThat(client.listApiResources())
          .filteredOn(r -> r.name().contains(tag) || r.indicator().contains(tag)).isEmpty();
    }
  }

  @Test
  void sandboxConvergesAFolderIntoLogtoWithWorkingCredentialsAndRemovesItOnExit(
      RealLogtoServer server) throws Exception {
    LogtoInstance logto = server.instance();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String indicator = "https://shopping-" + suffix + ".api";
    String role = "shopping-rw-" + suffix;
    Path folder = Files.createDirectories(temp.resolve("objects"));
    for (String file : List.of("shopping-api.yaml", "shopping-role.yaml", "shopping-app.yaml")) {
      String yaml = Files.readString(Project.path("examples").resolve(file))
          .replace("https://shopping.api", indicator)
          .replace("shopping-reader-writer", role);
      Files.writeString(folder.resolve(file), yaml);
    }
    Path summaryFile = temp.resolve("summary.json");

    Result run = sandboxJar(List.of("sandbox", "--once", "--examples", folder.toString(),
        "--summary-file", summaryFile.toString(), "--timeout-seconds", "120"), logto);

    assertThat(run.code()).as(run.err()).isZero();
    JsonNode summary = JSON.readTree(summaryFile.toFile());
    assertThat(summary.get("objects")).hasSize(3)
        .allSatisfy(o -> assertThat(o.at("/conditions/0/status").asText()).as(o.toString())
            .isEqualTo("True"));
    JsonNode data = summary.at("/secrets/0/data");
    String appId = data.get("LOGTO_APP_ID").asText();
    String appSecret = data.get("LOGTO_APP_SECRET").asText();
    assertThat(data.get("LOGTO_ENDPOINT").asText()).isEqualTo(logto.endpoint().toString());
    // The credentials are a real Logto's: the sandbox masks them in what it prints.
    assertThat(run.out()).doesNotContain(appSecret).doesNotContain(logto.appSecret());
    try (LogtoClient client = logto.client()) {
      // One app created in Logto, no retry that made a second.
      assertThat(summary.at("/logto/calls").get("POST /api/applications").asInt()).isEqualTo(1);
      // On exit the sandbox deletes what it created: the app's credentials stop working.
      assertThatThrownBy(() -> client.getApplication(appId)).isInstanceOf(LogtoException.class)
          .extracting(e -> ((LogtoException) e).status()).isEqualTo(404);
      assertThatThrownBy(() -> client.requestToken(appId, appSecret, indicator,
          Set.of("read:products")))
          .isInstanceOf(LogtoException.class)
          .extracting(e -> ((LogtoException) e).code()).isEqualTo("oidc.invalid_client");
      assertThat(InLogto.resources(client, indicator)).isEmpty();
      assertThat(InLogto.roles(client, role)).isEmpty();
    }
  }

  private record Result(int code, String out, String err) {}

  /**
   * The postmaster of ../shared/logto-server's PostgreSQL cluster (logto-test): started with
   * {@code -D} its data directory, where its backends' command lines are rewritten.
   */
  private static long postmasterPid() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().command().orElse("").endsWith("/postgres"))
        .filter(p -> String.join(" ", p.info().arguments().orElse(new String[0]))
            .matches(".*-D \\S*/logto-test( .*|$)"))
        .mapToLong(ProcessHandle::pid)
        .min()
        .orElseThrow(() -> new IllegalStateException("no postmaster of the logto-test"
            + " PostgreSQL cluster on this machine"));
  }

  private Result sandboxJar(List<String> arguments, LogtoInstance logto) throws Exception {
    return sandboxJar(arguments, logto, Map.of());
  }

  private Result sandboxJar(List<String> arguments, LogtoInstance logto,
      Map<String, String> environment) throws Exception {
    if (!Files.isRegularFile(SANDBOX_JAR)) {
      throw new IllegalStateException(SANDBOX_JAR + " is missing: the suite runs after mvn"
          + " package");
    }
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        SANDBOX_JAR.toString()));
    command.addAll(arguments);
    command.addAll(List.of("--logto-endpoint", logto.endpoint().toString(), "--logto-app-id",
        logto.appId(), "--logto-app-secret", logto.appSecret()));
    Path out = Files.createTempFile(temp, "out", ".txt");
    Path err = Files.createTempFile(temp, "err", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).directory(Project.path(".").toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("the sandbox jar did not exit in 5 minutes: "
          + String.join(" ", arguments.subList(0, 1)) + "\n" + read(err));
    }
    return new Result(process.exitValue(), read(out), read(err));
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file);
  }
}
