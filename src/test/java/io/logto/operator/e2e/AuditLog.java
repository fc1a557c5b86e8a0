package io.logto.operator.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The API server's audit log (JSON lines, level Metadata): who asked what, and the answer. */
final class AuditLog {

  /**
   * One request. {@code resource} includes the subresource ({@code logtoroles/status});
   * {@code apiGroup} is empty for the core group; {@code namespace} is empty for cluster-scoped
   * requests and requests across all namespaces.
   */
  record Request(String user, String verb, String apiGroup, String resource, String namespace,
      String name, int code, boolean forbidden) {

    @Override
    public String toString() {
      return verb + " " + (apiGroup.isEmpty() ? "" : apiGroup + "/") + resource
          + (namespace.isEmpty() ? "" : " in " + namespace) + (name.isEmpty() ? "" : " " + name)
          + " -> " + code + (forbidden ? " (forbidden)" : "");
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private AuditLog() {}

  /** The resource requests (not discovery of /api, /version...) that {@code user} made. */
  static List<Request> requestsBy(Path log, String user) {
    // A watch is logged when its answer starts and again when it ends: one request per audit id.
    java.util.Map<String, Request> requests = new java.util.LinkedHashMap<>();
    try (var lines = Files.lines(log)) {
      lines.forEach(line -> {
        JsonNode event = read(line);
        JsonNode ref = event.path("objectRef");
        if (!user.equals(event.path("user").path("username").asText()) || ref.isMissingNode()) {
          return;
        }
        String subresource = ref.path("subresource").asText("");
        requests.put(event.path("auditID").asText(), new Request(user, event.path("verb").asText(),
            ref.path("apiGroup").asText(""),
            ref.path("resource").asText() + (subresource.isEmpty() ? "" : "/" + subresource),
            ref.path("namespace").asText(""), ref.path("name").asText(""),
            event.path("responseStatus").path("code").asInt(),
            "forbid".equals(event.path("annotations").path("authorization.k8s.io/decision")
                .asText())));
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(requests.values());
  }

  private static JsonNode read(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
