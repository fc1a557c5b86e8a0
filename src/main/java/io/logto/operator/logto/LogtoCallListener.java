package io.logto.operator.logto;

/**
 * Observes the client's HTTP calls, for metrics and call budgets. Paths are templates such as
 * {@code /api/applications/{id}/roles}, so that they can label metrics without ids.
 */
public interface LogtoCallListener {

  LogtoCallListener NONE = new LogtoCallListener() {};

  /** One HTTP exchange with Logto (each retry counts), status 0 when no answer came. */
  default void onCall(String method, String pathTemplate, int status, long durationNanos) {}

  /** A request for the operator's own Management API token (not verification tokens). */
  default void onOperatorTokenRequest(boolean success) {}
}
