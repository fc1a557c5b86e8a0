package io.logto.operator.simulator;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code simulator}: runs the Logto simulator on 127.0.0.1 until the JVM is stopped. */
@Command(name = "simulator", mixinStandardHelpOptions = true,
    description = "Runs an in-process Logto simulator (/oidc/token and the Management API /api)"
        + " on 127.0.0.1 until stopped.")
public final class SimulatorCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--port", defaultValue = "3001",
      description = "Port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--app-id", required = true, description = "Id of the bootstrap M2M app.")
  String appId;

  @Option(names = "--app-secret", required = true,
      description = "Secret of the bootstrap M2M app.")
  String appSecret;

  @Override
  public Integer call() throws InterruptedException {
    LogtoSimulator simulator = startAndAnnounce();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      simulator.close();
      stopped.countDown();
    }, "logto-simulator-shutdown"));
    stopped.await();
    return 0;
  }

  /** Starts the simulator and prints one line: endpoint and Management API resource. */
  LogtoSimulator startAndAnnounce() {
    LogtoSimulator simulator = LogtoSimulator.start(port, appId, appSecret);
    PrintWriter out = spec.commandLine().getOut();
    out.println("Logto simulator listening on " + simulator.endpoint()
        + " (Management API resource: " + LogtoSimulator.MANAGEMENT_API_RESOURCE + ")");
    out.flush();
    return simulator;
  }
}
