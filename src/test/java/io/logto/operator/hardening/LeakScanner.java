package io.logto.operator.hardening;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Looks for secrets and tokens in text, in the forms they could leak in: as is, base64-encoded (as
 * in a Secret's data or a Basic header), form-encoded, and for a JWT its signature alone.
 */
final class LeakScanner {

  /** Where a secret was found, with a little context (the secret itself masked). */
  record Finding(String where, String what, String context) {
    @Override
    public String toString() {
      return what + " in " + where + ": ..." + context + "...";
    }
  }

  private static final int MIN_NEEDLE = 12;

  private final Map<String, String> needles = new LinkedHashMap<>();

  /** A secret: its value and the encodings it would have in a Secret, a form or a header. */
  void secret(String label, String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    add(value, label);
    add(base64(value), label + " (base64)");
    add(URLEncoder.encode(value, StandardCharsets.UTF_8), label + " (form-encoded)");
  }

  /** Client credentials: the Basic header's base64 of id:secret, raw and form-encoded forms. */
  void basicCredentials(String label, String id, String secret) {
    add(base64(id + ":" + secret), label + " (Basic)");
    add(base64(URLEncoder.encode(id, StandardCharsets.UTF_8) + ":"
        + URLEncoder.encode(secret, StandardCharsets.UTF_8)), label + " (Basic, form-encoded)");
  }

  /** An access token: the whole JWT and its signature (the part that makes it usable). */
  void token(String label, String token) {
    add(token, label);
    String[] parts = token.split("\\.");
    if (parts.length == 3) {
      add(parts[2], label + " (signature)");
    }
  }

  /** An Authorization header value: the whole value and the credential after the scheme. */
  void authorization(String label, String header) {
    add(header, label);
    int space = header.indexOf(' ');
    if (space > 0) {
      add(header.substring(space + 1), label + " (credential)");
    }
  }

  int size() {
    return needles.size();
  }

  List<Finding> scan(String where, String text) {
    List<Finding> findings = new ArrayList<>();
    if (text == null) {
      return findings;
    }
    needles.forEach((needle, label) -> {
      int at = text.indexOf(needle);
      if (at >= 0) {
        String before = text.substring(Math.max(0, at - 60), at);
        String after = text.substring(at + needle.length(),
            Math.min(text.length(), at + needle.length() + 20));
        findings.add(new Finding(where, label, before + "<" + label + ">" + after));
      }
    });
    return findings;
  }

  private void add(String needle, String label) {
    if (needle != null && needle.length() >= MIN_NEEDLE) {
      needles.putIfAbsent(needle, label);
    }
  }

  static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
