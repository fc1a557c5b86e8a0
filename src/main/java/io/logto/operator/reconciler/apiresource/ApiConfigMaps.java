package io.logto.operator.reconciler.apiresource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.logto.LogtoConnection;
import io.logto.operator.reconciler.common.ManagedLabels;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ConfigMap that tells the service behind an indicator how to validate the access tokens
 * Logto issues for it (usable with envFrom).
 */
final class ApiConfigMaps {

  private ApiConfigMaps() {}

  static ConfigMap desired(
      LogtoApiResource owner, DesiredApiResource desired, LogtoConnection logto) {
    Map<String, String> data = new TreeMap<>();
    data.put("LOGTO_ISSUER", logto.issuer());
    data.put("LOGTO_JWKS_URI", logto.jwksUri());
    data.put("LOGTO_AUDIENCE", desired.indicator());
    data.put("LOGTO_SCOPES", String.join(" ", desired.scopes().keySet()));
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(desired.configMapName())
        .withNamespace(owner.getMetadata().getNamespace())
        .withLabels(Map.of(ManagedLabels.MANAGED_BY, ManagedLabels.OPERATOR))
        .withOwnerReferences(ManagedLabels.ownerReference(owner))
        .endMetadata()
        .withData(data)
        .build();
  }

  static boolean sameContent(ConfigMap existing, ConfigMap desired) {
    return desired.getData().equals(existing.getData());
  }
}
