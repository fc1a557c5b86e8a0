package io.logto.operator.logto;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * A Logto path such as {@code /api/roles/{id}/scopes/{scopeId}} with its values. The template
 * labels logs and metrics without ids; the values are encoded as path segments, so an id or a
 * secret name with a space or a slash stays one segment.
 */
final class ApiPath {

  private final String template;
  private final List<String> values;

  private ApiPath(String template, List<String> values) {
    this.template = template;
    this.values = values;
  }

  static ApiPath of(String template, String... values) {
    int placeholders = 0;
    for (String segment : segmentsOf(template)) {
      if (isPlaceholder(segment)) {
        placeholders++;
      }
    }
    if (placeholders != values.length) {
      throw new IllegalArgumentException(
          template + " takes " + placeholders + " values, got " + values.length);
    }
    for (String value : values) {
      Objects.requireNonNull(value, () -> "a value of " + template);
      if (value.isEmpty()) {
        throw new IllegalArgumentException("empty id in " + template);
      }
    }
    return new ApiPath(template, List.of(values));
  }

  String template() {
    return template;
  }

  /** The URL of this path under Logto's endpoint (which may itself carry a path prefix). */
  HttpUrl under(HttpUrl endpoint) {
    HttpUrl.Builder url = endpoint.newBuilder();
    int next = 0;
    for (String segment : segmentsOf(template)) {
      if (isPlaceholder(segment)) {
        url.addPathSegment(values.get(next++));
      } else {
        url.addPathSegment(segment);
      }
    }
    return url.build();
  }

  private static List<String> segmentsOf(String template) {
    if (!template.startsWith("/")) {
      throw new IllegalArgumentException("path template must start with /: " + template);
    }
    List<String> segments = new ArrayList<>();
    for (String segment : template.substring(1).split("/")) {
      segments.add(segment);
    }
    return segments;
  }

  private static boolean isPlaceholder(String segment) {
    return segment.startsWith("{") && segment.endsWith("}");
  }

  @Override
  public String toString() {
    return template;
  }
}
