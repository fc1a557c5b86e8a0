package io.logto.operator.sandbox.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** JSON values as the API server sees them after decoding. */
final class JsonTypes {

  private JsonTypes() {}

  /** The JSON type's name in schema errors: string, integer, number, boolean, object, array, null. */
  static String typeName(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return "null";
    }
    if (node.isTextual()) {
      return "string";
    }
    if (node.isIntegralNumber()) {
      return "integer";
    }
    if (node.isNumber()) {
      return "number";
    }
    if (node.isBoolean()) {
      return "boolean";
    }
    return node.isArray() ? "array" : "object";
  }

  /**
   * A scalar as a Java value (String, Long, Double or Boolean), as an error shows it and as CEL
   * sees it; null otherwise.
   */
  static Object scalar(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    return null;
  }

  /**
   * A copy without the null-valued properties that the schema does not declare nullable: the API
   * server drops them before validating, so {@code description: null} is as if unset.
   */
  static JsonNode withoutNulls(JsonNode value, JsonNode schema) {
    if (value == null || !value.isContainerNode()) {
      return value;
    }
    if (value.isArray()) {
      var copy = JsonNodeFactory.instance.arrayNode();
      JsonNode items = schema == null ? null : schema.get("items");
      value.forEach(item -> copy.add(withoutNulls(item, items)));
      return copy;
    }
    ObjectNode copy = JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode fieldSchema = propertySchema(schema, field.getKey());
      if (field.getValue().isNull()
          && (fieldSchema == null || !fieldSchema.path("nullable").asBoolean(false))) {
        continue;
      }
      copy.set(field.getKey(), withoutNulls(field.getValue(), fieldSchema));
    }
    return copy;
  }

  /** The schema of an object's property: declared, else the schema of its map values. */
  static JsonNode propertySchema(JsonNode schema, String name) {
    if (schema == null) {
      return null;
    }
    JsonNode declared = schema.path("properties").get(name);
    if (declared != null) {
      return declared;
    }
    JsonNode additional = schema.get("additionalProperties");
    return additional != null && additional.isObject() ? additional : null;
  }
}
