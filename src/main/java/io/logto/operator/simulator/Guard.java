package io.logto.operator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates a JSON body the way Logto's koa-guard (zod) does: wrong or missing required fields are
 * 400 {@code guard.invalid_input} with zod-like {@code details}; unknown fields are ignored (zod
 * strips them); {@code null} is only accepted where the schema is nullable.
 */
final class Guard {
  private final ObjectNode body;

  private Guard(ObjectNode body) {
    this.body = body;
  }

  static Guard of(Request request) {
    JsonNode node = request.json();
    if (!node.isObject()) {
      throw fail("", "invalid_type", "Expected object but received " + kind(node) + ".");
    }
    return new Guard((ObjectNode) node);
  }

  ObjectNode raw() {
    return body;
  }

  /** Present in the body, even as null. */
  boolean has(String key) {
    return body.has(key);
  }

  String requiredString(String key, int min, int max) {
    if (!body.has(key)) {
      throw fail(key, "invalid_type", "Expected string but received undefined.");
    }
    return checkString(key, body.get(key), min, max);
  }

  /** An optional, non-nullable string: null if absent. */
  String optionalString(String key, int min, int max) {
    return body.has(key) ? checkString(key, body.get(key), min, max) : null;
  }

  /** An optional, nullable string: check {@link #has} to tell absent from null. */
  String nullableString(String key, int min, int max) {
    JsonNode node = body.get(key);
    return node == null || node.isNull() ? null : checkString(key, node, min, max);
  }

  private static String checkString(String key, JsonNode node, int min, int max) {
    if (!node.isTextual()) {
      throw fail(key, "invalid_type", "Expected string but received " + kind(node) + ".");
    }
    String value = node.textValue();
    if (value.length() < min) {
      throw fail(key, "too_small", "String must contain at least " + min + " character(s)");
    }
    if (value.length() > max) {
      throw fail(key, "too_big", "String must contain at most " + max + " character(s)");
    }
    return value;
  }

  String optionalEnum(String key, List<String> allowed) {
    String value = optionalString(key, 0, Integer.MAX_VALUE);
    if (value != null && !allowed.contains(value)) {
      throw fail(key, "invalid_enum_value", "Invalid enum value. Expected "
          + String.join(" | ", allowed.stream().map(s -> "'" + s + "'").toList())
          + ", received '" + value + "'");
    }
    return value;
  }

  String requiredEnum(String key, List<String> allowed) {
    if (!body.has(key)) {
      throw fail(key, "invalid_type", "Expected " + String.join(" | ", allowed)
          + " but received undefined.");
    }
    return optionalEnum(key, allowed);
  }

  Boolean optionalBoolean(String key) {
    JsonNode node = body.get(key);
    if (node == null) {
      return null;
    }
    if (!node.isBoolean()) {
      throw fail(key, "invalid_type", "Expected boolean but received " + kind(node) + ".");
    }
    return node.booleanValue();
  }

  /** An optional whole number; {@code nullable} accepts null (read as absent). */
  Long optionalLong(String key, boolean nullable) {
    JsonNode node = body.get(key);
    if (node == null || (nullable && node.isNull())) {
      return null;
    }
    if (!node.isNumber()) {
      throw fail(key, "invalid_type", "Expected number but received " + kind(node) + ".");
    }
    if (!node.canConvertToExactIntegral() || !node.canConvertToLong()) {
      throw fail(key, "invalid_type", "Expected integer but received float.");
    }
    return node.longValue();
  }

  ObjectNode optionalObject(String key) {
    JsonNode node = body.get(key);
    if (node == null) {
      return null;
    }
    if (!node.isObject()) {
      throw fail(key, "invalid_type", "Expected object but received " + kind(node) + ".");
    }
    return (ObjectNode) node;
  }

  /**
   * An array of strings of at least one character each, duplicates removed (order kept); null if
   * absent and not required.
   */
  List<String> stringArray(String key, boolean required, boolean nonEmpty) {
    JsonNode node = body.get(key);
    if (node == null) {
      if (required) {
        throw fail(key, "invalid_type", "Expected array but received undefined.");
      }
      return null;
    }
    if (!node.isArray()) {
      throw fail(key, "invalid_type", "Expected array but received " + kind(node) + ".");
    }
    if (nonEmpty && node.isEmpty()) {
      throw fail(key, "too_small", "Array must contain at least 1 element(s)");
    }
    Set<String> values = new LinkedHashSet<>();
    for (int i = 0; i < node.size(); i++) {
      values.add(checkString(key + "." + i, node.get(i), 1, Integer.MAX_VALUE));
    }
    return new ArrayList<>(values);
  }

  static ApiError fail(String path, String code, String message) {
    return Errors.invalidInput("body",
        "Error in key path \"" + path + "\": (" + code + ") " + message);
  }

  private static String kind(JsonNode node) {
    if (node.isNull()) {
      return "null";
    }
    if (node.isTextual()) {
      return "string";
    }
    if (node.isNumber()) {
      return "number";
    }
    if (node.isBoolean()) {
      return "boolean";
    }
    return node.isArray() ? "array" : "object";
  }
}
