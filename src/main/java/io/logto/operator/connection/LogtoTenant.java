package io.logto.operator.connection;

import io.logto.operator.logto.LogtoApi;
import io.logto.operator.logto.LogtoConnection;

/**
 * A Logto tenant the operator can talk to: its client (own token cache, concurrency bound,
 * retries), where it is (for the Secrets and ConfigMaps workloads read), and who may use it.
 */
public record LogtoTenant(
    ConnectionKey key, LogtoApi logto, LogtoConnection connection, NamespacePolicy policy) {

  public boolean isPrivileged(String namespace) {
    return policy.privileged().test(namespace);
  }

  /** The list that decides privilege here, and who holds it (for Forbidden messages). */
  public String privilegedBy() {
    return policy.privilegedBy();
  }

  public String managementApiResource() {
    return connection.managementApiResource();
  }
}
