package io.logto.operator.logto;

import ch.qos.logback.classic.Level;
import io.logto.operator.simulator.LogtoSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh Logto simulator per test, and a client on it with short backoffs. */
abstract class SimulatorTestBase {

  protected LogtoSimulator logto;
  protected LogtoClient client;
  /** "METHOD /template status" of every exchange the client reported. */
  protected final List<String> calls = new CopyOnWriteArrayList<>();
  /** Outcomes of the operator's token requests, as reported. */
  protected final List<Boolean> operatorTokenRequests = new CopyOnWriteArrayList<>();
  private final List<LogtoClient> clients = new ArrayList<>();
  /**
   * Without a logback-test.xml everything logs at DEBUG to the console, which makes a thousand
   * calls take seconds; the logging test turns TRACE on for itself.
   */
  private final LogLevels quietLogs = new LogLevels(Level.INFO, "io.logto.operator");

  protected final LogtoCallListener listener = new LogtoCallListener() {
    @Override
    public void onCall(String method, String pathTemplate, int status, long durationNanos) {
      calls.add(method + " " + pathTemplate + " " + status);
    }

    @Override
    public void onOperatorTokenRequest(boolean success) {
      operatorTokenRequests.add(success);
    }
  };

  static LogtoClientOptions fastOptions() {
    return LogtoClientOptions.defaults()
        .withMaxRetries(3)
        .withBackoff(Duration.ofMillis(1), Duration.ofMillis(20));
  }

  @BeforeEach
  void startLogto() {
    quietLogs.apply();
    logto = LogtoSimulator.start();
    client = clientWith(fastOptions());
  }

  @AfterEach
  void stopLogto() {
    clients.forEach(LogtoClient::close);
    logto.close();
    quietLogs.restore();
  }

  protected LogtoClient clientWith(LogtoClientOptions options) {
    return clientWith(options, logto.bootstrapAppSecret());
  }

  protected LogtoClient clientWith(LogtoClientOptions options, String appSecret) {
    LogtoClient created = new LogtoClient(
        new LogtoConnection(logto.endpoint(), LogtoSimulator.MANAGEMENT_API_RESOURCE,
            logto.bootstrapAppId(), appSecret),
        options,
        listener);
    clients.add(created);
    return created;
  }

  protected long count(String methodAndTemplate) {
    return logto.callCounts().getOrDefault(methodAndTemplate, 0L);
  }
}
