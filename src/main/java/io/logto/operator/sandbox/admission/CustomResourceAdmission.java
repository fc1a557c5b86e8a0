package io.logto.operator.sandbox.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The admission of one version of one custom resource kind, from its CRD: the schema's errors,
 * then, when none of them stops it, the CEL rules', as the API server's custom resource strategy
 * orders them. Creates and updates of the object are judged whole (status aside); writes of the
 * status subresource by the status schema, and by the rules, with ratcheting on every update.
 */
final class CustomResourceAdmission {

  /** What is written. */
  enum Operation { CREATE, UPDATE, UPDATE_STATUS }

  private static final int NAME_MAX_LENGTH = 253;
  private static final String DNS_SUBDOMAIN =
      "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
  private static final Pattern NAME = Pattern.compile("^" + DNS_SUBDOMAIN + "$");

  private final String group;
  private final String kind;
  private final String version;
  private final JsonNode schema;
  private final SchemaValidation objectSchema;
  private final Optional<SchemaValidation> statusSchema;
  private final CelRules rules;

  /** @param at where the schema is in its CRD, for errors in its rules */
  CustomResourceAdmission(String group, String kind, String version, JsonNode schema,
      FieldPath at) {
    this.group = group;
    this.kind = kind;
    this.version = version;
    this.schema = schema;
    this.objectSchema = new SchemaValidation(schema);
    JsonNode status = schema.path("properties").get("status");
    this.statusSchema = Optional.ofNullable(status).map(SchemaValidation::new);
    this.rules = new CelRules(schema, at);
  }

  /** Why the write is refused, if it is. */
  Optional<Refusal> review(Operation operation, JsonNode written, JsonNode stored,
      boolean strictFields) {
    if (strictFields && operation != Operation.UPDATE_STATUS) {
      List<String> unknown = UnknownFields.of(written, schema);
      if (!unknown.isEmpty()) {
        return Optional.of(Refusal.badRequest(kind + " in version " + GoText.quote(version)
            + " cannot be handled as a " + kind + ": strict decoding error: "
            + String.join(", ", unknown.stream().map(f -> "unknown field " + GoText.quote(f))
                .toList())));
      }
    }
    JsonNode object = JsonTypes.withoutNulls(written, schema);
    JsonNode old = stored == null ? null : JsonTypes.withoutNulls(stored, schema);
    List<FieldError> errors = new ArrayList<>();
    switch (operation) {
      case CREATE -> {
        errors.addAll(nameErrors(object.path("metadata").path("name").asText("")));
        errors.addAll(objectSchema.validate(withoutStatus(object), FieldPath.root()));
      }
      case UPDATE -> errors.addAll(Ratcheting.changedOnly(
          objectSchema.validate(object, FieldPath.root()), object, old));
      case UPDATE_STATUS -> statusSchema.ifPresent(status -> {
        JsonNode value = object.path("status");
        if (!value.isMissingNode()) {
          errors.addAll(Ratcheting.changedOnly(
              status.validate(value, FieldPath.root().child("status")), object, old));
        }
      });
    }
    if (!rules.isEmpty()) {
      if (errors.stream().anyMatch(e -> e.type().blocksRules())) {
        errors.add(FieldError.rulesNotChecked());
      } else {
        errors.addAll(rules.validate(object, old));
      }
    }
    if (errors.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Refusal.invalid(group, kind, object.path("metadata").path("name")
        .asText(""), errors));
  }

  private static JsonNode withoutStatus(JsonNode object) {
    if (!object.has("status")) {
      return object;
    }
    ObjectNode copy = object.deepCopy();
    copy.remove("status");
    return copy;
  }

  /** metadata.name must be a DNS subdomain, as for every custom resource. */
  private static List<FieldError> nameErrors(String name) {
    FieldPath path = FieldPath.root().child("metadata").child("name");
    List<FieldError> errors = new ArrayList<>();
    if (name.length() > NAME_MAX_LENGTH) {
      errors.add(new FieldError(ErrorType.INVALID, path, name,
          "must be no more than " + NAME_MAX_LENGTH + " characters"));
    }
    if (!NAME.matcher(name).matches()) {
      errors.add(new FieldError(ErrorType.INVALID, path, name,
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-'"
              + " or '.', and must start and end with an alphanumeric character (e.g."
              + " 'example.com', regex used for validation is '" + DNS_SUBDOMAIN + "')"));
    }
    return errors;
  }
}
