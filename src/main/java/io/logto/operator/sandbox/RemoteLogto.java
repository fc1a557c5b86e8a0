package io.logto.operator.sandbox;

import io.logto.operator.logto.LogtoCallListener;
import io.logto.operator.logto.LogtoConnection;
import io.logto.operator.simulator.LogtoSimulator;
import java.net.URI;
import java.util.Optional;

/**
 * A real Logto. Nothing can be asked of it about calls, so they are counted by a listener on the
 * operator's client, and the inventory is what that client created.
 */
public final class RemoteLogto implements LogtoTarget {

  private final LogtoConnection connection;
  private final CallTally tally = new CallTally();

  public RemoteLogto(URI endpoint, String tenantId, String appId, String appSecret) {
    this.connection = new LogtoConnection(endpoint,
        LogtoConnection.managementApiResourceOf(
            tenantId == null || tenantId.isBlank() ? LogtoConnection.SELF_HOSTED_TENANT : tenantId),
        appId, appSecret);
  }

  @Override
  public LogtoConnection connection() {
    return connection;
  }

  @Override
  public LogtoCallListener listener() {
    return tally;
  }

  @Override
  public CallCounts counts() {
    return tally.counts();
  }

  @Override
  public Inventory inventory() {
    return new Inventory(tally.created("/api/applications"), tally.created("/api/roles"),
        tally.created("/api/resources"));
  }

  @Override
  public String describe() {
    return connection.endpoint() + " (Management API " + connection.managementApiResource()
        + ", App ID " + connection.appId() + ")";
  }

  @Override
  public Optional<LogtoSimulator> simulator() {
    return Optional.empty();
  }

  @Override
  public void close() {}
}
