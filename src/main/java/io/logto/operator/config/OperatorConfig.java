package io.logto.operator.config;

import io.logto.operator.logto.LogtoClientOptions;
import io.logto.operator.logto.LogtoConnection;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The operator's configuration, read once at start from the environment and validated at once.
 *
 * @param logto where Logto is and the operator's own credentials
 * @param clientOptions timeouts, retries and the bound on concurrent Logto calls
 * @param watchNamespaces namespaces to watch; empty means all
 * @param privilegedNamespaces namespaces allowed to grant Management API scopes or to reference
 *     Logto objects the operator did not create
 * @param resyncInterval how often Logto is compared with the custom resources to correct drift
 * @param httpPort port of /healthz, /readyz and /metrics
 * @param logLevel root log level
 * @param leaderElection whether to take a Lease before reconciling
 * @param podNamespace namespace of the operator's pod (the Lease lives there)
 * @param clusterConnections whether to serve ClusterLogtoConnections
 */
public record OperatorConfig(
    LogtoConnection logto,
    LogtoClientOptions clientOptions,
    Set<String> watchNamespaces,
    Set<String> privilegedNamespaces,
    Duration resyncInterval,
    int httpPort,
    String logLevel,
    boolean leaderElection,
    String podNamespace,
    boolean clusterConnections) {

  public static final Duration DEFAULT_RESYNC = Duration.ofMinutes(10);
  public static final int DEFAULT_HTTP_PORT = 8080;

  public OperatorConfig {
    watchNamespaces = Set.copyOf(watchNamespaces);
    privilegedNamespaces = Set.copyOf(privilegedNamespaces);
  }

  /** Environment variables understood, in the order `--help` lists them. */
  public static final List<String> VARIABLES =
      List.of(
          "LOGTO_ENDPOINT",
          "LOGTO_TENANT_ID",
          "LOGTO_MANAGEMENT_API_RESOURCE",
          "LOGTO_APP_ID",
          "LOGTO_APP_ID_FILE",
          "LOGTO_APP_SECRET",
          "LOGTO_APP_SECRET_FILE",
          "LOGTO_CA_BUNDLE",
          "LOGTO_MAX_CONCURRENT_CALLS",
          "WATCH_NAMESPACES",
          "PRIVILEGED_NAMESPACES",
          "RESYNC_INTERVAL_SECONDS",
          "HTTP_PORT",
          "LOG_LEVEL",
          "LEADER_ELECTION_ENABLED",
          "POD_NAMESPACE",
          "CLUSTER_CONNECTIONS_ENABLED");

  /**
   * Reads the configuration from environment variables (see {@link #VARIABLES}).
   *
   * @throws ConfigException listing every problem found, not just the first
   */
  public static OperatorConfig fromEnvironment(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    URI endpoint = endpoint(env.get("LOGTO_ENDPOINT"), problems);
    String appId = valueOrFile(env, "LOGTO_APP_ID", problems);
    String appSecret = valueOrFile(env, "LOGTO_APP_SECRET", problems);
    String tenant = blankToNull(env.get("LOGTO_TENANT_ID"));
    String resource = blankToNull(env.get("LOGTO_MANAGEMENT_API_RESOURCE"));
    if (tenant != null && !tenant.matches("[a-z0-9-]+")) {
      problems.add("LOGTO_TENANT_ID must be a Logto tenant id (lowercase letters, digits, -)");
    }
    if (resource == null) {
      resource =
          LogtoConnection.managementApiResourceOf(
              tenant == null ? LogtoConnection.SELF_HOSTED_TENANT : tenant);
    } else if (!resource.matches("https?://\\S+")) {
      problems.add("LOGTO_MANAGEMENT_API_RESOURCE must be an absolute http(s) URI");
    }

    LogtoClientOptions options = LogtoClientOptions.defaults();
    int maxCalls =
        positiveInt(env, "LOGTO_MAX_CONCURRENT_CALLS", options.maxConcurrentCalls(), problems);
    options = options.withMaxConcurrentCalls(maxCalls);
    String ca = blankToNull(env.get("LOGTO_CA_BUNDLE"));
    if (ca != null) {
      if (!Files.isReadable(Path.of(ca))) {
        problems.add("LOGTO_CA_BUNDLE: cannot read " + ca);
      }
      options = options.withCaBundle(Path.of(ca));
    }
    int resyncSeconds =
        positiveInt(
            env, "RESYNC_INTERVAL_SECONDS", (int) DEFAULT_RESYNC.toSeconds(), problems);
    int port = positiveInt(env, "HTTP_PORT", DEFAULT_HTTP_PORT, problems);
    if (port > 65535) {
      problems.add("HTTP_PORT must be at most 65535");
    }
    String level = env.getOrDefault("LOG_LEVEL", "INFO").trim().toUpperCase();
    if (!Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR").contains(level)) {
      problems.add("LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR");
    }
    boolean leader = !"false".equalsIgnoreCase(env.getOrDefault("LEADER_ELECTION_ENABLED", "true"));
    String podNamespace = blankToNull(env.get("POD_NAMESPACE"));
    boolean clusterConnections = bool(env, "CLUSTER_CONNECTIONS_ENABLED", true, problems);

    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new OperatorConfig(
        new LogtoConnection(endpoint, resource, appId, appSecret),
        options,
        namespaces(env.get("WATCH_NAMESPACES")),
        namespaces(env.get("PRIVILEGED_NAMESPACES")),
        Duration.ofSeconds(resyncSeconds),
        port,
        level,
        leader,
        podNamespace,
        clusterConnections);
  }

  private static boolean bool(Map<String, String> env, String name, boolean fallback,
      List<String> problems) {
    String value = blankToNull(env.get(name));
    if (value == null) {
      return fallback;
    }
    if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
      problems.add(name + " must be true or false, got " + value);
      return fallback;
    }
    return Boolean.parseBoolean(value);
  }

  static Set<String> namespaces(String list) {
    if (list == null || list.isBlank()) {
      return Set.of();
    }
    return Arrays.stream(list.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static URI endpoint(String value, List<String> problems) {
    if (value == null || value.isBlank()) {
      problems.add("LOGTO_ENDPOINT is required (e.g. https://<tenant>.logto.app or"
          + " http://logto.logto.svc:3001)");
      return null;
    }
    try {
      URI uri = URI.create(value.trim());
      if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())
          || uri.getHost() == null) {
        problems.add("LOGTO_ENDPOINT must be an absolute http:// or https:// URL, got " + value);
      }
      return uri;
    } catch (IllegalArgumentException e) {
      problems.add("LOGTO_ENDPOINT is not a URL: " + value);
      return null;
    }
  }

  /** NAME from the environment, or the trimmed content of the file named by NAME_FILE. */
  private static String valueOrFile(Map<String, String> env, String name, List<String> problems) {
    String direct = blankToNull(env.get(name));
    String file = blankToNull(env.get(name + "_FILE"));
    if (direct != null) {
      return direct.trim();
    }
    if (file != null) {
      try {
        String content = Files.readString(Path.of(file)).trim();
        if (content.isEmpty()) {
          problems.add(name + "_FILE " + file + " is empty");
        }
        return content;
      } catch (IOException e) {
        problems.add(name + "_FILE: cannot read " + file);
        return null;
      }
    }
    problems.add(name + " (or " + name + "_FILE) is required: mount it from a Secret");
    return null;
  }

  private static int positiveInt(
      Map<String, String> env, String name, int fallback, List<String> problems) {
    String value = blankToNull(env.get(name));
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed <= 0) {
        problems.add(name + " must be a positive whole number, got " + value);
      }
      return parsed;
    } catch (NumberFormatException e) {
      problems.add(name + " must be a positive whole number, got " + value);
      return fallback;
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
