package io.logto.operator.reconciler.app;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.logto.operator.crd.app.AppRoleAssignment;
import io.logto.operator.crd.app.CredentialsSecret;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.app.LogtoM2MAppSpec;
import io.logto.operator.reconciler.common.SpecChecks;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** What Logto and the Secret should hold for a LogtoM2MApp, before references are resolved. */
record DesiredApp(
    String name,
    String description,
    TreeSet<String> roleRefs,
    TreeSet<String> logtoRoleNames,
    String secretName,
    TreeMap<String, String> keyNames,
    TreeMap<String, String> secretLabels,
    TreeMap<String, String> secretAnnotations,
    // Not Logto state: left out of the desired-state hash, so that hashes recorded before the
    // rotation existed stay valid; a change of it changes the generation anyway.
    @JsonIgnore RotationPolicy rotation) {

  /** The schema's maxItems of spec.roles. */
  static final int MAX_ROLES = 100;
  static final int MAX_LABEL_VALUE = 63;

  /** spec.secret.name, or its default {@code <metadata.name>-logto-credentials}. */
  static String secretNameOf(LogtoM2MApp app) {
    var spec = app.getSpec();
    if (spec != null && spec.getSecret() != null && spec.getSecret().getName() != null) {
      return spec.getSecret().getName();
    }
    return app.getMetadata().getName() + "-logto-credentials";
  }

  static DesiredApp of(LogtoM2MApp app) {
    LogtoM2MAppSpec spec = app.getSpec();
    SpecChecks checks = new SpecChecks();
    if (spec == null) {
      checks.add("spec", "is required");
      checks.throwIfAny();
    }
    checks.optionalText("spec.name", spec.getName(), 256);
    if (spec.getDescription() != null && spec.getDescription().length() > 2048) {
      checks.add("spec.description", "must be at most 2048 characters");
    }
    // The Secret carries the object's name as a label value, which the API server limits to 63
    // characters; a longer name would fail only when the Secret is written, after Logto.
    String objectName = app.getMetadata().getName();
    if (objectName != null && objectName.length() > MAX_LABEL_VALUE) {
      checks.add("metadata.name", "must be at most " + MAX_LABEL_VALUE + " characters for a"
          + " LogtoM2MApp (it labels the credentials Secret), got " + objectName.length());
    }
    checks.maxItems("spec.roles", spec.getRoles(), MAX_ROLES);
    TreeSet<String> refs = new TreeSet<>();
    TreeSet<String> external = new TreeSet<>();
    List<AppRoleAssignment> roles = spec.getRoles();
    for (int i = 0; i < roles.size(); i++) {
      AppRoleAssignment role = roles.get(i);
      String field = "spec.roles[" + i + "]";
      if (role == null) {
        checks.add(field, "must not be null");
        continue;
      }
      checks.exactlyOne(field, role.getRoleRef(), "roleRef", role.getLogtoRoleName(),
          "logtoRoleName");
      if (role.getRoleRef() != null) {
        checks.objectName(field + ".roleRef.name", role.getRoleRef().getName());
        if (role.getRoleRef().getName() != null && !refs.add(role.getRoleRef().getName())) {
          checks.add(field, "role " + role.getRoleRef().getName() + " is listed twice");
        }
      }
      if (role.getLogtoRoleName() != null) {
        checks.optionalText(field + ".logtoRoleName", role.getLogtoRoleName(), 128);
        if (!external.add(role.getLogtoRoleName())) {
          checks.add(field, "role '" + role.getLogtoRoleName() + "' is listed twice");
        }
      }
    }
    CredentialsSecret secret = spec.getSecret() == null ? new CredentialsSecret() : spec.getSecret();
    String secretName = secretNameOf(app);
    checks.objectName("spec.secret.name", secretName);
    TreeMap<String, String> keyNames = new TreeMap<>();
    for (String key : CredentialKeys.ALL) {
      keyNames.put(key, key);
    }
    Map<String, String> seen = new HashMap<>();
    for (var rename : secret.getKeys().entrySet()) {
      String field = "spec.secret.keys." + rename.getKey();
      if (!CredentialKeys.ALL.contains(rename.getKey())) {
        checks.add(field, "unknown key; the keys are " + String.join(", ", CredentialKeys.ALL));
        continue;
      }
      checks.secretKey(field, rename.getValue());
      keyNames.put(rename.getKey(), rename.getValue());
    }
    for (var entry : keyNames.entrySet()) {
      String other = seen.put(entry.getValue(), entry.getKey());
      if (other != null) {
        checks.add("spec.secret.keys", entry.getKey() + " and " + other
            + " would both be written as " + entry.getValue());
      }
    }
    for (var label : secret.getLabels().entrySet()) {
      String field = "spec.secret.labels." + label.getKey();
      if (label.getKey().equals(io.logto.operator.reconciler.common.ManagedLabels.MANAGED_BY)
          || label.getKey().equals(CredentialsSecrets.APP_LABEL)) {
        checks.add(field, "is set by the operator");
        continue;
      }
      checks.labelKey(field, label.getKey());
      checks.labelValue(field, label.getValue());
    }
    for (var annotation : secret.getAnnotations().entrySet()) {
      String field = "spec.secret.annotations." + annotation.getKey();
      if (annotation.getKey().equals(CredentialsSecrets.CREDENTIALS_HASH)) {
        checks.add(field, "is set by the operator");
        continue;
      }
      checks.labelKey(field, annotation.getKey());
      if (annotation.getValue() == null) {
        checks.add(field, "must not be null");
      }
    }
    RotationPolicy rotation =
        RotationPolicy.of(secret.getRotation(), secret.getRolloutRestart(), checks);
    checks.throwIfAny();
    return new DesiredApp(
        spec.getName() == null ? app.getMetadata().getName() : spec.getName(),
        spec.getDescription(),
        refs,
        external,
        secretName,
        keyNames,
        new TreeMap<>(secret.getLabels()),
        new TreeMap<>(secret.getAnnotations()),
        rotation);
  }
}
