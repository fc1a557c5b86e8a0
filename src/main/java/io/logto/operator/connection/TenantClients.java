package io.logto.operator.connection;

import io.logto.operator.logto.LogtoClient;
import io.logto.operator.logto.LogtoConnection;

/** Builds the Logto client of a connection: its own token cache, concurrency bound and retries. */
@FunctionalInterface
public interface TenantClients {

  /**
   * @param maxConcurrentCalls the connection's bound on calls in flight
   * @param caBundlePem extra CAs to trust, or null
   */
  LogtoClient create(ConnectionKey key, LogtoConnection connection, int maxConcurrentCalls,
      String caBundlePem);
}
