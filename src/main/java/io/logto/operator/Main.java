package io.logto.operator;

import io.logto.operator.cli.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the operator's jar, the one the image runs: {@code run} (the default). The
 * sandbox, the benchmark and the simulator live in the sandbox jar ({@code devtools.SandboxMain}),
 * so the image carries no test tooling.
 */
@Command(
    name = "logto-operator",
    mixinStandardHelpOptions = true,
    version = "logto-operator 0.1.0",
    description = "Manages Logto machine-to-machine access from Kubernetes custom resources.",
    footer = {"", "The sandbox, the benchmark and the Logto simulator are in the sandbox jar:"
        + " java -jar target/logto-operator-sandbox.jar --help"},
    subcommands = {RunCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    String[] effective = args.length == 0 ? new String[] {"run"} : args;
    System.exit(new CommandLine(new Main()).execute(effective));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
