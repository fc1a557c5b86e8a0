package io.logto.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The schema rules of the generated CRDs. A rule lost from a CR class would otherwise go unnoticed:
 * the embedded API server of the other tests enforces whatever the generated CRDs say, and the
 * CRD rule catalog is derived from them too.
 */
class CrdSchemaTest {

  /** Every kind: the connection kinds have CEL rules too. */
  static List<String> plurals() {
    return Project.PLURALS;
  }

  static Stream<Arguments> kinds() {
    return Stream.of(
        Arguments.of("logtoapiresources", "LogtoApiResource", List.of("logtoapi", "lapi"),
            ".status.resourceId"),
        Arguments.of("logtoroles", "LogtoRole", List.of("logtorole", "lrole"), ".status.roleId"),
        Arguments.of("logtom2mapps", "LogtoM2MApp", List.of("logtoapp", "m2mapp"),
            ".status.appId"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("kinds")
  void kindIsNamespacedInCategoryLogtoWithShortNamesAndStatusSubresource(
      String plural, String kind, List<String> shortNames, String idPath) {
    CustomResourceDefinition crd = Crds.generated(plural);

    assertThat(crd.getMetadata().getName()).isEqualTo(plural + ".m2m.logto.io");
    assertThat(crd.getSpec().getGroup()).isEqualTo("m2m.logto.io");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo(kind);
    assertThat(crd.getSpec().getNames().getCategories()).containsExactly("logto");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactlyInAnyOrderElementsOf(shortNames);
    assertThat(crd.getSpec().getVersions()).singleElement().satisfies(v -> {
      assertThat(v.getName()).isEqualTo("v1alpha1");
      assertThat(v.getServed()).isTrue();
      assertThat(v.getStorage()).isTrue();
      // Without the status subresource, a status write would bump generation and re-trigger reconciles.
      assertThat(v.getSubresources().getStatus()).isNotNull();
    });
  }

  /**
   * kubectl lists cluster-scoped kinds of a category whatever {@code -n} says: {@code kubectl get
   * logto -n team-a} must show that namespace's objects, not every tenant's ClusterLogtoConnection.
   */
  @ParameterizedTest
  @MethodSource("plurals")
  void categoryLogtoHoldsNamespacedKindsOnlyAndTheConnectionKindsHaveTheirOwn(String plural) {
    CustomResourceDefinition crd = Crds.generated(plural);
    List<String> categories = crd.getSpec().getNames().getCategories();

    if (crd.getSpec().getScope().equals("Cluster")) {
      assertThat(categories).doesNotContain("logto");
    } else {
      assertThat(categories).contains("logto");
    }
    if (crd.getSpec().getNames().getKind().endsWith("LogtoConnection")) {
      assertThat(categories).contains("logto-connections");
    }
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("kinds")
  void printerColumnsShowReadyReasonLogtoIdAndAge(
      String plural, String kind, List<String> shortNames, String idPath) {
    List<CustomResourceColumnDefinition> columns =
        Crds.version(Crds.generated(plural)).getAdditionalPrinterColumns();

    assertThat(columns).anySatisfy(c -> {
      assertThat(c.getName()).isEqualTo("Ready");
      assertThat(c.getJsonPath()).isEqualTo(".status.conditions[?(@.type==\"Ready\")].status");
    });
    assertThat(columns).anySatisfy(c -> {
      assertThat(c.getName()).isEqualTo("Reason");
      assertThat(c.getJsonPath()).isEqualTo(".status.conditions[?(@.type==\"Ready\")].reason");
    });
    assertThat(columns).anySatisfy(c -> {
      assertThat(c.getName()).isEqualTo("Logto ID");
      assertThat(c.getJsonPath()).isEqualTo(idPath);
    });
    assertThat(columns).anySatisfy(c -> {
      assertThat(c.getName()).isEqualTo("Age");
      assertThat(c.getJsonPath()).isEqualTo(".metadata.creationTimestamp");
      assertThat(c.getType()).isEqualTo("date");
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"logtoapiresources", "logtoroles", "logtom2mapps"})
  void deletionPolicyIsDeleteOrRetainAndDefaultsToDelete(String plural) {
    JSONSchemaProps policy = Crds.at(Crds.generated(plural), "deletionPolicy");

    assertThat(policy.getEnum()).extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("Delete", "Retain");
    assertThat(policy.getDefault().asText()).isEqualTo("Delete");
  }

  @Test
  void apiResourceIndicatorIsARequiredImmutableHttpUri() {
    CustomResourceDefinition crd = Crds.generated("logtoapiresources");
    JSONSchemaProps indicator = Crds.at(crd, "indicator");

    assertThat(Crds.spec(crd).getRequired()).contains("indicator");
    assertThat(indicator.getXKubernetesValidations())
        .extracting(ValidationRule::getRule)
        .contains("self == oldSelf");
    Pattern pattern = Pattern.compile(indicator.getPattern());
    assertThat(List.of("https://shopping.api", "http://logto.logto.svc:3001/api",
        "https://default.logto.app/api"))
        .allMatch(s -> pattern.matcher(s).find());
    assertThat(List.of("shopping.api", "https://", "ftp://shopping.api", "https://shop ping.api",
        "https:///path"))
        .noneMatch(s -> pattern.matcher(s).find());
    assertThat(indicator.getMaxLength()).isNotNull();
  }

  @Test
  void apiResourceScopesAreNamedWithoutWhitespace() {
    CustomResourceDefinition crd = Crds.generated("logtoapiresources");
    JSONSchemaProps scopes = Crds.at(crd, "scopes");
    JSONSchemaProps name = Crds.at(crd, "scopes.[].name");

    assertThat(scopes.getItems().getSchema().getRequired()).containsExactly("name");
    assertThat(scopes.getMaxItems()).isNotNull();
    // Uniqueness is the operator's check: a pairwise CEL rule would exceed the cost budget.
    assertThat(scopes.getXKubernetesValidations()).isNullOrEmpty();
    Pattern pattern = Pattern.compile(name.getPattern());
    assertThat(pattern.matcher("read:products").find()).isTrue();
    assertThat(pattern.matcher("read products").find()).isFalse();
    assertThat(name.getMinLength()).isEqualTo(1L);
  }

  @Test
  void rolePermissionNamesExactlyOneOfResourceRefOrIndicator() {
    CustomResourceDefinition crd = Crds.generated("logtoroles");
    JSONSchemaProps permission = Crds.at(crd, "permissions.[]");

    assertThat(permission.getXKubernetesValidations()).extracting(ValidationRule::getRule)
        .contains("has(self.resourceRef) != has(self.indicator)");
    assertThat(permission.getRequired()).containsExactly("scopes");
    assertThat(Crds.at(crd, "permissions.[].resourceRef").getRequired()).containsExactly("name");
    assertThat(Crds.at(crd, "permissions.[].indicator").getPattern())
        .isEqualTo(Crds.at(Crds.generated("logtoapiresources"), "indicator").getPattern());
    assertThat(Crds.at(crd, "permissions.[].scopes").getMinItems()).isEqualTo(1L);
    JSONSchemaProps scope = Crds.at(crd, "permissions.[].scopes").getItems().getSchema();
    assertThat(scope.getMaxLength()).isEqualTo(256L);
    assertThat(Pattern.compile(scope.getPattern()).matcher("read products").find()).isFalse();
    assertThat(Pattern.compile(scope.getPattern()).matcher("read:products").find()).isTrue();
  }

  @Test
  void appRoleNamesExactlyOneOfRoleRefOrLogtoRoleName() {
    CustomResourceDefinition crd = Crds.generated("logtom2mapps");

    assertThat(Crds.at(crd, "roles.[]").getXKubernetesValidations())
        .extracting(ValidationRule::getRule)
        .contains("has(self.roleRef) != has(self.logtoRoleName)");
    assertThat(Crds.at(crd, "roles.[].roleRef").getRequired()).containsExactly("name");
  }

  @Test
  void appSecretKeysMayRenameOnlyTheDocumentedKeys() {
    JSONSchemaProps keys = Crds.at(Crds.generated("logtom2mapps"), "secret.keys");

    assertThat(keys.getXKubernetesValidations()).extracting(ValidationRule::getRule)
        .anySatisfy(rule -> assertThat(rule).contains("'LOGTO_APP_ID'", "'LOGTO_APP_SECRET'",
            "'LOGTO_ENDPOINT'", "'LOGTO_TOKEN_ENDPOINT'", "'LOGTO_RESOURCE'", "'LOGTO_SCOPES'"));
  }

  private static final Pattern HAS_FIELD = Pattern.compile("has\\(self\\.(\\w+)\\)");

  /**
   * A field renamed in a class but not in its CEL rule makes the rule test a field that never
   * exists: "exactly one of" would then reject every object, or accept both.
   */
  @ParameterizedTest
  @MethodSource("plurals")
  void celRulesTestOnlyFieldsThatExist(String plural) {
    List<String> dangling = new ArrayList<>();
    walk(Crds.spec(Crds.generated(plural)), "spec", (path, node) -> {
      if (node.getXKubernetesValidations() == null) {
        return;
      }
      for (ValidationRule rule : node.getXKubernetesValidations()) {
        Matcher m = HAS_FIELD.matcher(rule.getRule());
        while (m.find()) {
          Map<String, JSONSchemaProps> properties = node.getProperties();
          if (properties == null || !properties.containsKey(m.group(1))) {
            dangling.add(path + ": " + rule.getRule());
          }
        }
      }
    });
    assertThat(dangling).isEmpty();
  }

  /**
   * The API server rejects a CRD whose CEL rules could cost too much in the worst case, and it
   * estimates a string without maxLength at 3 MiB and a list or map without maxItems/maxProperties
   * at as many entries as fit in 3 MiB ("estimated rule cost exceeds budget"). So every value a rule
   * reads, and every list above it, must be bounded. A rule reads the fields it names
   * ({@code self.connectionRef}), or the whole node for {@code self} alone or a macro.
   */
  @ParameterizedTest
  @MethodSource("plurals")
  void celRulesOnlyReadBoundedValues(String plural) {
    List<String> unbounded = new ArrayList<>();
    walkBounded(Crds.spec(Crds.generated(plural)), "spec", false, unbounded);
    assertThat(unbounded).isEmpty();
  }

  /** {@code self} or {@code oldSelf}, and the field or method after it, if any. */
  private static final Pattern SELF = Pattern.compile("\\b(?:self|oldSelf)\\b(\\.(\\w+)(\\()?)?");

  private static void walkBounded(
      JSONSchemaProps node, String path, boolean readByRule, List<String> unbounded) {
    List<ValidationRule> rules = node.getXKubernetesValidations() == null ? List.of()
        : node.getXKubernetesValidations();
    // A rule reads the fields it names (self.f); self alone or a macro (self.all(...)) reads all.
    boolean wholeNode = readByRule;
    java.util.Set<String> readFields = new java.util.HashSet<>();
    for (ValidationRule rule : rules) {
      Matcher m = SELF.matcher(rule.getRule());
      while (m.find()) {
        if (m.group(2) == null || m.group(3) != null) {
          wholeNode = true;
        } else {
          readFields.add(m.group(2));
        }
      }
    }
    boolean whole = wholeNode;
    if (whole) {
      if ("string".equals(node.getType()) && node.getMaxLength() == null
          && (node.getEnum() == null || node.getEnum().isEmpty())) {
        unbounded.add(path + ": string without maxLength");
      }
      if ("array".equals(node.getType()) && node.getMaxItems() == null) {
        unbounded.add(path + ": array without maxItems");
      }
      if (node.getAdditionalProperties() != null && node.getMaxProperties() == null) {
        unbounded.add(path + ": map without maxProperties");
      }
    }
    if (node.getProperties() != null) {
      node.getProperties().forEach((name, child) ->
          walkBounded(child, path + "." + name, whole || readFields.contains(name),
              unbounded));
    }
    if (node.getItems() != null && node.getItems().getSchema() != null) {
      walkBounded(node.getItems().getSchema(), path + "[]", whole, unbounded);
    }
    if (node.getAdditionalProperties() != null
        && node.getAdditionalProperties().getSchema() != null) {
      walkBounded(node.getAdditionalProperties().getSchema(), path + ".*", whole, unbounded);
    }
  }

  interface Visitor {
    void visit(String path, JSONSchemaProps node);
  }

  static void walk(JSONSchemaProps node, String path, Visitor visitor) {
    visitor.visit(path, node);
    if (node.getProperties() != null) {
      node.getProperties().forEach((name, child) -> walk(child, path + "." + name, visitor));
    }
    if (node.getItems() != null && node.getItems().getSchema() != null) {
      walk(node.getItems().getSchema(), path + "[]", visitor);
    }
    if (node.getAdditionalProperties() != null
        && node.getAdditionalProperties().getSchema() != null) {
      walk(node.getAdditionalProperties().getSchema(), path + "{}", visitor);
    }
  }
}
