package io.logto.operator.sandbox.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code x-kubernetes-validations} rules of a CRD's schema, compiled with Google's CEL for Java
 * and evaluated as the API server does: each rule with {@code self} bound to the value where the
 * rule is declared (each item of a list, each value of a map), {@code oldSelf} to the same value
 * before an update, where the two can be paired (properties and map entries, not list items).
 * Rules using {@code oldSelf} run on updates only. A rule that fails on a value the update did not
 * change is not an error (the API server's ratcheting), so an object stored before a stricter CRD
 * can still be updated elsewhere.
 *
 * <p>The environment has CEL's standard functions and macros and the extensions Kubernetes also
 * enables (strings, sets, optional values, {@code cel.bind}); Kubernetes' own libraries (quantity,
 * IP and CIDR, URL, {@code isSorted} and the other list functions, regex {@code find}) are not
 * there: a rule using them is refused with its CRD, naming the function.
 */
final class CelRules {

  private static final CelOptions OPTIONS = CelOptions.current().build();

  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
      .setOptions(OPTIONS)
      .addLibraries(CelExtensions.strings(), CelExtensions.sets(OPTIONS),
          CelExtensions.optional())
      .build();

  private static final Map<CelType, CelCompiler> COMPILERS = new HashMap<>();

  /** A CEL rule that cannot be compiled, as the error the API server gives for its CRD. */
  static final class InvalidRuleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient FieldError error;

    InvalidRuleException(FieldError error) {
      super(error.toString());
      this.error = error;
    }

    FieldError error() {
      return error;
    }
  }

  private record CompiledRule(
      String rule,
      String message,
      Optional<CelRuntime.Program> messageExpression,
      CelRuntime.Program program,
      boolean usesOldSelf,
      List<String> fieldPath,
      String reason) {}

  /** The rules of one schema node, and the nodes below it that have rules. */
  private static final class Node {
    final String type;
    final List<CompiledRule> rules = new ArrayList<>();
    final Map<String, Node> properties = new LinkedHashMap<>();
    Node items;
    Node values;

    Node(String type) {
      this.type = type;
    }

    boolean isEmpty() {
      return rules.isEmpty() && properties.isEmpty() && items == null && values == null;
    }
  }

  private final Node root;

  /**
   * @param schema the CRD's openAPIV3Schema
   * @param at where it is in the CRD, for errors: {@code spec.versions[0].schema.openAPIV3Schema}
   */
  CelRules(JsonNode schema, FieldPath at) {
    this.root = compile(schema, at);
  }

  /** Whether the schema has any rule at all (the API server then has a CEL validator). */
  boolean isEmpty() {
    return root == null;
  }

  /**
   * The errors of the rules on {@code object}, with {@code old} its stored version for an update
   * (null for a create).
   */
  List<FieldError> validate(JsonNode object, JsonNode old) {
    List<FieldError> errors = new ArrayList<>();
    if (root != null) {
      evaluate(root, object, old, FieldPath.root(), false, errors);
    }
    return errors;
  }

  private static Node compile(JsonNode schema, FieldPath at) {
    if (schema == null || !schema.isObject()) {
      return null;
    }
    Node node = new Node(schema.path("type").asText(""));
    int index = 0;
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      node.rules.add(compileRule(rule, schema,
          at.child("x-kubernetes-validations").index(index++)));
    }
    schema.path("properties").fields().forEachRemaining(p -> {
      Node child = compile(p.getValue(), at.child("properties").key(p.getKey()));
      if (child != null) {
        node.properties.put(p.getKey(), child);
      }
    });
    node.items = compile(schema.get("items"), at.child("items"));
    node.values = compile(schema.get("additionalProperties"), at.child("additionalProperties"));
    return node.isEmpty() ? null : node;
  }

  private static CompiledRule compileRule(JsonNode rule, JsonNode schema, FieldPath at) {
    String expression = rule.path("rule").asText();
    CelType self = celType(schema);
    CelAbstractSyntaxTree ast = check(self, expression, at.child("rule"));
    Optional<CelRuntime.Program> message = Optional.empty();
    if (rule.hasNonNull("messageExpression")) {
      message = Optional.of(program(check(self, rule.get("messageExpression").asText(),
          at.child("messageExpression")), at));
    }
    List<String> fieldPath = new ArrayList<>();
    for (String step : rule.path("fieldPath").asText("").split("\\.")) {
      if (!step.isEmpty()) {
        fieldPath.add(step);
      }
    }
    // A transition rule is one whose checked expression refers to oldSelf, as the API server
    // tells (not a mention of the word, e.g. in a string).
    boolean usesOldSelf = ast.getReferenceMap().values().stream()
        .anyMatch(reference -> reference.name().equals("oldSelf"));
    return new CompiledRule(expression.strip(), rule.path("message").asText(""), message,
        program(ast, at), usesOldSelf, fieldPath, rule.path("reason").asText(""));
  }

  private static CelAbstractSyntaxTree check(CelType self, String expression, FieldPath at) {
    try {
      return compiler(self).compile(expression).getAst();
    } catch (CelValidationException e) {
      throw new InvalidRuleException(new FieldError(ErrorType.INVALID, at, expression,
          "compilation failed: " + e.getMessage()));
    }
  }

  private static CelRuntime.Program program(CelAbstractSyntaxTree ast, FieldPath at) {
    try {
      return RUNTIME.createProgram(ast);
    } catch (CelEvaluationException e) {
      throw new InvalidRuleException(new FieldError(ErrorType.INVALID, at,
          ast.getSource().getContent().toString(), e.getMessage()));
    }
  }

  private static synchronized CelCompiler compiler(CelType self) {
    return COMPILERS.computeIfAbsent(self, type -> CelCompilerFactory.standardCelCompilerBuilder()
        .setOptions(OPTIONS)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addLibraries(CelExtensions.strings(), CelExtensions.sets(OPTIONS),
            CelExtensions.optional(), CelExtensions.bindings())
        .addVar("self", type)
        .addVar("oldSelf", type)
        .build());
  }

  /** The CEL type of a schema's values: objects are maps of their properties. */
  private static CelType celType(JsonNode schema) {
    return switch (schema.path("type").asText("")) {
      case "string" -> SimpleType.STRING;
      case "integer" -> SimpleType.INT;
      case "number" -> SimpleType.DOUBLE;
      case "boolean" -> SimpleType.BOOL;
      case "array" -> ListType.create(SimpleType.DYN);
      case "object" -> MapType.create(SimpleType.STRING, SimpleType.DYN);
      default -> SimpleType.DYN;
    };
  }

  private void evaluate(Node node, JsonNode value, JsonNode old, FieldPath path,
      boolean unchangedAbove, List<FieldError> errors) {
    boolean unchanged = unchangedAbove || (old != null && old.equals(value));
    for (CompiledRule rule : node.rules) {
      if (rule.usesOldSelf() && old == null) {
        continue; // a transition rule needs a value to compare with
      }
      Optional<FieldError> error = check(rule, node, value, old, path);
      if (error.isPresent() && (rule.usesOldSelf() || !unchanged)) {
        errors.add(error.get());
      }
    }
    if (value.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        Node declared = node.properties.get(field.getKey());
        JsonNode oldValue = old == null ? null : old.get(field.getKey());
        if (declared != null) {
          evaluate(declared, field.getValue(), oldValue, path.child(field.getKey()), unchanged,
              errors);
        } else if (node.values != null) {
          evaluate(node.values, field.getValue(), oldValue, path.key(field.getKey()), unchanged,
              errors);
        }
      }
    } else if (value.isArray() && node.items != null) {
      // Items of a plain (atomic) list have no old value to be paired with.
      for (int i = 0; i < value.size(); i++) {
        evaluate(node.items, value.get(i), null, path.index(i), unchanged, errors);
      }
    }
  }

  private Optional<FieldError> check(CompiledRule rule, Node node, JsonNode value, JsonNode old,
      FieldPath path) {
    Map<String, Object> bindings = new HashMap<>();
    bindings.put("self", celValue(value));
    if (old != null) {
      bindings.put("oldSelf", celValue(old));
    }
    Object result;
    try {
      result = rule.program().eval(bindings);
    } catch (CelEvaluationException e) {
      return Optional.of(new FieldError(ErrorType.INVALID, path, node.type,
          e.getMessage() + " evaluating rule: " + rule.rule()));
    }
    if (Boolean.TRUE.equals(result)) {
      return Optional.empty();
    }
    FieldPath at = path;
    for (String step : rule.fieldPath()) {
      at = at.child(step);
    }
    String detail = rule.message().isEmpty() ? "failed rule: " + rule.rule() : rule.message();
    if (rule.messageExpression().isPresent()) {
      try {
        Object message = rule.messageExpression().get().eval(bindings);
        if (message instanceof String text && !text.isBlank()) {
          detail = text;
        }
      } catch (CelEvaluationException e) {
        // The API server falls back to the rule's message when its expression fails.
      }
    }
    return Optional.of(switch (rule.reason()) {
      case "FieldValueForbidden" -> new FieldError(ErrorType.FORBIDDEN, at, null, detail);
      case "FieldValueRequired" -> new FieldError(ErrorType.REQUIRED, at, null, detail);
      case "FieldValueDuplicate" -> new FieldError(ErrorType.DUPLICATE, at, detail, "");
      default -> new FieldError(ErrorType.INVALID, at, node.type, detail);
    });
  }

  /** A JSON value as CEL sees it: maps, lists, strings, 64-bit integers, doubles, booleans. */
  static Object celValue(JsonNode node) {
    if (node == null || node.isNull()) {
      return NullValue.NULL_VALUE;
    }
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.fields().forEachRemaining(f -> map.put(f.getKey(), celValue(f.getValue())));
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(item -> list.add(celValue(item)));
      return list;
    }
    return JsonTypes.scalar(node);
  }
}
