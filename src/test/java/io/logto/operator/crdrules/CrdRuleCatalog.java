package io.logto.operator.crdrules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.logto.operator.crd.app.SecretRotation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Every rule of the five generated CRDs (types, required fields, enums, patterns, lengths, bounds,
 * item and property counts, CEL {@code x-kubernetes-validations}, including rules on updates), each
 * with a document a cluster must accept and one it must refuse, with the message it must give.
 *
 * <p>Cases are derived by walking each CRD's schema over a valid document that sets every field
 * ({@link #BASE_SPECS}). What a walk cannot invent is written here by hand: a value that breaks
 * each pattern ({@link #PATTERN_VIOLATIONS}) and a change that breaks each CEL rule
 * ({@link #CEL_VIOLATIONS}). A rule added to a CR class without its hand-written part, or a field
 * missing from the base document, makes {@link #cases()} fail with what to add.
 *
 * <p>The messages are the API server's (kube-apiserver 1.32); {@code CrdAdmissionIT} holds them
 * to what a real server answers.
 */
public final class CrdRuleCatalog {

  public static final String API_VERSION = "m2m.logto.io/v1alpha1";

  /** Kind to CRD plural. */
  public static final Map<String, String> PLURALS = Map.of(
      "LogtoApiResource", "logtoapiresources",
      "LogtoRole", "logtoroles",
      "LogtoM2MApp", "logtom2mapps",
      "LogtoConnection", "logtoconnections",
      "ClusterLogtoConnection", "clusterlogtoconnections");

  /** A valid spec per kind that sets every field (both branches of each one-of). */
  static final Map<String, String> BASE_SPECS = Map.of(
      "LogtoConnection", """
          {"endpoint": "https://tenant-a.logto.app", "tenantId": "tenant-a",
           "credentialsSecretRef": {"name": "tenant-a-credentials", "appIdKey": "id",
                                    "appSecretKey": "secret"},
           "caBundle": {"configMapName": "tenant-a-ca", "key": "ca.crt"},
           "maxConcurrentCalls": 16}""",
      "ClusterLogtoConnection", """
          {"endpoint": "https://tenant-b.logto.app",
           "managementApiResource": "https://tenant-b.logto.app/api",
           "credentialsSecretRef": {"name": "tenant-b-credentials", "namespace": "logto-operator",
                                    "appIdKey": "id", "appSecretKey": "secret"},
           "caBundle": {"configMapName": "tenant-b-ca", "key": "ca.crt"},
           "maxConcurrentCalls": 16,
           "allowedNamespaces": {"names": ["team-a"],
             "selector": {"matchLabels": {"tenant": "b"},
                          "matchExpressions": [{"key": "env", "operator": "In",
                                                "values": ["prod"]}]}},
           "privilegedNamespaces": ["platform"]}""",
      "LogtoApiResource", """
          {"name": "Online Shopping", "indicator": "https://shopping.api", "accessTokenTtl": 3600,
           "connectionRef": {"kind": "LogtoConnection", "name": "tenant-a"},
           "scopes": [{"name": "read:products", "description": "Read products"}],
           "configMap": {"name": "shopping-api-logto-api"}, "deletionPolicy": "Delete"}""",
      "LogtoRole", """
          {"name": "shopping-reader", "description": "Reads products",
           "connectionRef": {"kind": "LogtoConnection", "name": "tenant-a"},
           "permissions": [
             {"resourceRef": {"name": "shopping-api"}, "scopes": ["read:products"]},
             {"indicator": "https://known.api", "scopes": ["read"]}],
           "deletionPolicy": "Delete"}""",
      "LogtoM2MApp", """
          {"name": "order-stats", "description": "Computes order statistics",
           "connectionRef": {"kind": "ClusterLogtoConnection", "name": "tenant-b"},
           "roles": [{"roleRef": {"name": "shopping-reader"}},
                     {"logtoRoleName": "Logto Management API access"}],
           "secret": {"name": "order-stats-credentials", "keys": {"LOGTO_APP_ID": "CLIENT_ID"},
                      "labels": {"team": "orders"}, "annotations": {"owner": "orders"},
                      "rotation": {"period": "720h", "gracePeriod": "24h",
                                   "removeOthers": false},
                      "rolloutRestart": [{"kind": "Deployment", "name": "order-stats"}]},
           "deletionPolicy": "Retain"}""");

  /**
   * Further valid specs for fields a base document cannot set together (one of two): their rules
   * are walked on these.
   */
  static final Map<String, List<String>> OTHER_SPECS = Map.of(
      "LogtoConnection", List.of("""
          {"endpoint": "https://logto.example", "managementApiResource": "https://x.logto.app/api",
           "credentialsSecretRef": {"name": "x"}}"""),
      "ClusterLogtoConnection", List.of("""
          {"endpoint": "https://logto.example", "tenantId": "tenant-c",
           "credentialsSecretRef": {"name": "x"}}"""));

  /** A value that each pattern refuses. */
  static final Map<String, String> PATTERN_VIOLATIONS = Map.of(
      "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", "Bad_Name",
      "^https?://[^\\s/?#]+[^\\s]*$", "ftp://shopping.api",
      "^\\S+$", "read products",
      "^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+$", "30 days",
      "^[-._a-zA-Z0-9]+$", "app id",
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "Team_A");

  /** For each CEL rule (by its message), how to break it at the node it is declared on. */
  static final Map<String, UnaryOperator<JsonNode>> CEL_VIOLATIONS = Map.of(
      "set exactly one of roleRef or logtoRoleName",
      node -> json("{}"),
      "set exactly one of resourceRef or indicator",
      node -> json("{\"scopes\": [\"read\"]}"),
      "keys may rename only LOGTO_ENDPOINT, LOGTO_TOKEN_ENDPOINT, LOGTO_APP_ID, LOGTO_APP_SECRET,"
          + " LOGTO_APP_SECRET_PREVIOUS, LOGTO_RESOURCE and LOGTO_SCOPES",
      node -> ((ObjectNode) node.deepCopy()).put("FOO", "BAR"),
      "renamed keys must be valid Secret keys",
      node -> json("{\"LOGTO_APP_ID\": \"CLIENT ID\"}"),
      "indicator is immutable",
      node -> TextNode.valueOf("https://other.api"),
      "period must be at least 1m",
      node -> ((ObjectNode) node.deepCopy()).put("period", "30s").put("gracePeriod", "10s"),
      "gracePeriod (default 24h) must be shorter than period",
      node -> ((ObjectNode) node.deepCopy()).put("gracePeriod", "720h"),
      "connectionRef cannot be added, changed or removed",
      node -> ((ObjectNode) node.deepCopy()).set("connectionRef",
          json("{\"kind\": \"ClusterLogtoConnection\", \"name\": \"elsewhere\"}")),
      "set at most one of tenantId or managementApiResource",
      node -> ((ObjectNode) node.deepCopy()).put("tenantId", "x")
          .put("managementApiResource", "https://x.logto.app/api"));

  /** Values at a maximum that the generic padding would make invalid for another rule. */
  static final Map<String, UnaryOperator<JsonNode>> AT_MAXIMUM = Map.of(
      "LogtoM2MApp spec.secret.keys maxProperties",
      node -> json("{\"LOGTO_ENDPOINT\": \"a\", \"LOGTO_TOKEN_ENDPOINT\": \"b\","
          + " \"LOGTO_APP_ID\": \"c\", \"LOGTO_APP_SECRET\": \"d\", \"LOGTO_RESOURCE\": \"e\","
          + " \"LOGTO_SCOPES\": \"f\", \"LOGTO_APP_SECRET_PREVIOUS\": \"g\"}"));

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final List<CrdRuleCase> cases = new ArrayList<>();
  private final Set<String> seenRules = new HashSet<>();
  private final Set<String> declared = new java.util.TreeSet<>();
  private final Set<String> visited = new HashSet<>();
  private final List<String> problems = new ArrayList<>();
  private String kind;
  private ObjectNode base;

  private CrdRuleCatalog() {}

  /** All cases of the five CRDs, in schema order. */
  public static List<CrdRuleCase> cases() {
    CrdRuleCatalog catalog = new CrdRuleCatalog();
    for (String kind : List.of("LogtoApiResource", "LogtoRole", "LogtoM2MApp",
        "LogtoConnection", "ClusterLogtoConnection")) {
      catalog.walkKind(kind);
    }
    catalog.declared.stream().filter(field -> !catalog.visited.contains(field))
        .forEach(field -> catalog.problems.add(field + ": the base document in BASE_SPECS does"
            + " not set it, so its rules cannot be exercised"));
    if (!catalog.problems.isEmpty()) {
      throw new IllegalStateException("CrdRuleCatalog cannot cover every CRD rule:\n- "
          + String.join("\n- ", catalog.problems));
    }
    return List.copyOf(catalog.cases);
  }

  /** The generated CRD of a kind, from the build's classpath. */
  public static CustomResourceDefinition crd(String kind) {
    String file = "META-INF/fabric8/" + PLURALS.get(kind) + ".m2m.logto.io-v1.yml";
    try (InputStream in = CrdRuleCatalog.class.getClassLoader().getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException(file + " is not on the classpath: build with mvn");
      }
      return SERIALIZATION.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A valid document of the kind, named {@code name}. */
  public static ObjectNode validDocument(String kind, String name) {
    ObjectNode document = JSON.createObjectNode();
    document.put("apiVersion", API_VERSION);
    document.put("kind", kind);
    document.putObject("metadata").put("name", name);
    document.set("spec", json(BASE_SPECS.get(kind)));
    return document;
  }

  private void walkKind(String kind) {
    this.kind = kind;
    JSONSchemaProps spec = crd(kind).getSpec().getVersions().get(0).getSchema()
        .getOpenAPIV3Schema().getProperties().get("spec");
    List<String> specs = new ArrayList<>(List.of(BASE_SPECS.get(kind)));
    specs.addAll(OTHER_SPECS.getOrDefault(kind, List.of()));
    for (String other : specs) {
      this.base = validDocument(kind, "base");
      base.set("spec", json(other));
      walk(spec, "spec", "spec", "/spec", base.get("spec"));
    }
  }

  /**
   * @param schemaPath the rule's path, "[]" for items ("spec.scopes[].name")
   * @param path the field's path as the API server names it ("spec.scopes[0].name")
   * @param pointer JSON pointer to the node in the document
   */
  private void walk(JSONSchemaProps schema, String schemaPath, String path, String pointer,
      JsonNode node) {
    declared.add(kind + " " + schemaPath);
    if (node == null || node.isMissingNode()) {
      return; // another item may set it; unvisited fields are reported at the end
    }
    visited.add(kind + " " + schemaPath);
    typeRule(schema, schemaPath, path, pointer);
    enumRule(schema, schemaPath, path, pointer);
    patternRule(schema, schemaPath, path, pointer, node);
    lengthRules(schema, schemaPath, path, pointer, node);
    boundRules(schema, schemaPath, path, pointer);
    countRules(schema, schemaPath, path, pointer, node);
    celRules(schema, schemaPath, path, pointer, node);
    if (schema.getProperties() != null && !schema.getProperties().isEmpty()) {
      for (String required : Optional.ofNullable(schema.getRequired()).orElse(List.of())) {
        validTwin(schemaPath + "." + required + " required");
        add(schemaPath + "." + required + " required", pointer + "/" + required, null,
            path + "." + required + ": Required value", false);
      }
      schema.getProperties().forEach((name, child) ->
          walk(child, schemaPath + "." + name, path + "." + name, pointer + "/" + name,
              node.get(name)));
    }
    if (schema.getItems() != null) {
      JSONSchemaProps items = schema.getItems().getSchema();
      for (int i = 0; i < node.size(); i++) {
        walk(items, schemaPath + "[]", path + "[" + i + "]", pointer + "/" + i, node.get(i));
      }
    }
    if (schema.getAdditionalProperties() != null
        && schema.getAdditionalProperties().getSchema() != null) {
      Iterator<String> names = node.fieldNames();
      if (!names.hasNext()) {
        problems.add(kind + " " + schemaPath + ": the base document sets no entry of this map");
      }
      while (names.hasNext()) {
        String name = names.next();
        walk(schema.getAdditionalProperties().getSchema(), schemaPath + ".*", path + "." + name,
            pointer + "/" + name, node.get(name));
      }
    }
  }

  private void typeRule(JSONSchemaProps schema, String schemaPath, String path, String pointer) {
    String type = schema.getType();
    JsonNode wrong = type.equals("string") ? IntNode.valueOf(12345) : TextNode.valueOf("x");
    String wrongType = type.equals("string") ? "integer" : "string";
    validTwin(schemaPath + " type");
    add(schemaPath + " type", pointer, wrong, path + ": Invalid value: \"" + wrongType + "\": "
        + path + " in body must be of type " + type + ": \"" + wrongType + "\"", false);
  }

  private void enumRule(JSONSchemaProps schema, String schemaPath, String path, String pointer) {
    if (schema.getEnum() == null || schema.getEnum().isEmpty()) {
      return;
    }
    List<String> allowed = schema.getEnum().stream().map(JsonNode::asText).toList();
    for (String value : allowed) {
      add(schemaPath + " enum", pointer, TextNode.valueOf(value), null, true);
    }
    add(schemaPath + " enum", pointer, TextNode.valueOf("Sometimes"),
        path + ": Unsupported value: \"Sometimes\": supported values: "
            + allowed.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", ")),
        false);
  }

  private void patternRule(JSONSchemaProps schema, String schemaPath, String path, String pointer,
      JsonNode node) {
    String pattern = schema.getPattern();
    if (pattern == null) {
      return;
    }
    String bad = PATTERN_VIOLATIONS.get(pattern);
    if (bad == null) {
      problems.add(kind + " " + schemaPath + ": no value breaking the pattern '" + pattern
          + "' in PATTERN_VIOLATIONS");
      return;
    }
    if (java.util.regex.Pattern.compile(pattern).matcher(bad).find()
        || !java.util.regex.Pattern.compile(pattern).matcher(node.asText()).find()) {
      problems.add(kind + " " + schemaPath + ": '" + bad + "' or the base value '"
          + node.asText() + "' is on the wrong side of '" + pattern + "'");
      return;
    }
    validTwin(schemaPath + " pattern");
    add(schemaPath + " pattern", pointer, TextNode.valueOf(bad), path + ": Invalid value: \""
        + bad + "\": " + path + " in body should match '" + pattern + "'", false);
  }

  private void lengthRules(JSONSchemaProps schema, String schemaPath, String path,
      String pointer, JsonNode node) {
    if (schema.getMinLength() != null) {
      int min = schema.getMinLength().intValue();
      String shorter = "a".repeat(Math.max(0, min - 1));
      validTwin(schemaPath + " minLength");
      add(schemaPath + " minLength", pointer, TextNode.valueOf(shorter), path
          + ": Invalid value: \"" + shorter + "\": " + path + " in body should be at least "
          + min + " chars long", false);
    }
    if (schema.getMaxLength() != null) {
      int max = schema.getMaxLength().intValue();
      String value = node.asText();
      // Padding the valid value keeps it valid for the field's pattern, if any.
      add(schemaPath + " maxLength", pointer,
          TextNode.valueOf(pad(schema.getPattern(), value, max)), null, true);
      add(schemaPath + " maxLength", pointer,
          TextNode.valueOf(pad(schema.getPattern(), value, max + 1)),
          path + ": Too long: may not be more than " + max + " bytes", false);
    }
  }

  private void boundRules(JSONSchemaProps schema, String schemaPath, String path,
      String pointer) {
    if (schema.getMinimum() != null) {
      long min = schema.getMinimum().longValue();
      add(schemaPath + " minimum", pointer, IntNode.valueOf((int) min), null, true);
      add(schemaPath + " minimum", pointer, IntNode.valueOf((int) min - 1), path
          + ": Invalid value: " + (min - 1) + ": " + path
          + " in body should be greater than or equal to " + min, false);
    }
    if (schema.getMaximum() != null) {
      long max = schema.getMaximum().longValue();
      add(schemaPath + " maximum", pointer, IntNode.valueOf((int) max), null, true);
      add(schemaPath + " maximum", pointer, IntNode.valueOf((int) max + 1), path
          + ": Invalid value: " + (max + 1) + ": " + path
          + " in body should be less than or equal to " + max, false);
    }
  }

  private void countRules(JSONSchemaProps schema, String schemaPath, String path,
      String pointer, JsonNode node) {
    if (schema.getMinItems() != null) {
      int min = schema.getMinItems().intValue();
      validTwin(schemaPath + " minItems");
      add(schemaPath + " minItems", pointer, repeatItems(node, min - 1), path
          + ": Invalid value: " + (min - 1) + ": " + path + " in body should have at least "
          + min + " items", false);
    }
    if (schema.getMaxItems() != null) {
      int max = schema.getMaxItems().intValue();
      add(schemaPath + " maxItems", pointer, repeatItems(node, max), null, true);
      add(schemaPath + " maxItems", pointer, repeatItems(node, max + 1),
          path + ": Too many: " + (max + 1) + ": must have at most " + max + " items", false);
    }
    if (schema.getMaxProperties() != null) {
      int max = schema.getMaxProperties().intValue();
      String rule = kind + " " + schemaPath + " maxProperties";
      JsonNode atMax = AT_MAXIMUM.containsKey(rule) ? AT_MAXIMUM.get(rule).apply(node)
          : properties(max);
      add(schemaPath + " maxProperties", pointer, atMax, null, true);
      add(schemaPath + " maxProperties", pointer, properties(max + 1),
          path + ": Too many: " + (max + 1) + ": must have at most " + max + " items", false);
    }
  }

  private void celRules(JSONSchemaProps schema, String schemaPath, String path, String pointer,
      JsonNode node) {
    for (ValidationRule rule : Optional.ofNullable(schema.getXKubernetesValidations())
        .orElse(List.of())) {
      UnaryOperator<JsonNode> violation = CEL_VIOLATIONS.get(rule.getMessage());
      if (violation == null) {
        problems.add(kind + " " + schemaPath + ": no violation of the CEL rule '"
            + rule.getRule() + "' (message '" + rule.getMessage() + "') in CEL_VIOLATIONS");
        continue;
      }
      String name = schemaPath + " x-kubernetes-validations: " + rule.getMessage();
      String expected = path + ": Invalid value: \"" + schema.getType() + "\": "
          + rule.getMessage();
      if (rule.getRule().contains("oldSelf")) {
        // A rule on updates: the object is created valid, then replaced.
        if (firstTime(name)) {
          ObjectNode kept = named(base.deepCopy());
          ObjectNode keptUpdate = kept.deepCopy();
          ((ObjectNode) keptUpdate.get("spec")).put("deletionPolicy", "Retain");
          cases.add(new CrdRuleCase(kind, name, true, kept, Optional.of(keptUpdate), null));
          ObjectNode changed = named(base.deepCopy());
          ObjectNode changedUpdate = changed.deepCopy();
          set(changedUpdate, pointer, violation.apply(node));
          cases.add(new CrdRuleCase(kind, name, false, changed, Optional.of(changedUpdate),
              expected));
        }
      } else {
        validTwin(name);
        add(name, pointer, violation.apply(node), expected, false);
      }
    }
  }

  /** The base document, as the valid case of a rule that any valid value passes. */
  private void validTwin(String rule) {
    if (!firstTime(rule + "#valid")) {
      return;
    }
    cases.add(new CrdRuleCase(kind, rule, true, named(base.deepCopy()), Optional.empty(), null));
  }

  /** A case of the base document with the node at {@code pointer} replaced (null: removed). */
  private void add(String rule, String pointer, JsonNode value, String expectedError,
      boolean valid) {
    String key = rule + (valid ? "#valid:" + value : "#invalid");
    if (!firstTime(key)) {
      return; // the first array item or map entry stands for the others
    }
    ObjectNode document = named(base.deepCopy());
    set(document, pointer, value);
    cases.add(new CrdRuleCase(kind, rule, valid, document, Optional.empty(), expectedError));
  }

  private int counter;

  private boolean firstTime(String key) {
    return seenRules.add(kind + " " + key);
  }

  private String nextName() {
    return "r" + (++counter);
  }

  private ObjectNode named(ObjectNode document) {
    return withName(document, nextName());
  }

  private static ObjectNode withName(ObjectNode document, String name) {
    ((ObjectNode) document.get("metadata")).put("name", name);
    return document;
  }

  static void set(ObjectNode document, String pointer, JsonNode value) {
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = document.at(pointer.substring(0, slash));
    String last = pointer.substring(slash + 1);
    if (parent instanceof ObjectNode object) {
      if (value == null) {
        object.remove(last);
      } else {
        object.set(last, value);
      }
    } else if (parent instanceof ArrayNode array) {
      if (value == null) {
        array.remove(Integer.parseInt(last));
      } else {
        array.set(Integer.parseInt(last), value);
      }
    } else {
      throw new IllegalArgumentException("no parent for " + pointer);
    }
  }

  /**
   * A valid value made {@code length} long: names and URIs take more letters; a duration takes
   * zero seconds ("24h" + "000s" is still 24h).
   */
  private static String pad(String pattern, String value, int length) {
    int missing = Math.max(0, length - value.length());
    if (SecretRotation.DURATION_PATTERN.equals(pattern) && missing > 0) {
      return value + "0".repeat(missing - 1) + "s";
    }
    return value + "a".repeat(missing);
  }

  private static ArrayNode repeatItems(JsonNode array, int count) {
    ArrayNode items = JSON.createArrayNode();
    for (int i = 0; i < count; i++) {
      items.add(array.get(0).deepCopy());
    }
    return items;
  }

  private static ObjectNode properties(int count) {
    Map<String, String> entries = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      entries.put("k" + i, "v" + i);
    }
    return JSON.valueToTree(entries);
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
