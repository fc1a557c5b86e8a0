package io.logto.operator.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.logto.operator.reconciler.common.ManagedLabels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sandbox's outcome as JSON: each object with the connection it is reconciled through and its
 * conditions, the documents refused (file, kind, namespace, name and the API server's message),
 * the Secrets the operator wrote (plain values: the sandbox's credentials are local), what Logto
 * holds and served ({@code logto}: the operator's own tenant), and each connection with its state
 * and what its tenant holds and served ({@code connections}: the operator's own first).
 */
public record SandboxSummary(
    List<ObjectEntry> objects, List<Rejection> rejected, List<SecretEntry> secrets,
    LogtoEntry logto, List<ConnectionEntry> connections) {

  /** @param connection {@code own}, or e.g. {@code ClusterLogtoConnection/tenant-2} */
  public record ObjectEntry(
      String kind, String namespace, String name, String connection, String logtoId,
      List<ConditionEntry> conditions) {}

  /**
   * @param connection as the objects name it
   * @param ready the Ready condition's status ({@code True}, {@code False}, {@code -}); null for
   *     the operator's own connection, which has no object in Kubernetes
   */
  public record ConnectionEntry(
      String connection, String endpoint, String ready, String reason, String message,
      LogtoEntry logto) {}

  public record ConditionEntry(String type, String status, String reason, String message) {}

  public record SecretEntry(String namespace, String name, Map<String, String> data) {}

  public record LogtoEntry(
      long applications, long roles, long resources, long tokenRequests, Map<String, Long> calls) {}

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static SandboxSummary empty() {
    return new SandboxSummary(List.of(), List.of(), List.of(),
        new LogtoEntry(0, 0, 0, 0, Map.of()), List.of());
  }

  /** @param extraTenants the connections to the tenants beyond the operator's own */
  public static SandboxSummary of(List<ObjectState> objects, List<Rejection> rejected,
      List<SecretEntry> secrets, LogtoTarget logto, List<ExtraTenants.State> extraTenants) {
    List<ObjectEntry> entries = objects.stream()
        .map(o -> new ObjectEntry(o.key().kind(), o.key().namespace(), o.key().name(),
            o.connection(), o.logtoId(), o.conditions().stream()
                .map(c -> new ConditionEntry(c.getType(), c.getStatus(), c.getReason(),
                    c.getMessage()))
                .toList()))
        .toList();
    LogtoEntry own = logtoEntry(logto);
    List<ConnectionEntry> connections = new java.util.ArrayList<>();
    connections.add(new ConnectionEntry(ObjectState.OWN_CONNECTION,
        logto.connection().endpoint().toString(), null, null,
        "the operator's own connection: objects without spec.connectionRef", own));
    extraTenants.forEach(t -> connections.add(new ConnectionEntry(t.tenant().label(),
        t.tenant().logto().connection().endpoint().toString(), t.ready(), t.reason(),
        t.message(), logtoEntry(t.tenant().logto()))));
    return new SandboxSummary(entries, List.copyOf(rejected), secrets, own,
        List.copyOf(connections));
  }

  private static LogtoEntry logtoEntry(LogtoTarget logto) {
    LogtoTarget.Inventory inventory = logto.inventory();
    CallCounts counts = logto.counts();
    return new LogtoEntry(inventory.applications(), inventory.roles(), inventory.resources(),
        counts.tokenRequests(), counts.sortedCalls());
  }

  /** The Secrets the operator wrote (by its label), values decoded. */
  public static List<SecretEntry> managedSecrets(KubernetesClient client) {
    return client.secrets().inAnyNamespace().withLabel(ManagedLabels.MANAGED_BY,
            ManagedLabels.OPERATOR).list().getItems().stream()
        .sorted(Comparator.comparing((Secret s) -> s.getMetadata().getNamespace())
            .thenComparing(s -> s.getMetadata().getName()))
        .map(s -> new SecretEntry(s.getMetadata().getNamespace(), s.getMetadata().getName(),
            decode(s.getData())))
        .toList();
  }

  private static Map<String, String> decode(Map<String, String> data) {
    Map<String, String> plain = new TreeMap<>();
    if (data != null) {
      data.forEach((k, v) -> plain.put(k,
          new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    return plain;
  }

  public void write(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    JSON.writeValue(file.toFile(), this);
  }

  public static SandboxSummary read(Path file) throws IOException {
    return JSON.readValue(file.toFile(), SandboxSummary.class);
  }
}
