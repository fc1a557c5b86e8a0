package io.logto.operator.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An HTTP answer: status, headers (repeatable, in order) and body. */
final class Reply {
  static final String JSON = "application/json; charset=utf-8";
  static final String TEXT = "text/plain; charset=utf-8";

  private final int status;
  private final byte[] body;
  private final List<Map.Entry<String, String>> headers = new ArrayList<>();

  private Reply(int status, byte[] body, String contentType) {
    this.status = status;
    this.body = body;
    if (contentType != null) {
      headers.add(Map.entry("Content-Type", contentType));
    }
  }

  static Reply json(int status, JsonNode node) {
    return new Reply(status, Json.bytes(node), JSON);
  }

  static Reply raw(int status, byte[] body, String contentType) {
    return new Reply(status, body, contentType);
  }

  /** Koa's answer when a handler sets a status but no body: the status text as plain text. */
  static Reply statusText(int status, String text) {
    return new Reply(status, text.getBytes(StandardCharsets.UTF_8), TEXT);
  }

  static Reply noContent() {
    return new Reply(204, new byte[0], null);
  }

  /** Adds a header; a name may be added several times (e.g. {@code Link}). */
  Reply header(String name, String value) {
    headers.add(Map.entry(name, value));
    return this;
  }

  int status() {
    return status;
  }

  byte[] body() {
    return body;
  }

  List<Map.Entry<String, String>> headers() {
    return headers;
  }
}
