package io.logto.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.logto.operator.simulator.LogtoSimulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RunCommandTest {

  /** Runs `run` with a given environment (through a subclass hook) and captures stderr. */
  private static int run(java.util.Map<String, String> env, StringBuilder stderr) {
    PrintStream original = System.err;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      RunCommand command = new RunCommand();
      command.environment = env;
      return new CommandLine(command).execute("--no-leader-election");
    } finally {
      System.setErr(original);
      stderr.append(buffer.toString(StandardCharsets.UTF_8));
    }
  }

  @Test
  void missingConfigurationExitsWithEveryProblemNamed() {
    StringBuilder err = new StringBuilder();
    int code = run(java.util.Map.of(), err);
    assertThat(code).isEqualTo(2);
    assertThat(err).contains("LOGTO_ENDPOINT is required").contains("LOGTO_APP_SECRET");
  }

  @Test
  void refusedCredentialsExitNonZeroWithAClearMessageAndNoSecret() {
    try (LogtoSimulator logto = LogtoSimulator.start()) {
      StringBuilder err = new StringBuilder();
      int code = run(java.util.Map.of(
          "LOGTO_ENDPOINT", logto.endpoint().toString(),
          "LOGTO_APP_ID", logto.bootstrapAppId(),
          "LOGTO_APP_SECRET", "wrong-secret-value"), err);
      assertThat(code).isEqualTo(3);
      assertThat(err).contains("credentials were refused").contains(logto.bootstrapAppId())
          .doesNotContain("wrong-secret-value");
    }
  }

  /** Logto answers an App ID it does not know (mistyped, or the app deleted) with 400. */
  @Test
  void anUnknownAppIdIsReportedAsRefusedCredentials() {
    try (LogtoSimulator logto = LogtoSimulator.start()) {
      StringBuilder err = new StringBuilder();
      int code = run(java.util.Map.of(
          "LOGTO_ENDPOINT", logto.endpoint().toString(),
          "LOGTO_APP_ID", "no-such-app",
          "LOGTO_APP_SECRET", logto.bootstrapAppSecret()), err);
      assertThat(code).isEqualTo(3);
      assertThat(err).contains("credentials were refused (400 oidc.invalid_client)")
          .contains("no-such-app").doesNotContain(logto.bootstrapAppSecret());
    }
  }
}
