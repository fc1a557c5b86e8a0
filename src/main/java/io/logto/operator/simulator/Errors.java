package io.logto.operator.simulator;

/**
 * The Logto error answers the simulator produces, with Logto's codes, statuses and English
 * messages (packages/phrases/src/locales/en/errors, packages/core/src/errors).
 */
final class Errors {
  private Errors() {}

  static ApiError of(int status, String code, String message) {
    return new ApiError(status, code, message);
  }

  /** {@code findXById} of an unknown id; {@code table} is the plural table name. */
  static ApiError notExistsWithId(String table, String id) {
    return of(404, "entity.not_exists_with_id",
        "The " + table + " with ID `" + id + "` does not exist.");
  }

  /** An update that matched no row; {@code name} is the singular table name. */
  static ApiError notExists(String name) {
    return of(404, "entity.not_exists", "The " + name + " does not exist.");
  }

  /** A delete that matched no row. */
  static ApiError notFound() {
    return of(404, "entity.not_found", "The resource does not exist.");
  }

  /** An insert whose foreign key points nowhere. */
  static ApiError foreignKeyNotFound() {
    return of(404, "entity.relation_foreign_key_not_found",
        "Cannot find one or more foreign keys. Please check the input and ensure that all"
            + " referenced entities exist.");
  }

  /** A koa-guard failure; {@code part} is "body", "query" or "params". */
  static ApiError invalidInput(String part, String details) {
    return of(400, "guard.invalid_input", "The request " + part + " is invalid.")
        .with("details", details);
  }

  static ApiError invalidPagination() {
    return of(400, "guard.invalid_pagination", "The request pagination value is invalid.");
  }

  /** {@code request.invalid_input}: a rule checked by a handler, or a bad search parameter. */
  static ApiError requestInvalidInput(String details) {
    return of(400, "request.invalid_input", "Input is invalid. " + details);
  }
}
