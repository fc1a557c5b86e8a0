package io.logto.operator.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimulatorCommandTest {

  @Test
  void startsTheSimulatorWithTheBootstrapAppAndPrintsNoSecret() {
    SimulatorCommand command = new SimulatorCommand();
    CommandLine cli = new CommandLine(command);
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.parseArgs("--port", "0", "--app-id", "opbootstrap01", "--app-secret", "s3cr3t-value");

    try (LogtoSimulator sim = command.startAndAnnounce()) {
      assertThat(sim.bootstrapAppId()).isEqualTo("opbootstrap01");
      String line = out.toString();
      assertThat(line.lines()).hasSize(1);
      assertThat(line).contains(sim.endpoint().toString())
          .contains(LogtoSimulator.MANAGEMENT_API_RESOURCE).doesNotContain("s3cr3t-value");
      SimHttp.Answer token = new SimHttp(sim).token("opbootstrap01", "s3cr3t-value",
          LogtoSimulator.MANAGEMENT_API_RESOURCE, "all");
      assertThat(token.status()).isEqualTo(200);
    }
  }

  @Test
  void defaultsToPort3001AndRequiresTheBootstrapCredentials() {
    SimulatorCommand command = new SimulatorCommand();
    CommandLine cli = new CommandLine(command);
    cli.parseArgs("--app-id", "a", "--app-secret", "b");
    assertThat(command.port).isEqualTo(3001);

    CommandLine missing = new CommandLine(new SimulatorCommand());
    missing.setErr(new PrintWriter(new StringWriter()));
    assertThat(missing.execute("--app-id", "a")).isEqualTo(2);
  }
}
