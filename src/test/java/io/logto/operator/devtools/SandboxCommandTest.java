package io.logto.operator.devtools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logto.operator.sandbox.RemoteLogto;
import io.logto.operator.sandbox.Sandbox;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The sandbox's options that are refused before anything starts. */
class SandboxCommandTest {

  record Run(int exitCode, String err) {}

  private static Run sandbox(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new SandboxCommand()).setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true)).execute(args);
    assertThat(out.toString()).as("nothing ran").doesNotContain("Logto operator sandbox");
    return new Run(code, err.toString());
  }

  @ParameterizedTest(name = "--tenants {0}")
  @CsvSource(delimiter = '|', value = {
      "0   | --tenants must be 1 to 10, got 0",
      "-1  | --tenants must be 1 to 10, got -1",
      "11  | --tenants must be 1 to 10, got 11",
      "two | Invalid value for option '--tenants': 'two' is not an int"})
  void aBadTenantCountIsAUsageError(String value, String message) {
    Run run = sandbox("--once", "--tenants", value);

    assertThat(run.exitCode()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(run.err()).contains(message);
  }

  @Test
  void severalTenantsAreRefusedWithARealLogto() {
    Run run = sandbox("--once", "--tenants", "2", "--logto-endpoint", "http://127.0.0.1:9",
        "--logto-app-id", "operator", "--logto-app-secret", "not-printed");

    assertThat(run.exitCode()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(run.err()).contains("--tenants 2 starts simulated tenants: it cannot be used with"
        + " --logto-endpoint").doesNotContain("not-printed");
  }

  @Test
  void oneTenantWithARealLogtoIsAccepted() {
    SandboxCommand command = new SandboxCommand();
    new CommandLine(command).parseArgs("--tenants", "1", "--logto-endpoint",
        "http://127.0.0.1:9", "--logto-app-id", "operator", "--logto-app-secret", "s");

    assertThat(command.options().tenants()).isEqualTo(1);
    assertThat(command.options().remote()).isPresent();
  }

  @Test
  void theOptionsThemselvesRefuseWhatTheCommandRefuses() {
    RemoteLogto remote = new RemoteLogto(URI.create("http://127.0.0.1:9"), null, "a", "s");
    assertThatThrownBy(() -> options(0, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> options(2, Optional.of(remote)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a real Logto");
  }

  private static Sandbox.Options options(int tenants, Optional<RemoteLogto> remote) {
    return new Sandbox.Options(Path.of("examples"), true, Duration.ofSeconds(1), Optional.empty(),
        Duration.ZERO, 0, tenants, remote, Optional.empty(), Sandbox.DEFAULT_PRIVILEGED_NAMESPACES);
  }
}
