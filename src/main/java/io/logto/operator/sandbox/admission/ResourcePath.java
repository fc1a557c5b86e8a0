package io.logto.operator.sandbox.admission;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A request path of the Kubernetes API, e.g.
 * {@code /apis/m2m.logto.io/v1alpha1/namespaces/default/logtom2mapps/order-stats/status?dryRun=All}.
 *
 * @param group empty for the core API ({@code /api/v1})
 * @param name empty for a collection
 * @param subresource empty for the object itself, e.g. {@code status}
 */
record ResourcePath(String group, String version, String namespace, String plural, String name,
    String subresource, Map<String, String> query) {

  static Optional<ResourcePath> parse(String requestPath) {
    int question = requestPath.indexOf('?');
    String path = question < 0 ? requestPath : requestPath.substring(0, question);
    Map<String, String> query = new HashMap<>();
    if (question >= 0) {
      for (String pair : requestPath.substring(question + 1).split("&")) {
        int equals = pair.indexOf('=');
        if (equals > 0) {
          query.put(decode(pair.substring(0, equals)), decode(pair.substring(equals + 1)));
        }
      }
    }
    String[] parts = path.replaceAll("^/+|/+$", "").split("/");
    int i;
    String group;
    if (parts.length >= 2 && parts[0].equals("api")) {
      group = "";
      i = 1;
    } else if (parts.length >= 3 && parts[0].equals("apis")) {
      group = parts[1];
      i = 2;
    } else {
      return Optional.empty();
    }
    String version = parts[i++];
    String namespace = "";
    if (parts.length > i + 1 && parts[i].equals("namespaces")) {
      namespace = parts[i + 1];
      i += 2;
    }
    if (parts.length <= i) {
      return Optional.empty();
    }
    String plural = parts[i++];
    String name = parts.length > i ? parts[i++] : "";
    String subresource = parts.length > i ? parts[i] : "";
    return Optional.of(new ResourcePath(group, version, namespace, plural, name, subresource,
        Map.copyOf(query)));
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
