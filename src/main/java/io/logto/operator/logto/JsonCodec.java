package io.logto.operator.logto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON to and from Logto. Null properties are left out of requests, since Logto's PATCH routes
 * treat a missing field as "unchanged" but may refuse an explicit null; nulls inside maps (such as
 * {@code customData}) are kept as given.
 */
final class JsonCodec {

  private final ObjectMapper mapper =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .defaultPropertyInclusion(
              JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS))
          .build();

  String write(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  <T> T read(Answer answer, Class<T> type, String what) {
    try {
      return mapper.readValue(answer.body(), type);
    } catch (JsonProcessingException e) {
      throw unreadable(answer, what, e);
    }
  }

  <T> T read(Answer answer, TypeReference<T> type, String what) {
    try {
      return mapper.readValue(answer.body(), type);
    } catch (JsonProcessingException e) {
      throw unreadable(answer, what, e);
    }
  }

  /** The body as a tree, or null when it is not JSON at all. */
  JsonNode tree(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return mapper.readTree(body);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /**
   * The error of a non-2xx answer: Logto's {@code code} and {@code message} when the body carries
   * them. A body that is not Logto's JSON (a proxy's HTML page, say) is not quoted: it could hold
   * anything.
   */
  LogtoException error(Answer answer, String what) {
    String code = null;
    String message = null;
    JsonNode body = tree(answer.body());
    if (body != null && body.isObject()) {
      code = text(body, "code");
      message = text(body, "message");
      if (code == null && text(body, "error") != null) {
        // A plain OAuth error ({error, error_description}) without Logto's own code.
        code = "oidc." + text(body, "error");
        message = text(body, "error_description");
      }
    }
    StringBuilder text = new StringBuilder(what).append(": HTTP ").append(answer.status());
    if (code != null) {
      text.append(' ').append(code);
    }
    if (message != null) {
      text.append(": ").append(message);
    }
    return new LogtoException(answer.status(), code, text.toString());
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static LogtoException unreadable(Answer answer, String what, Exception cause) {
    // The parser's message may quote the body, which may hold a secret: keep only its type.
    return new LogtoException(
        answer.status(),
        null,
        what + ": unreadable answer (HTTP " + answer.status() + ", "
            + cause.getClass().getSimpleName() + ")");
  }
}
