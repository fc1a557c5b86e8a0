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
 * What the sandbox prints: a table of the objects, of the connections when there are several
 * tenants, the Secrets written (the app secret masked) and curl commands that obtain a token with
 * one app's credentials per tenant.
 */
final class SandboxReport {

  static final String APP_SECRET_KEY = "LOGTO_APP_SECRET";
  static final String APP_ID_KEY = "LOGTO_APP_ID";
  static final String TOKEN_ENDPOINT_KEY = "LOGTO_TOKEN_ENDPOINT";
  static final String MASK = "****";

  private SandboxReport() {}

  /**
   * @param showConnections add a CONNECTION column (several tenants, or objects that name a
   *     connection); without it the table is as it was before connections existed
   */
  static void printTable(PrintWriter out, List<ObjectState> objects, boolean showConnections) {
    List<String[]> rows = new ArrayList<>();
    rows.add(showConnections
        ? new String[] {"KIND", "NAMESPACE/NAME", "CONNECTION", "READY", "REASON", "LOGTO ID"}
        : new String[] {"KIND", "NAMESPACE/NAME", "READY", "REASON", "LOGTO ID"});
    for (ObjectState o : objects) {
      String ready = switch (o.settle()) {
        case READY -> "True";
        case MISSING -> "-";
        default -> o.conditions().stream().anyMatch(c -> "Ready".equals(c.getType()))
            ? "False" : "Unknown";
      };
      String logtoId = o.logtoId() == null ? "-" : o.logtoId();
      rows.add(showConnections
          ? new String[] {o.key().kind(), o.key().path(), o.connection(), ready, o.reason(),
              logtoId}
          : new String[] {o.key().kind(), o.key().path(), ready, o.reason(), logtoId});
    }
    printColumns(out, rows);
    for (ObjectState o : objects) {
      if (!o.isReady()) {
        out.println("  " + o.key() + ": " + o.reason() + ": " + o.message());
      }
    }
  }

  /**
   * The connections and what their tenants hold: the operator's own (no object in Kubernetes, so
   * no Ready of its own) and the sandbox's ClusterLogtoConnections.
   */
  static void printConnections(PrintWriter out, LogtoTarget own, List<ExtraTenants.State> extra) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"CONNECTION", "READY", "REASON", "ENDPOINT", "APPS", "ROLES",
        "RESOURCES"});
    rows.add(connectionRow(ObjectState.OWN_CONNECTION, "-", "-", own));
    for (ExtraTenants.State state : extra) {
      rows.add(connectionRow(state.tenant().label(), state.ready(), state.reason(),
          state.tenant().logto()));
    }
    printColumns(out, rows);
    for (ExtraTenants.State state : extra) {
      if (!state.connected()) {
        out.println("  " + state.tenant().label() + ": " + state.reason() + ": "
            + state.message());
      }
    }
  }

  private static String[] connectionRow(String label, String ready, String reason,
      LogtoTarget logto) {
    LogtoTarget.Inventory inventory = logto.inventory();
    return new String[] {label, ready, reason, logto.connection().endpoint().toString(),
        String.valueOf(inventory.applications()), String.valueOf(inventory.roles()),
        String.valueOf(inventory.resources())};
  }

  private static void printColumns(PrintWriter out, List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
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
   * For each connection, a curl command obtaining a token with the credentials of one of its apps,
   * preferring one that does not hold the Management API. The token endpoint is the one the
   * app's Secret gives its workloads, so it is the app's own tenant. With a real Logto the secret
   * is masked.
   *
   * @param connections by label ({@link ObjectState#connectionLabel}), in the order to print
   */
  static List<String> curlCommands(
      KubernetesClient client,
      List<SandboxSummary.SecretEntry> secrets,
      Map<String, LogtoConnection> connections,
      boolean localCredentials) {
    List<LogtoM2MApp> apps = client.resources(LogtoM2MApp.class).inAnyNamespace().list()
        .getItems();
    List<String> commands = new ArrayList<>();
    connections.forEach((label, connection) -> {
      LogtoM2MApp chosen = null;
      for (LogtoM2MApp app : apps) {
        var status = app.getStatus();
        if (!label.equals(ObjectState.connectionLabel(app.getSpec().getConnectionRef()))
            || status == null || status.getAppId() == null || status.getGrants().isEmpty()
            || status.getSecretName() == null) {
          continue;
        }
        boolean management = status.getGrants().containsKey(connection.managementApiResource());
        if (chosen == null || (!management && chosen.getStatus().getGrants()
            .containsKey(connection.managementApiResource()))) {
          chosen = app;
        }
      }
      if (chosen != null) {
        curlCommand(chosen, label, secrets, connection, localCredentials)
            .ifPresent(commands::add);
      }
    });
    return commands;
  }

  private static Optional<String> curlCommand(LogtoM2MApp app, String label,
      List<SandboxSummary.SecretEntry> secrets, LogtoConnection connection,
      boolean localCredentials) {
    var status = app.getStatus();
    String ns = app.getMetadata().getNamespace();
    Optional<SandboxSummary.SecretEntry> secret = secrets.stream()
        .filter(s -> s.namespace().equals(ns) && s.name().equals(status.getSecretName()))
        .findFirst();
    if (secret.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> renames = app.getSpec().getSecret() == null
        ? Map.of() : app.getSpec().getSecret().getKeys();
    Map<String, String> data = secret.get().data();
    String id = data.get(renames.getOrDefault(APP_ID_KEY, APP_ID_KEY));
    String value = data.get(renames.getOrDefault(APP_SECRET_KEY, APP_SECRET_KEY));
    if (id == null || value == null) {
      return Optional.empty();
    }
    String tokenEndpoint = data.getOrDefault(
        renames.getOrDefault(TOKEN_ENDPOINT_KEY, TOKEN_ENDPOINT_KEY), connection.tokenEndpoint());
    var grant = status.getGrants().entrySet().iterator().next();
    String scopes = String.join(" ", grant.getValue());
    return Optional.of("# with the credentials of LogtoM2MApp " + ns + "/"
        + app.getMetadata().getName() + " (Secret " + ns + "/" + status.getSecretName() + ")"
        + (ObjectState.OWN_CONNECTION.equals(label) ? ""
            : ", in the tenant of " + label.replace('/', ' '))
        + (localCredentials ? "" : "; the secret is masked: it is a real Logto's") + "\n"
        + "curl -s -u " + id + ":" + (localCredentials ? value : MASK)
        + " -d grant_type=client_credentials -d resource=" + grant.getKey()
        + (scopes.isEmpty() ? "" : " -d " + shellQuote("scope=" + scopes))
        + " " + tokenEndpoint);
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
