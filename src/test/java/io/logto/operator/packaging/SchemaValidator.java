package io.logto.operator.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The structural part of a CRD's OpenAPI schema, checked the way the API server would (the mock
 * server checks nothing): types, required fields, unknown fields (which a real server prunes
 * silently), patterns, enums, lengths, and the "exactly one of" CEL rules of the form
 * {@code has(self.a) != has(self.b)}. Other CEL rules are not evaluated.
 */
final class SchemaValidator {

  private static final Pattern EXACTLY_ONE =
      Pattern.compile("^has\\(self\\.(\\w+)\\) != has\\(self\\.(\\w+)\\)$");

  private final List<String> errors = new ArrayList<>();

  private SchemaValidator() {}

  static List<String> validate(JsonNode value, JSONSchemaProps schema, String path) {
    SchemaValidator validator = new SchemaValidator();
    validator.check(value, schema, path);
    return validator.errors;
  }

  private void check(JsonNode value, JSONSchemaProps schema, String path) {
    String type = schema.getType();
    if (type != null && !hasType(value, type)) {
      errors.add(path + ": expected " + type + ", got " + value.getNodeType());
      return;
    }
    if (schema.getEnum() != null && !schema.getEnum().isEmpty()
        && schema.getEnum().stream().noneMatch(e -> e.equals(value))) {
      errors.add(path + ": " + value + " is not one of " + schema.getEnum());
    }
    if (value.isTextual()) {
      checkString(value.asText(), schema, path);
    } else if (value.isNumber()) {
      if (schema.getMinimum() != null && value.asDouble() < schema.getMinimum()) {
        errors.add(path + ": below minimum " + schema.getMinimum());
      }
      if (schema.getMaximum() != null && value.asDouble() > schema.getMaximum()) {
        errors.add(path + ": above maximum " + schema.getMaximum());
      }
    } else if (value.isArray()) {
      checkArray(value, schema, path);
    } else if (value.isObject()) {
      checkObject(value, schema, path);
    }
  }

  private void checkString(String text, JSONSchemaProps schema, String path) {
    if (schema.getMinLength() != null && text.length() < schema.getMinLength()) {
      errors.add(path + ": shorter than " + schema.getMinLength());
    }
    if (schema.getMaxLength() != null && text.length() > schema.getMaxLength()) {
      errors.add(path + ": longer than " + schema.getMaxLength());
    }
    if (schema.getPattern() != null && !Pattern.compile(schema.getPattern()).matcher(text).find()) {
      errors.add(path + ": \"" + text + "\" does not match " + schema.getPattern());
    }
  }

  private void checkArray(JsonNode array, JSONSchemaProps schema, String path) {
    if (schema.getMinItems() != null && array.size() < schema.getMinItems()) {
      errors.add(path + ": fewer than " + schema.getMinItems() + " items");
    }
    if (schema.getMaxItems() != null && array.size() > schema.getMaxItems()) {
      errors.add(path + ": more than " + schema.getMaxItems() + " items");
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      for (int i = 0; i < array.size(); i++) {
        check(array.get(i), schema.getItems().getSchema(), path + "[" + i + "]");
      }
    }
  }

  private void checkObject(JsonNode object, JSONSchemaProps schema, String path) {
    if (schema.getRequired() != null) {
      for (String required : schema.getRequired()) {
        if (!object.has(required)) {
          errors.add(path + ": missing required field " + required);
        }
      }
    }
    Map<String, JSONSchemaProps> properties = schema.getProperties();
    JSONSchemaProps additional = schema.getAdditionalProperties() == null
        ? null : schema.getAdditionalProperties().getSchema();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String fieldPath = path + "." + field.getKey();
      if (properties != null && properties.containsKey(field.getKey())) {
        check(field.getValue(), properties.get(field.getKey()), fieldPath);
      } else if (additional != null) {
        check(field.getValue(), additional, fieldPath);
      } else if (!Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())) {
        errors.add(fieldPath + ": unknown field (the API server would drop it)");
      }
    }
    if (schema.getXKubernetesValidations() != null) {
      for (ValidationRule rule : schema.getXKubernetesValidations()) {
        Matcher m = EXACTLY_ONE.matcher(rule.getRule());
        if (m.matches() && object.has(m.group(1)) == object.has(m.group(2))) {
          errors.add(path + ": " + rule.getMessage());
        }
      }
    }
  }

  private static boolean hasType(JsonNode value, String type) {
    return switch (type) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber();
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      default -> true;
    };
  }
}
