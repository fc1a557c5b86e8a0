package io.logto.operator.sandbox.admission;

/**
 * One reason an object is refused, as the API server words it: {@code field: body}, where the body
 * is for instance {@code Unsupported value: "Sometimes": supported values: "Delete", "Retain"}.
 *
 * @param value the offending value (a String, Long, Double or Boolean), or null for none
 * @param detail what is wrong, or empty
 */
public record FieldError(ErrorType type, FieldPath field, Object value, String detail) {

  /** The object could not be judged by its CEL rules because of the errors before it. */
  public static FieldError rulesNotChecked() {
    return new FieldError(ErrorType.INVALID, FieldPath.NONE, null,
        "some validation rules were not checked because the object was invalid; correct the"
            + " existing errors to complete validation");
  }

  /** The text after the field (field.Error's ErrorBody in Kubernetes). */
  public String body() {
    StringBuilder text = new StringBuilder(type.text());
    if (type.showsValue()) {
      text.append(": ").append(shown(value));
    }
    if (detail != null && !detail.isEmpty()) {
      text.append(": ").append(detail);
    }
    return text.toString();
  }

  private static String shown(Object value) {
    if (value == null) {
      return "\"null\"";
    }
    if (value instanceof String text) {
      return GoText.quote(text);
    }
    if (value instanceof Number number) {
      return GoText.number(number);
    }
    return value.toString();
  }

  /** The line kubectl prints for this error: {@code field: body}. */
  @Override
  public String toString() {
    return field + ": " + body();
  }
}
