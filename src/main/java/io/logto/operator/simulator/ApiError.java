package io.logto.operator.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An error answer: an HTTP status and a Logto error body {@code {code, message, ...}}. Thrown by
 * handlers and turned into a {@link Reply} by the server.
 */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final ObjectNode extra = Json.object();
  private final List<Map.Entry<String, String>> headers = new ArrayList<>();

  ApiError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  /** Adds a body field after {@code code} and {@code message}. */
  ApiError with(String field, String value) {
    extra.put(field, value);
    return this;
  }

  ApiError header(String name, String value) {
    headers.add(Map.entry(name, value));
    return this;
  }

  ObjectNode body() {
    ObjectNode body = Json.object();
    body.put("code", code);
    body.put("message", getMessage());
    body.setAll(extra);
    return body;
  }

  Reply toReply() {
    Reply reply = Reply.json(status, body());
    headers.forEach(h -> reply.header(h.getKey(), h.getValue()));
    return reply;
  }
}
