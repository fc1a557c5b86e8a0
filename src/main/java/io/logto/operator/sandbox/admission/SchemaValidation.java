package io.logto.operator.sandbox.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CRD's OpenAPI v3 schema applied to objects by a JSON Schema validator (networknt, draft 4,
 * whose keywords are those of OpenAPI 3.0), each of its errors worded as the API server words it
 * for that keyword. The validator finds the errors; this class only names them.
 */
final class SchemaValidation {

  /** Schema keywords that say nothing about validity, or that the API server handles otherwise. */
  private static final Set<String> NOT_VALIDATED =
      Set.of("description", "default", "example", "externalDocs", "title", "format", "nullable");

  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
      SpecificationVersion.DRAFT_4,
      builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder()
          .regularExpressionFactory(Re2Patterns.INSTANCE)
          .build()));

  private final JsonNode jsonSchema;
  private final Schema schema;

  /** @param openApiSchema the schema as the CRD holds it (openAPIV3Schema, or a part of it) */
  SchemaValidation(JsonNode openApiSchema) {
    this.jsonSchema = asJsonSchema(openApiSchema);
    this.schema = REGISTRY.getSchema(jsonSchema);
  }

  /**
   * The errors of {@code value}, with paths from {@code at} (the place of the value in the object).
   */
  List<FieldError> validate(JsonNode value, FieldPath at) {
    List<FieldError> errors = new ArrayList<>();
    for (Error error : schema.validate(value)) {
      FieldPath path = at;
      NodePath location = error.getInstanceLocation();
      for (int i = 0; i < location.getNameCount(); i++) {
        Object element = location.getElement(i);
        path = element instanceof Integer index ? path.index(index) : path.child(element.toString());
      }
      FieldError named = named(error, path);
      if (named != null) {
        errors.add(named);
      }
    }
    return errors;
  }

  /**
   * The API server's wording of one error (k8s.io/apiextensions-apiserver's validation of custom
   * resources, over kube-openapi's messages); null for an error it would not report.
   */
  private FieldError named(Error error, FieldPath path) {
    JsonNode instance = error.getInstanceNode();
    JsonNode keywordValue = error.getSchemaNode();
    String where = path + " in body";
    return switch (error.getKeyword()) {
      case "type" -> {
        String actual = JsonTypes.typeName(instance);
        yield new FieldError(ErrorType.TYPE_INVALID, path, actual,
            where + " must be of type " + expectedType(keywordValue) + ": " + GoText.quote(actual));
      }
      case "required" ->
          new FieldError(ErrorType.REQUIRED, path.child(error.getProperty()), null, "");
      case "enum" -> new FieldError(ErrorType.NOT_SUPPORTED, path, JsonTypes.scalar(instance),
          "supported values: " + supportedValues(keywordValue));
      case "pattern" -> new FieldError(ErrorType.INVALID, path, JsonTypes.scalar(instance),
          where + " should match '" + keywordValue.asText() + "'");
      case "minLength" -> new FieldError(ErrorType.INVALID, path, JsonTypes.scalar(instance),
          where + " should be at least " + keywordValue.asLong() + " chars long");
      case "maxLength" -> new FieldError(ErrorType.TOO_LONG, path, JsonTypes.scalar(instance),
          "may not be more than " + keywordValue.asLong()
              + (keywordValue.asLong() == 1 ? " byte" : " bytes"));
      case "minimum" -> new FieldError(ErrorType.INVALID, path, JsonTypes.scalar(instance),
          where + " should be greater than "
              + (exclusive(error, "exclusiveMinimum") ? "" : "or equal to ")
              + bound(keywordValue, instance));
      case "maximum" -> new FieldError(ErrorType.INVALID, path, JsonTypes.scalar(instance),
          where + " should be less than "
              + (exclusive(error, "exclusiveMaximum") ? "" : "or equal to ")
              + bound(keywordValue, instance));
      case "multipleOf" -> new FieldError(ErrorType.INVALID, path, JsonTypes.scalar(instance),
          where + " should be a multiple of " + bound(keywordValue, instance));
      case "minItems" -> new FieldError(ErrorType.INVALID, path, (long) instance.size(),
          where + " should have at least " + keywordValue.asLong() + " items");
      case "maxItems", "maxProperties" -> new FieldError(ErrorType.TOO_MANY, path,
          (long) instance.size(), "must have at most " + keywordValue.asLong()
              + (keywordValue.asLong() == 1 ? " item" : " items"));
      case "minProperties" -> new FieldError(ErrorType.INVALID, path, (long) instance.size(),
          where + " should have at least " + keywordValue.asLong() + " properties");
      case "uniqueItems" -> new FieldError(ErrorType.DUPLICATE, path,
          JsonTypes.typeName(instance), "");
      // The API server prunes fields its schema does not declare: they are not errors.
      case "additionalProperties" -> null;
      default -> new FieldError(ErrorType.INVALID, path, JsonTypes.typeName(instance),
          error.getMessage());
    };
  }

  private static String expectedType(JsonNode type) {
    if (type == null) {
      return "";
    }
    if (type.isArray()) {
      List<String> names = new ArrayList<>();
      type.forEach(t -> {
        if (!t.asText().equals("null")) {
          names.add(t.asText());
        }
      });
      return String.join(",", names);
    }
    return type.asText();
  }

  private static String supportedValues(JsonNode values) {
    List<String> shown = new ArrayList<>();
    values.forEach(v -> shown.add(v.isTextual() ? GoText.quote(v.asText()) : v.toString()));
    return String.join(", ", shown);
  }

  /** Whether the schema holding the failed keyword makes its bound exclusive (draft 4 style). */
  private boolean exclusive(Error error, String keyword) {
    String location = error.getSchemaLocation().toString();
    String pointer = location.substring(location.indexOf('#') + 1);
    String parent = pointer.substring(0, Math.max(0, pointer.lastIndexOf('/')));
    return jsonSchema.at(parent).path(keyword).asBoolean(false);
  }

  /** A bound as Go prints it: integral when the value checked is an integer. */
  private static String bound(JsonNode bound, JsonNode instance) {
    if (instance != null && instance.isIntegralNumber()) {
      return GoText.number((long) bound.asDouble());
    }
    return GoText.number(bound.isIntegralNumber() ? (Number) bound.asLong() : bound.asDouble());
  }

  /** The OpenAPI schema of a CRD as a draft 4 JSON Schema. */
  static JsonNode asJsonSchema(JsonNode openApi) {
    ObjectNode schema = translate(openApi);
    schema.put("$schema", "http://json-schema.org/draft-04/schema#");
    return schema;
  }

  private static ObjectNode translate(JsonNode openApi) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = openApi.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String keyword = field.getKey();
      JsonNode value = field.getValue();
      if (keyword.startsWith("x-kubernetes-") || NOT_VALIDATED.contains(keyword)) {
        continue;
      }
      switch (keyword) {
        case "properties" -> {
          ObjectNode properties = out.putObject("properties");
          value.fields().forEachRemaining(p -> properties.set(p.getKey(), translate(p.getValue())));
        }
        case "items", "not" -> out.set(keyword, value.isObject() ? translate(value) : value);
        case "additionalProperties" -> {
          if (value.isObject()) {
            out.set(keyword, translate(value));
          }
        }
        case "allOf", "anyOf", "oneOf" -> {
          ArrayNode list = out.putArray(keyword);
          value.forEach(s -> list.add(translate(s)));
        }
        case "minimum", "maximum" -> out.set(keyword, integral(value));
        default -> out.set(keyword, value);
      }
    }
    if (openApi.path("nullable").asBoolean(false) && out.has("type")) {
      ArrayNode types = JsonNodeFactory.instance.arrayNode().add(out.get("type")).add("null");
      out.set("type", types);
    }
    return out;
  }

  /** 1.0 as 1: bounds are read back into messages, where Go prints them without decimals. */
  private static JsonNode integral(JsonNode bound) {
    return bound.isNumber() && bound.asDouble() == Math.rint(bound.asDouble())
        && Math.abs(bound.asDouble()) < 9e15 ? LongNode.valueOf((long) bound.asDouble()) : bound;
  }
}
