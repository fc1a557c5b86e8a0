package io.logto.operator.reconciler.app;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.logto.LogtoConnection;
import io.logto.operator.reconciler.common.DesiredStateHash;
import io.logto.operator.reconciler.common.ManagedLabels;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Secret holding an app's credentials, usable with envFrom. It carries a hash of the
 * credentials in an annotation, so that an edited Secret is noticed and repaired without asking
 * Logto for the secret again.
 */
final class CredentialsSecrets {

  static final String CREDENTIALS_HASH = "m2m.logto.io/credentials-hash";
  static final String APP_LABEL = "m2m.logto.io/app";

  private CredentialsSecrets() {}

  /**
   * The app id and secret a Secret holds, and during a rotation's grace period the secret it
   * replaced (null otherwise).
   */
  record Credentials(String appId, String appSecret, String previousSecret) {
    Credentials withoutPrevious() {
      return new Credentials(appId, appSecret, null);
    }

    @Override
    public String toString() {
      return "Credentials[appId=" + appId + ", appSecret=***"
          + (previousSecret == null ? "" : ", previousSecret=***") + "]";
    }
  }

  static Secret desired(
      LogtoM2MApp app,
      DesiredApp desired,
      Credentials credentials,
      LogtoConnection logto,
      Map<String, List<String>> grants) {
    Map<String, String> values = new TreeMap<>();
    values.put(CredentialKeys.ENDPOINT, logto.endpoint().toString());
    values.put(CredentialKeys.TOKEN_ENDPOINT, logto.tokenEndpoint());
    values.put(CredentialKeys.APP_ID, credentials.appId());
    values.put(CredentialKeys.APP_SECRET, credentials.appSecret());
    if (credentials.previousSecret() != null) {
      values.put(CredentialKeys.APP_SECRET_PREVIOUS, credentials.previousSecret());
    }
    if (grants.size() == 1) {
      var only = grants.entrySet().iterator().next();
      values.put(CredentialKeys.RESOURCE, only.getKey());
      values.put(CredentialKeys.SCOPES, String.join(" ", only.getValue()));
    }
    Map<String, String> data = new TreeMap<>();
    values.forEach((key, value) -> data.put(desired.keyNames().get(key), encode(value)));

    Map<String, String> labels = new TreeMap<>(desired.secretLabels());
    labels.put(ManagedLabels.MANAGED_BY, ManagedLabels.OPERATOR);
    labels.put(APP_LABEL, app.getMetadata().getName());
    Map<String, String> annotations = new TreeMap<>(desired.secretAnnotations());
    annotations.put(CREDENTIALS_HASH, hash(credentials));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(desired.secretName())
        .withNamespace(app.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(annotations)
        .withOwnerReferences(ManagedLabels.ownerReference(app))
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
  }

  /**
   * The credentials an existing Secret holds, if they are intact: the keys present and matching
   * the hash the operator wrote with them.
   */
  static Optional<Credentials> intactCredentials(Secret secret, DesiredApp desired) {
    if (secret == null || secret.getData() == null || secret.getMetadata().getAnnotations() == null) {
      return Optional.empty();
    }
    String id = value(secret, desired, CredentialKeys.APP_ID);
    String value = value(secret, desired, CredentialKeys.APP_SECRET);
    if (id == null || value == null) {
      return Optional.empty();
    }
    Credentials credentials =
        new Credentials(id, value, value(secret, desired, CredentialKeys.APP_SECRET_PREVIOUS));
    String recorded = secret.getMetadata().getAnnotations().get(CREDENTIALS_HASH);
    return hash(credentials).equals(recorded) ? Optional.of(credentials) : Optional.empty();
  }

  static boolean sameContent(Secret existing, Secret desired) {
    return desired.getData().equals(existing.getData())
        && "Opaque".equals(existing.getType() == null ? "Opaque" : existing.getType());
  }

  /** Whether an existing Secret equals the desired one in every respect the operator owns. */
  static boolean matches(Secret existing, Secret desired) {
    return sameContent(existing, desired)
        && desired.getMetadata().getLabels().equals(existing.getMetadata().getLabels())
        && desired.getMetadata().getAnnotations().equals(existing.getMetadata().getAnnotations());
  }

  private static String value(Secret secret, DesiredApp desired, String key) {
    return decode(secret.getData().get(desired.keyNames().get(key)));
  }

  private static String hash(Credentials credentials) {
    String text = credentials.appId() + ":" + credentials.appSecret();
    return DesiredStateHash.ofText(credentials.previousSecret() == null ? text
        : text + ":" + credentials.previousSecret());
  }

  private static String encode(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String value) {
    if (value == null) {
      return null;
    }
    try {
      return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
