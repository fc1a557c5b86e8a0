package io.logto.operator.sandbox;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.logto.LogtoConnection;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the sandbox prints: a table of the objects, the Secrets written (the app secret masked) and
 * a curl command that obtains a token with one app's credentials.
 */
final class SandboxReport {

  static final String APP_SECRET_KEY = "LOGTO_APP_SECRET";
  static final String APP_ID_KEY = "LOGTO_APP_ID";
  static final String MASK = "****";

  private SandboxReport() {}

  static void printTable(PrintWriter out, List<ObjectState> objects) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"KIND", "NAMESPACE/NAME", "READY", "REASON", "LOGTO ID"});
    for (ObjectState o : objects) {
      String ready = switch (o.settle()) {
        case READY -> "True";
        case MISSING -> "-";
        default -> o.conditions().stream().anyMatch(c -> "Ready".equals(c.getType()))
            ? "False" : "Unknown";
      };
      rows.add(new String[] {o.key().kind(), o.key().path(), ready, o.reason(),
          o.logtoId() == null ? "-" : o.logtoId()});
    }
    int[] widths = new int[5];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == row.length - 1 ? row[i] : pad(row[i], widths[i] + 2));
      }
      out.println(line.toString().stripTrailing());
    }
    for (ObjectState o : objects) {
      if (!o.isReady()) {
        out.println("  " + o.key() + ": " + o.reason() + ": " + o.message());
      }
    }
  }

  /** An object's state in a few words, for the lines printed when it changes. */
  static String describe(ObjectState o) {
    return switch (o.settle()) {
      case READY -> "Ready (" + o.reason()
          + (o.logtoId() == null ? "" : ", Logto id " + o.logtoId()) + ")";
      case MISSING -> "not in the Kubernetes API";
      default -> "not Ready: " + o.reason() + ": " + o.message();
    };
  }

  static void printSecrets(
      PrintWriter out, List<SandboxSummary.SecretEntry> secrets, KubernetesClient client) {
    if (secrets.isEmpty()) {
      out.println("Secrets written: none");
      return;
    }
    Map<String, String> secretKeys = appSecretKeys(client);
    out.println("Secrets written:");
    for (var secret : secrets) {
      String masked = secretKeys.getOrDefault(secret.namespace() + "/" + secret.name(),
          APP_SECRET_KEY);
      out.println("  " + secret.namespace() + "/" + secret.name());
      int width = secret.data().keySet().stream().mapToInt(String::length).max().orElse(0);
      secret.data().forEach((key, value) -> out.println("    " + pad(key, width + 2)
          + (key.equals(masked) || key.equals(APP_SECRET_KEY) ? MASK : value)));
    }
  }

  /**
   * A curl command obtaining a token with the credentials of one app, preferring one that does not
   * hold the Management API. With a real Logto the secret is masked.
   */
  static Optional<String> curlCommand(
      KubernetesClient client,
      List<SandboxSummary.SecretEntry> secrets,
      LogtoConnection connection,
      boolean localCredentials) {
    List<LogtoM2MApp> apps = client.resources(LogtoM2MApp.class).inAnyNamespace().list()
        .getItems();
    LogtoM2MApp chosen = null;
    for (LogtoM2MApp app : apps) {
      var status = app.getStatus();
      if (status == null || status.getAppId() == null || status.getGrants().isEmpty()
          || status.getSecretName() == null) {
        continue;
      }
      boolean management = status.getGrants().containsKey(connection.managementApiResource());
      if (chosen == null || (!management && chosen.getStatus().getGrants()
          .containsKey(connection.managementApiResource()))) {
        chosen = app;
      }
    }
    if (chosen == null) {
      return Optional.empty();
    }
    var status = chosen.getStatus();
    String ns = chosen.getMetadata().getNamespace();
    Optional<SandboxSummary.SecretEntry> secret = secrets.stream()
        .filter(s -> s.namespace().equals(ns) && s.name().equals(status.getSecretName()))
        .findFirst();
    if (secret.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> renames = chosen.getSpec().getSecret() == null
        ? Map.of() : chosen.getSpec().getSecret().getKeys();
    String id = secret.get().data().get(renames.getOrDefault(APP_ID_KEY, APP_ID_KEY));
    String value = secret.get().data().get(renames.getOrDefault(APP_SECRET_KEY, APP_SECRET_KEY));
    if (id == null || value == null) {
      return Optional.empty();
    }
    var grant = status.getGrants().entrySet().iterator().next();
    String scopes = String.join(" ", grant.getValue());
    return Optional.of("# with the credentials of LogtoM2MApp " + ns + "/"
        + chosen.getMetadata().getName() + " (Secret " + ns + "/" + status.getSecretName() + ")"
        + (localCredentials ? "" : "; the secret is masked: it is a real Logto's") + "\n"
        + "curl -s -u " + id + ":" + (localCredentials ? value : MASK)
        + " -d grant_type=client_credentials -d resource=" + grant.getKey()
        + (scopes.isEmpty() ? "" : " -d " + shellQuote("scope=" + scopes))
        + " " + connection.tokenEndpoint());
  }

  /** The (possibly renamed) app secret key of each app's Secret, by namespace/name. */
  private static Map<String, String> appSecretKeys(KubernetesClient client) {
    Map<String, String> keys = new HashMap<>();
    for (LogtoM2MApp app : client.resources(LogtoM2MApp.class).inAnyNamespace().list()
        .getItems()) {
      if (app.getStatus() == null || app.getStatus().getSecretName() == null) {
        continue;
      }
      String key = app.getSpec().getSecret() == null ? APP_SECRET_KEY
          : app.getSpec().getSecret().getKeys().getOrDefault(APP_SECRET_KEY, APP_SECRET_KEY);
      keys.put(app.getMetadata().getNamespace() + "/" + app.getStatus().getSecretName(), key);
    }
    return keys;
  }

  private static String shellQuote(String text) {
    return text.matches("[A-Za-z0-9_=:/.,@+-]+") ? text : "'" + text.replace("'", "'\\''") + "'";
  }

  private static String pad(String text, int width) {
    return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
  }
}
