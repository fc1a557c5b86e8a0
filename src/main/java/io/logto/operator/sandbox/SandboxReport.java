package io.logto.operator.sandbox;

import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.logto.LogtoConnection;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the sandbox prints: a table of the objects, of the connections when there are several
 * tenants, the Secrets written (the app secret masked) and curl commands that obtain a token with
 * one app's credentials per tenant.
 */
final class SandboxReport {

  static final String APP_SECRET_KEY = "LOGTO_APP_SECRET";
  /** The replaced secret during a rotation's grace period: still valid, so masked as well. */
  static final String PREVIOUS_APP_SECRET_KEY = "LOGTO_APP_SECRET_PREVIOUS";
  static final String APP_ID_KEY = "LOGTO_APP_ID";
  /** The keys masked on screen, before spec.secret.keys renames them. */
  static final Set<String> SECRET_KEYS = Set.of(APP_SECRET_KEY, PREVIOUS_APP_SECRET_KEY);
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

  /** @param apps the LogtoM2MApps, for the keys their Secrets hold the app secrets under */
  static void printSecrets(
      PrintWriter out, List<SandboxSummary.SecretEntry> secrets, List<LogtoM2MApp> apps) {
    if (secrets.isEmpty()) {
      out.println("Secrets written: none");
      return;
    }
    Map<String, Set<String>> secretKeys = appSecretKeys(apps);
    out.println("Secrets written:");
    for (var secret : secrets) {
      Set<String> masked = secretKeys.getOrDefault(secret.namespace() + "/" + secret.name(),
          SECRET_KEYS);
      out.println("  " + secret.namespace() + "/" + secret.name());
      int width = secret.data().keySet().stream().mapToInt(String::length).max().orElse(0);
      secret.data().forEach((key, value) -> out.println("    " + pad(key, width + 2)
          + (masked.contains(key) ? MASK : value)));
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
      List<LogtoM2MApp> apps,
      List<SandboxSummary.SecretEntry> secrets,
      Map<String, LogtoConnection> connections,
      boolean localCredentials) {
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

  /**
   * The keys of the app secret and of the previous one during a rotation, under their default
   * names and as spec.secret.keys renames them, of each app's Secret, by namespace/name.
   */
  private static Map<String, Set<String>> appSecretKeys(List<LogtoM2MApp> apps) {
    Map<String, Set<String>> keys = new HashMap<>();
    for (LogtoM2MApp app : apps) {
      if (app.getStatus() == null || app.getStatus().getSecretName() == null) {
        continue;
      }
      Map<String, String> renames = app.getSpec().getSecret() == null ? Map.of()
          : app.getSpec().getSecret().getKeys();
      Set<String> masked = new HashSet<>(SECRET_KEYS);
      SECRET_KEYS.forEach(key -> masked.add(renames.getOrDefault(key, key)));
      keys.put(app.getMetadata().getNamespace() + "/" + app.getStatus().getSecretName(), masked);
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
