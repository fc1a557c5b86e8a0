package io.logto.operator.devtools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What a user of the sandbox sees: the objects, their Secrets and the curl line, not the
 * operator's log, which goes to a file named on screen unless --verbose.
 */
class SandboxScreenTest {

  /** A line as logback writes it: {@code 12:34:56.789 INFO  [thread] logger - message}. */
  private static final Pattern LOG_LINE =
      Pattern.compile("(?m)^\\d{2}:\\d{2}:\\d{2}\\.\\d{3} +(TRACE|DEBUG|INFO|WARN|ERROR) ");

  @TempDir Path temp;

  @Test
  void withoutVerboseTheScreenHoldsNoLogLineAndTheLogFileHasThem() throws Exception {
    Path log = temp.resolve("operator.log");

    Run run = sandbox("--log-file", log.toString());

    assertThat(run.exitCode()).as(run.screen()).isZero();
    assertThat(run.screen()).contains("Operator log    " + log, "All 4 objects are Ready",
        "Secrets written:", "curl -s -u ");
    assertThat(LOG_LINE.matcher(run.screen()).find()).as(run.screen()).isFalse();
    String logged = Files.readString(log);
    assertThat(LOG_LINE.matcher(logged).find()).isTrue();
    assertThat(logged).contains("Registered reconciler");
  }

  @Test
  void withVerboseTheLogIsOnTheScreen() throws Exception {
    Run run = sandbox("--verbose");

    assertThat(run.exitCode()).as(run.screen()).isZero();
    assertThat(run.screen()).doesNotContain("Operator log ");
    assertThat(LOG_LINE.matcher(run.screen()).find()).as(run.screen()).isTrue();
  }

  /** --rotate-demo: a client's token requests before, during and after a rotation. */
  @Test
  void theRotationDemoShowsNoDowntimeAndTheOldSecretRetired() throws Exception {
    Run run = sandbox("--log-file", temp.resolve("operator.log").toString(), "--rotate-demo");

    assertThat(run.exitCode()).as(run.screen()).isZero();
    assertThat(run.screen()).contains(
        "Rotation demo on LogtoM2MApp default/order-stats (grace period 10s)",
        "before    current secret ok",
        "during    new secret ok; previous secret (LOGTO_APP_SECRET_PREVIOUS) ok",
        "after     new secret ok; previous secret refused (401 oidc.invalid_client)",
        "no downtime");
    assertThat(run.screen()).doesNotContain("unexpected");
  }

  /** --privileged-namespaces: the privilege guard tried without a cluster. */
  @Test
  void withNoPrivilegedNamespaceTheAppHoldingLogtosBuiltInRoleIsForbidden() throws Exception {
    Run run = sandbox("--log-file", temp.resolve("operator.log").toString(),
        "--privileged-namespaces=");

    assertThat(run.exitCode()).as(run.screen()).isEqualTo(1);
    assertThat(run.screen()).contains("privileged namespaces: none",
        "1 of 4 objects cannot become Ready")
        .containsPattern("LogtoM2MApp +default/tenant-admin +False +Forbidden")
        .containsPattern("LogtoM2MApp +default/order-stats +True +Synced");
  }

  record Run(int exitCode, String screen) {}

  /** Runs the sandbox command as the jar's main does, with everything printed captured. */
  private Run sandbox(String... more) {
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    PrintStream captured = new PrintStream(screen, true, StandardCharsets.UTF_8);
    System.setOut(captured);
    System.setErr(captured);
    try {
      CommandLine command = new CommandLine(new SandboxMain());
      command.setOut(new PrintWriter(captured, true));
      command.setErr(new PrintWriter(captured, true));
      String[] args = new String[5 + more.length];
      System.arraycopy(new String[] {"sandbox", "--once", "--examples", "examples",
          "--summary-file=" + temp.resolve("summary.json")}, 0, args, 0, 5);
      System.arraycopy(more, 0, args, 5, more.length);
      int code = command.execute(args);
      captured.flush();
      return new Run(code, screen.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }
}
