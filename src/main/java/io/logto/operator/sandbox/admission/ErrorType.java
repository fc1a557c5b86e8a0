package io.logto.operator.sandbox.admission;

/**
 * The kinds of field error a Kubernetes API server reports (k8s.io/apimachinery's field.ErrorType),
 * with the text it prints and the cause type it puts in a Status.
 */
public enum ErrorType {
  REQUIRED("Required value", "FieldValueRequired", true, false),
  NOT_SUPPORTED("Unsupported value", "FieldValueNotSupported", true, true),
  INVALID("Invalid value", "FieldValueInvalid", false, true),
  TYPE_INVALID("Invalid value", "FieldValueTypeInvalid", true, true),
  TOO_LONG("Too long", "FieldValueTooLong", true, false),
  TOO_MANY("Too many", "FieldValueTooMany", true, true),
  FORBIDDEN("Forbidden", "FieldValueForbidden", false, false),
  DUPLICATE("Duplicate value", "FieldValueDuplicate", false, true);

  private final String text;
  private final String causeType;
  private final boolean blocksRules;
  private final boolean showsValue;

  ErrorType(String text, String causeType, boolean blocksRules, boolean showsValue) {
    this.text = text;
    this.causeType = causeType;
    this.blocksRules = blocksRules;
    this.showsValue = showsValue;
  }

  public String text() {
    return text;
  }

  public String causeType() {
    return causeType;
  }

  /**
   * Whether the API server skips the CRD's CEL rules when the schema reports this error: its
   * validator only runs them on objects whose types, required fields, enums and sizes are right.
   */
  public boolean blocksRules() {
    return blocksRules;
  }

  /** Whether the error's text carries the offending value (Required or Too long do not). */
  public boolean showsValue() {
    return showsValue;
  }
}
