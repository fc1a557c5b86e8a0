package io.logto.operator.sandbox.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The API server's ratcheting of schema errors on update: an error under a value that the update
 * left as it was is not reported, so that an object stored before a stricter CRD (or by an older
 * API server) can still be updated elsewhere, e.g. its status or its finalizers. Values are paired
 * by property and map key; list items are not paired (plain lists are replaced as a whole), so only
 * the list itself can be found unchanged.
 */
final class Ratcheting {

  private Ratcheting() {}

  static List<FieldError> changedOnly(List<FieldError> errors, JsonNode object, JsonNode old) {
    return errors.stream().filter(e -> !unchanged(e.field(), object, old)).toList();
  }

  /** Whether the value at {@code path}, or a value above it, is the same before and after. */
  static boolean unchanged(FieldPath path, JsonNode object, JsonNode old) {
    JsonNode now = object;
    JsonNode before = old;
    if (now == null || before == null) {
      return false;
    }
    if (now.equals(before)) {
      return true;
    }
    for (FieldPath.Step step : path.steps()) {
      if (step.isIndex()) {
        return false;
      }
      now = now.get(step.name());
      before = before.get(step.name());
      if (now == null || before == null) {
        return false;
      }
      if (now.equals(before)) {
        return true;
      }
    }
    return false;
  }
}
