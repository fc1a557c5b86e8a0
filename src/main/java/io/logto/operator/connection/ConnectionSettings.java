package io.logto.operator.connection;

import io.logto.operator.crd.connection.ClusterCredentialsSecretRef;
import io.logto.operator.crd.connection.ConnectionSpec;
import io.logto.operator.crd.connection.CredentialsSecretRef;
import io.logto.operator.logto.LogtoConnection;
import io.logto.operator.reconciler.common.SpecChecks;
import java.net.URI;

/**
 * A connection's spec, checked again by the operator (the schema says the same), with where its
 * credentials Secret is.
 *
 * @param secretNamespace the namespace of the credentials Secret (and of the CA bundle ConfigMap)
 * @param clusterScoped whether it is a ClusterLogtoConnection's
 */
record ConnectionSettings(
    URI endpoint,
    String managementApiResource,
    CredentialsSecretRef secret,
    String secretNamespace,
    String caConfigMap,
    String caKey,
    int maxConcurrentCalls,
    boolean clusterScoped) {

  static final int DEFAULT_MAX_CONCURRENT_CALLS = 16;

  /**
   * @param ownNamespace the connection's namespace, or null for a ClusterLogtoConnection
   * @param operatorNamespace where a ClusterLogtoConnection's Secret is unless it says otherwise
   */
  static ConnectionSettings of(ConnectionSpec spec, String ownNamespace, String operatorNamespace) {
    SpecChecks checks = new SpecChecks();
    if (spec == null) {
      checks.add("spec", "is required");
      checks.throwIfAny();
    }
    checks.indicator("spec.endpoint", spec.getEndpoint());
    if (spec.getTenantId() != null && spec.getManagementApiResource() != null) {
      checks.add("spec", "set at most one of tenantId or managementApiResource");
    }
    if (spec.getManagementApiResource() != null) {
      checks.indicator("spec.managementApiResource", spec.getManagementApiResource());
    }
    CredentialsSecretRef secret = spec.credentials();
    if (secret == null || secret.getName() == null) {
      checks.add("spec.credentialsSecretRef.name", "is required");
    } else {
      checks.objectName("spec.credentialsSecretRef.name", secret.getName());
      checks.secretKey("spec.credentialsSecretRef.appIdKey", secret.getAppIdKey());
      checks.secretKey("spec.credentialsSecretRef.appSecretKey", secret.getAppSecretKey());
    }
    String secretNamespace = ownNamespace;
    if (ownNamespace == null) {
      String named = secret instanceof ClusterCredentialsSecretRef cluster
          ? cluster.getNamespace() : null;
      secretNamespace = named != null ? named : operatorNamespace;
      if (secretNamespace == null) {
        checks.add("spec.credentialsSecretRef.namespace", "is required: the operator does not"
            + " know its own namespace (POD_NAMESPACE)");
      }
    }
    Integer calls = spec.getMaxConcurrentCalls();
    if (calls != null && (calls < 1 || calls > 1024)) {
      checks.add("spec.maxConcurrentCalls", "must be 1 to 1024, got " + calls);
    }
    if (spec.getCaBundle() != null) {
      checks.objectName("spec.caBundle.configMapName", spec.getCaBundle().getConfigMapName());
      checks.secretKey("spec.caBundle.key", spec.getCaBundle().getKey());
    }
    checks.throwIfAny();
    String resource = spec.getManagementApiResource() != null ? spec.getManagementApiResource()
        : LogtoConnection.managementApiResourceOf(spec.getTenantId() == null
            ? LogtoConnection.SELF_HOSTED_TENANT : spec.getTenantId());
    return new ConnectionSettings(URI.create(spec.getEndpoint()), resource, secret,
        secretNamespace,
        spec.getCaBundle() == null ? null : spec.getCaBundle().getConfigMapName(),
        spec.getCaBundle() == null ? null : spec.getCaBundle().getKey(),
        calls == null ? DEFAULT_MAX_CONCURRENT_CALLS : calls, ownNamespace == null);
  }
}
