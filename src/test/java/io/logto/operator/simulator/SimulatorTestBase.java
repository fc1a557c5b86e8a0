package io.logto.operator.simulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Starts a fresh simulator for each test. */
abstract class SimulatorTestBase {
  protected LogtoSimulator sim;
  protected SimHttp http;

  @BeforeEach
  void startSimulator() {
    sim = LogtoSimulator.start();
    http = new SimHttp(sim);
  }

  @AfterEach
  void stopSimulator() {
    sim.close();
  }
}
