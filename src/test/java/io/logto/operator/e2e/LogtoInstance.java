package io.logto.operator.e2e;

import io.logto.operator.logto.LogtoClient;
import io.logto.operator.logto.LogtoClientOptions;
import io.logto.operator.logto.LogtoConnection;
import io.logto.operator.simulator.LogtoSimulator;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Logto tenant a test runs the operator against, the real one or the simulator: where it is,
 * and the credentials of an M2M app holding "Logto Management API access".
 *
 * @param name what the test output calls it ("real Logto 1.37.1", "simulator")
 */
record LogtoInstance(String name, URI endpoint, String appId, String appSecret) {

  /** Both the simulator and a self-hosted Logto have the "default" tenant's indicator. */
  static final String MANAGEMENT_API_RESOURCE = LogtoSimulator.MANAGEMENT_API_RESOURCE;

  static LogtoInstance of(LogtoSimulator simulator) {
    return new LogtoInstance("simulator", simulator.endpoint(), simulator.bootstrapAppId(),
        simulator.bootstrapAppSecret());
  }

  LogtoConnection connection() {
    return new LogtoConnection(endpoint, MANAGEMENT_API_RESOURCE, appId, appSecret);
  }

  /** A client of the test's own, to look at what Logto holds (not the operator's report). */
  LogtoClient client() {
    return new LogtoClient(connection(), LogtoClientOptions.defaults()
        .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500)));
  }

  /** The operator's Logto settings, as the chart's Deployment gives them. */
  Map<String, String> operatorEnvironment() {
    Map<String, String> env = new TreeMap<>();
    env.put("LOGTO_ENDPOINT", endpoint.toString());
    env.put("LOGTO_TENANT_ID", "default");
    env.put("LOGTO_APP_ID", appId);
    env.put("LOGTO_APP_SECRET", appSecret);
    return env;
  }

  @Override
  public String toString() {
    return name + " at " + endpoint;
  }
}
