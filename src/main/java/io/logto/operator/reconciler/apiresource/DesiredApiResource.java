package io.logto.operator.reconciler.apiresource;

import io.logto.operator.crd.apiresource.ApiScope;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.apiresource.LogtoApiResourceSpec;
import io.logto.operator.reconciler.common.SpecChecks;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What Logto should hold for a LogtoApiResource, with defaults applied.
 *
 * @param scopes scope descriptions by scope name, in spec order
 */
record DesiredApiResource(
    String name, String indicator, Integer accessTokenTtl, Map<String, String> scopes,
    String configMapName) {

  static final int MAX_NAME = 128;
  /** The schema's maxItems of spec.scopes. */
  static final int MAX_SCOPES = 200;

  /** Validates the spec and applies defaults; throws InvalidSpec naming every bad field. */
  static DesiredApiResource of(LogtoApiResource resource) {
    LogtoApiResourceSpec spec = resource.getSpec();
    SpecChecks checks = new SpecChecks();
    if (spec == null) {
      checks.add("spec", "is required");
      checks.throwIfAny();
    }
    checks.optionalText("spec.name", spec.getName(), MAX_NAME);
    checks.indicator("spec.indicator", spec.getIndicator());
    if (spec.getAccessTokenTtl() != null
        && (spec.getAccessTokenTtl() < 1 || spec.getAccessTokenTtl() > 2_592_000)) {
      checks.add("spec.accessTokenTtl", "must be between 1 and 2592000 seconds");
    }
    checks.maxItems("spec.scopes", spec.getScopes(), MAX_SCOPES);
    Map<String, String> scopes = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < spec.getScopes().size(); i++) {
      ApiScope scope = spec.getScopes().get(i);
      String field = "spec.scopes[" + i + "]";
      if (scope == null) {
        checks.add(field, "must not be null");
        continue;
      }
      checks.scopeName(field + ".name", scope.getName());
      checks.optionalText(field + ".description", scope.getDescription(), 256);
      if (scope.getName() != null && !seen.add(scope.getName())) {
        checks.add(field + ".name", "duplicate scope '" + scope.getName() + "'");
      }
      if (scope.getName() != null) {
        // Logto requires a description; the name is the most useful default.
        scopes.put(scope.getName(),
            scope.getDescription() == null ? scope.getName() : scope.getDescription());
      }
    }
    String configMapName =
        spec.getConfigMap() != null && spec.getConfigMap().getName() != null
            ? spec.getConfigMap().getName()
            : resource.getMetadata().getName() + "-logto-api";
    checks.objectName("spec.configMap.name", configMapName);
    checks.throwIfAny();
    String name = spec.getName() == null ? resource.getMetadata().getName() : spec.getName();
    return new DesiredApiResource(
        name, spec.getIndicator(), spec.getAccessTokenTtl(), scopes, configMapName);
  }
}
