package io.logto.operator.logto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Hides credentials in a JSON body before it is logged: the value of every field named like a
 * secret ({@code value} of an application secret, {@code secret}, {@code access_token},
 * {@code client_secret}, any {@code *token*}, {@code *password*}, {@code *key*}...). A body that
 * is not JSON is not shown at all, since it could hold anything.
 */
final class Redactor {

  static final String MASK = "***";

  private static final Pattern SENSITIVE =
      Pattern.compile("value|.*(secret|token|password|passwd|credential|authorization|assertion"
          + "|key|jwt|cookie|session).*");

  private final JsonCodec json;

  Redactor(JsonCodec json) {
    this.json = json;
  }

  static boolean isSensitive(String fieldName) {
    return SENSITIVE.matcher(fieldName.toLowerCase(Locale.ROOT)).matches();
  }

  /** The body with sensitive values masked, or a short note when it is not JSON. */
  String redact(String body) {
    if (body == null || body.isEmpty()) {
      return "<empty>";
    }
    JsonNode tree = json.tree(body);
    if (tree == null || !(tree.isContainerNode())) {
      return "<" + body.length() + " chars, not JSON: not shown>";
    }
    mask(tree);
    return tree.toString();
  }

  private static void mask(JsonNode node) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      List<String> hidden = new ArrayList<>();
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        JsonNode value = field.getValue();
        if (isSensitive(field.getKey()) && isSecretLike(value)) {
          hidden.add(field.getKey());
        } else {
          mask(value);
        }
      }
      hidden.forEach(name -> object.put(name, MASK));
    } else if (node.isArray()) {
      node.forEach(Redactor::mask);
    }
  }

  /**
   * Numbers, booleans and nulls (an {@code accessTokenTtl}, an {@code expiresAt}) carry no secret
   * and help debugging; strings and nested structures under a sensitive name are hidden.
   */
  private static boolean isSecretLike(JsonNode value) {
    return !(value.isNumber() || value.isBoolean() || value.isNull());
  }
}
