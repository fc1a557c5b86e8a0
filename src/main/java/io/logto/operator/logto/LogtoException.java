package io.logto.operator.logto;

/**
 * An error answer from Logto, or no answer at all. Carries the HTTP status (0 when Logto could not
 * be reached) and Logto's stable error {@code code}, such as {@code role.name_in_use}. The message
 * never contains a token or a secret.
 */
public class LogtoException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Status used when no HTTP answer arrived (connection refused, timeout). */
  public static final int NO_RESPONSE = 0;

  private final int status;
  private final String code;

  public LogtoException(int status, String code, String message) {
    this(status, code, message, null);
  }

  public LogtoException(int status, String code, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  /** Logto's error code, or null when the answer carried none. */
  public String code() {
    return code;
  }

  public boolean isNotFound() {
    return status == 404;
  }

  /** A name, indicator or assignment that already exists. */
  public boolean isConflict() {
    return status == 409
        || (status == 422
            && code != null
            && (code.endsWith("_in_use") || code.endsWith("_exists")));
  }

  /** Logto is unreachable or overloaded: worth retrying later. */
  public boolean isUnavailable() {
    return status == NO_RESPONSE || status == 429 || status >= 500;
  }

  /**
   * The operator's own credentials lack the rights (401 after a token refresh, or 403), or
   * Logto knows no application with its App ID: Logto 1.37 answers that with 400 {@code
   * oidc.invalid_client}, which is no fault of the payload.
   */
  public boolean isUnauthorized() {
    return status == 401 || status == 403 || "oidc.invalid_client".equals(code);
  }

  /** Logto refused the payload (400, or 422 other than a conflict). */
  public boolean isInvalidInput() {
    return status == 400 || (status == 422 && !isConflict());
  }

  @Override
  public String toString() {
    return "LogtoException[status=" + status + ", code=" + code + "]: " + getMessage();
  }
}
