package io.logto.operator.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Matches "METHOD /path" against route templates like {@code /api/roles/{id}/scopes}. */
final class Router {
  /** Handles one matched request. */
  @FunctionalInterface
  interface Handler {
    Reply handle(Request request);
  }

  /** A route: method, template and handler. */
  record Route(String method, String template, String[] segments, Handler handler) {}

  /** The outcome of matching: a route with its path params, or why none matched. */
  record Match(Route route, Map<String, String> params, Set<String> allowedMethods) {
    boolean found() {
      return route != null;
    }

    ApiError error(String method, String path) {
      if (allowedMethods.isEmpty()) {
        return Errors.of(404, "request.general", "Not Found: " + method + " " + path);
      }
      return Errors.of(405, "request.general", "Method Not Allowed: " + method + " " + path)
          .header("Allow", String.join(", ", allowedMethods));
    }
  }

  private final List<Route> routes = new ArrayList<>();

  void add(String method, String template, Handler handler) {
    routes.add(new Route(method, template, split(template), handler));
  }

  Match match(String method, String rawPath) {
    String[] segments = split(rawPath);
    Set<String> allowed = new LinkedHashSet<>();
    for (Route route : routes) {
      Map<String, String> params = matchSegments(route.segments(), segments);
      if (params == null) {
        continue;
      }
      if (route.method().equals(method)) {
        return new Match(route, params, Set.of());
      }
      allowed.add(route.method());
    }
    return new Match(null, Map.of(), allowed);
  }

  private static Map<String, String> matchSegments(String[] template, String[] actual) {
    if (template.length != actual.length) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < template.length; i++) {
      String t = template[i];
      if (t.startsWith("{") && t.endsWith("}")) {
        if (actual[i].isEmpty()) {
          return null;
        }
        params.put(t.substring(1, t.length() - 1), Request.decodePathSegment(actual[i]));
      } else if (!t.equals(actual[i])) {
        return null;
      }
    }
    return params;
  }

  private static String[] split(String path) {
    String trimmed = path;
    while (trimmed.length() > 1 && trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    if (trimmed.startsWith("/")) {
      trimmed = trimmed.substring(1);
    }
    return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
  }
}
