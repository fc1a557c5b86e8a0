package io.logto.operator.devtools;

import io.logto.operator.cli.RunCommand;
import io.logto.operator.simulator.SimulatorCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the sandbox jar ({@code target/logto-operator-sandbox.jar}): the sandbox (the
 * default), the benchmark and the simulator, which the operator's image does not ship, and
 * {@code run} as in the operator's jar.
 */
@Command(
    name = "logto-operator-sandbox",
    mixinStandardHelpOptions = true,
    version = "logto-operator 0.1.0",
    description = "Try and measure the Logto M2M operator without a cluster or a Logto.",
    subcommands = {SandboxCommand.class, BenchCommand.class, SimulatorCommand.class,
        RunCommand.class})
public final class SandboxMain implements Runnable {

  public static void main(String[] args) {
    String[] effective = args.length == 0 ? new String[] {"sandbox"} : args;
    System.exit(new CommandLine(new SandboxMain()).execute(effective));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
