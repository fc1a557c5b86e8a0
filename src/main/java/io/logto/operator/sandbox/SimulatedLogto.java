package io.logto.operator.sandbox;

import io.logto.operator.logto.LogtoCallListener;
import io.logto.operator.logto.LogtoConnection;
import io.logto.operator.simulator.LogtoSimulator;
import java.time.Duration;
import java.util.Optional;

/** The in-process Logto simulator, on an ephemeral loopback port with random credentials. */
public final class SimulatedLogto implements LogtoTarget {

  private final LogtoSimulator simulator;
  private final LogtoConnection connection;

  private SimulatedLogto(LogtoSimulator simulator) {
    this.simulator = simulator;
    this.connection =
        new LogtoConnection(simulator.endpoint(), LogtoSimulator.MANAGEMENT_API_RESOURCE,
            simulator.bootstrapAppId(), simulator.bootstrapAppSecret());
  }

  /**
   * @param latency added to every call
   * @param failureRate share of Management API calls answered 503
   */
  public static SimulatedLogto start(Duration latency, double failureRate) {
    LogtoSimulator simulator = LogtoSimulator.start();
    if (!latency.isZero()) {
      simulator.setLatency(latency);
    }
    if (failureRate > 0) {
      simulator.setFailureRate(failureRate, 503);
    }
    return new SimulatedLogto(simulator);
  }

  @Override
  public LogtoConnection connection() {
    return connection;
  }

  @Override
  public LogtoCallListener listener() {
    return LogtoCallListener.NONE;
  }

  @Override
  public CallCounts counts() {
    return new CallCounts(simulator.callCounts(), simulator.tokenRequests(),
        simulator.tokenRequests(simulator.bootstrapAppId()));
  }

  @Override
  public Inventory inventory() {
    return new Inventory(simulator.applicationCount(), simulator.roleCount(),
        simulator.resourceCount());
  }

  @Override
  public String describe() {
    return simulator.endpoint() + " (in-process simulator, Management API "
        + LogtoSimulator.MANAGEMENT_API_RESOURCE + ")";
  }

  @Override
  public Optional<LogtoSimulator> simulator() {
    return Optional.of(simulator);
  }

  @Override
  public void close() {
    simulator.close();
  }
}
