package io.logto.operator.reconciler.common;

import io.logto.operator.logto.LogtoApi;
import io.logto.operator.logto.LogtoConnection;
import java.time.Clock;
import java.util.Set;

/**
 * What the reconcilers share: the Logto client, where Logto is (for the Secrets and ConfigMaps
 * they write), the privilege allowlist, the drift queue and the event recorder.
 */
public record OperatorServices(
    LogtoApi logto,
    LogtoConnection connection,
    Set<String> privilegedNamespaces,
    DriftQueue drift,
    EventRecorder events,
    Clock clock) {

  public OperatorServices {
    privilegedNamespaces = Set.copyOf(privilegedNamespaces);
  }

  public boolean isPrivileged(String namespace) {
    return privilegedNamespaces.contains(namespace);
  }

  /** The Management API indicator: granting its scopes is reserved to privileged namespaces. */
  public String managementApiResource() {
    return connection.managementApiResource();
  }
}
