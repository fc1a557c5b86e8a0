package io.logto.operator.sandbox.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fields that a CRD's schema does not declare, as the API server lists them when a client asks for
 * strict field validation ({@code fieldValidation=Strict}, kubectl's default): a misspelt
 * {@code deletionpolicy} is then refused rather than silently dropped.
 */
final class UnknownFields {

  /** Present in every object although no CRD schema declares them. */
  private static final Set<String> OBJECT_FIELDS = Set.of("apiVersion", "kind", "metadata");

  private UnknownFields() {}

  static List<String> of(JsonNode object, JsonNode schema) {
    List<String> unknown = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (OBJECT_FIELDS.contains(field.getKey())) {
        continue;
      }
      walk(field.getValue(), JsonTypes.propertySchema(schema, field.getKey()),
          FieldPath.root().child(field.getKey()), unknown);
    }
    return unknown.stream().sorted().toList();
  }

  private static void walk(JsonNode value, JsonNode schema, FieldPath path, List<String> unknown) {
    if (schema == null) {
      unknown.add(path.toString());
      return;
    }
    if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
        || schema.path("x-kubernetes-embedded-resource").asBoolean(false)) {
      return;
    }
    if (value.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        JsonNode fieldSchema = JsonTypes.propertySchema(schema, field.getKey());
        if (fieldSchema != null) {
          walk(field.getValue(), fieldSchema, path.child(field.getKey()), unknown);
        } else if (!schema.path("additionalProperties").asBoolean(false)) {
          unknown.add(path.child(field.getKey()).toString());
        }
      }
    } else if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        walk(value.get(i), schema.get("items"), path.index(i), unknown);
      }
    }
  }
}
