package io.logto.operator.crdrules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * One rule of a generated CRD's schema, exercised by one document.
 *
 * @param kind the custom resource's kind, e.g. LogtoM2MApp
 * @param rule the rule, e.g. {@code spec.deletionPolicy enum} (schema path, "[]" for items)
 * @param valid whether a cluster must accept the document
 * @param document the whole object to create (apiVersion, kind, metadata.name, spec)
 * @param update for a rule on updates ({@code oldSelf}): the object is created as {@code document}
 *     first, then replaced by this one, which is what is judged
 * @param expectedError for an invalid document, the line a cluster answers for the field, as
 *     {@code kubectl} shows it: {@code spec.deletionPolicy: Unsupported value: "Sometimes":
 *     supported values: "Delete", "Retain"}
 */
public record CrdRuleCase(
    String kind,
    String rule,
    boolean valid,
    ObjectNode document,
    Optional<ObjectNode> update,
    String expectedError) {

  public String name() {
    return document.path("metadata").path("name").asText();
  }

  /** What a cluster answers as a whole, e.g. {@code The LogtoM2MApp "c12" is invalid: ...}. */
  public String expectedHeadline() {
    return "The " + kind + " \"" + name() + "\" is invalid";
  }

  @Override
  public String toString() {
    return (valid ? "accepts " : "refuses ") + kind + " " + rule
        + (valid ? "" : " -> " + expectedError);
  }
}
