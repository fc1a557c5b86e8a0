package io.logto.operator;

import io.logto.operator.cli.BenchCommand;
import io.logto.operator.cli.RunCommand;
import io.logto.operator.cli.SandboxCommand;
import io.logto.operator.simulator.SimulatorCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: the operator (`run`, the default), the sandbox, the benchmark and the simulator. */
@Command(
    name = "logto-operator",
    mixinStandardHelpOptions = true,
    version = "logto-operator 0.1.0",
    description = "Manages Logto machine-to-machine access from Kubernetes custom resources.",
    subcommands = {RunCommand.class, SandboxCommand.class, BenchCommand.class,
        SimulatorCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    String[] effective = args.length == 0 ? new String[] {"run"} : args;
    int code = new CommandLine(new Main()).execute(effective);
    System.exit(code);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
