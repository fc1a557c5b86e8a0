package io.logto.operator.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The generated CRDs carry the schema rules that make a real API server refuse, at apply time, the
 * bad inputs of {@link BadInputTest} that a schema can express. The mock server does not enforce
 * them, so they are read here; patterns are also run against the bad values.
 */
class CrdSchemaRulesTest {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private static JSONSchemaProps spec(String plural) {
    String file = "META-INF/fabric8/" + plural + ".m2m.logto.io-v1.yml";
    try (InputStream in = CrdSchemaRulesTest.class.getClassLoader().getResourceAsStream(file)) {
      assertThat(in).as(file).isNotNull();
      CustomResourceDefinition crd = SERIALIZATION.unmarshal(in, CustomResourceDefinition.class);
      assertThat(crd.getSpec().getVersions()).hasSize(1);
      return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties()
          .get("spec");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A property by a dotted path; "[]" steps into array items. */
  private static JSONSchemaProps at(JSONSchemaProps root, String path) {
    JSONSchemaProps current = root;
    for (String step : path.split("\\.")) {
      if (step.equals("[]")) {
        current = current.getItems().getSchema();
      } else {
        assertThat(current.getProperties()).as(path).containsKey(step);
        current = current.getProperties().get(step);
      }
    }
    return current;
  }

  private static List<String> rules(JSONSchemaProps props) {
    List<ValidationRule> rules = props.getXKubernetesValidations();
    return rules == null ? List.of() : rules.stream().map(ValidationRule::getRule).toList();
  }

  private static void assertPatternRejects(JSONSchemaProps props, String... bad) {
    assertThat(props.getPattern()).isNotNull();
    Pattern pattern = Pattern.compile(props.getPattern());
    for (String value : bad) {
      assertThat(pattern.matcher(value).find()).as("pattern %s on '%s'", props.getPattern(), value)
          .isFalse();
    }
  }

  private static void assertPatternAccepts(JSONSchemaProps props, String good) {
    assertThat(Pattern.compile(props.getPattern()).matcher(good).find()).isTrue();
  }

  private static void assertLength(JSONSchemaProps props, Long min, long max) {
    assertThat(props.getMinLength()).isEqualTo(min);
    assertThat(props.getMaxLength()).isEqualTo(max);
  }

  private static void assertDeletionPolicyEnum(JSONSchemaProps spec) {
    assertThat(at(spec, "deletionPolicy").getEnum()).extracting(n -> n.asText())
        .containsExactly("Delete", "Retain");
  }

  @Test
  void apiResourceSchemaRefusesTheBadInputsItCanExpress() {
    JSONSchemaProps spec = spec("logtoapiresources");
    assertThat(spec.getRequired()).contains("indicator");
    assertLength(at(spec, "name"), 1L, 128);
    JSONSchemaProps indicator = at(spec, "indicator");
    assertLength(indicator, 1L, 256);
    assertPatternRejects(indicator, "/shop", "ftp://shop.api", "https://shop api", "shop.api");
    assertPatternAccepts(indicator, "https://shop.api");
    assertThat(rules(indicator)).containsExactly("self == oldSelf");
    assertThat(at(spec, "accessTokenTtl").getMinimum()).isEqualTo(1.0);
    assertThat(at(spec, "accessTokenTtl").getMaximum()).isEqualTo(2_592_000.0);
    assertThat(at(spec, "accessTokenTtl").getType()).isEqualTo("integer");
    JSONSchemaProps scopes = at(spec, "scopes");
    assertThat(scopes.getMaxItems()).isEqualTo(200);
    // Uniqueness is the operator's: a pairwise CEL rule would exceed the API server's cost budget.
    assertThat(rules(scopes)).isEmpty();
    JSONSchemaProps scope = at(spec, "scopes.[]");
    assertThat(scope.getRequired()).contains("name");
    assertLength(at(scope, "name"), 1L, 256);
    assertPatternRejects(at(scope, "name"), "write products", "", "tab\there");
    assertThat(at(scope, "description").getMaxLength()).isEqualTo(256);
    JSONSchemaProps configMap = at(spec, "configMap.name");
    assertLength(configMap, 1L, 253);
    assertPatternRejects(configMap, "Bad_Name", "-x", "x-");
    assertDeletionPolicyEnum(spec);
  }

  @Test
  void roleSchemaRefusesTheBadInputsItCanExpress() {
    JSONSchemaProps spec = spec("logtoroles");
    assertLength(at(spec, "name"), 1L, 128);
    assertLength(at(spec, "description"), 1L, 128);
    JSONSchemaProps permissions = at(spec, "permissions");
    assertThat(permissions.getMaxItems()).isEqualTo(100);
    JSONSchemaProps permission = at(spec, "permissions.[]");
    assertThat(rules(permission)).containsExactly("has(self.resourceRef) != has(self.indicator)");
    assertThat(permission.getRequired()).contains("scopes");
    JSONSchemaProps scopes = at(permission, "scopes");
    assertThat(scopes.getMinItems()).isEqualTo(1);
    assertThat(scopes.getMaxItems()).isEqualTo(100);
    assertThat(rules(scopes)).isEmpty();
    assertLength(at(permission, "scopes.[]"), 1L, 256);
    assertPatternRejects(at(permission, "scopes.[]"), "read products", "tab\there");
    JSONSchemaProps ref = at(permission, "resourceRef");
    assertThat(ref.getRequired()).contains("name");
    assertPatternRejects(at(ref, "name"), "Known_API", "");
    JSONSchemaProps indicator = at(permission, "indicator");
    assertLength(indicator, 1L, 256);
    assertPatternRejects(indicator, "known.api", "/x", "ftp://x");
    assertDeletionPolicyEnum(spec);
  }

  @Test
  void appSchemaRefusesTheBadInputsItCanExpress() {
    JSONSchemaProps spec = spec("logtom2mapps");
    assertLength(at(spec, "name"), 1L, 256);
    assertThat(at(spec, "description").getMaxLength()).isEqualTo(2048);
    assertThat(at(spec, "roles").getMaxItems()).isEqualTo(100);
    JSONSchemaProps role = at(spec, "roles.[]");
    assertThat(rules(role)).containsExactly("has(self.roleRef) != has(self.logtoRoleName)");
    assertLength(at(role, "logtoRoleName"), 1L, 128);
    assertPatternRejects(at(role, "roleRef.name"), "No_Role");
    JSONSchemaProps secretName = at(spec, "secret.name");
    assertLength(secretName, 1L, 253);
    assertPatternRejects(secretName, "My_Secret");
    List<String> keyRules = rules(at(spec, "secret.keys"));
    assertThat(keyRules).hasSize(2);
    assertThat(keyRules.get(0)).contains("'LOGTO_APP_ID'", "'LOGTO_APP_SECRET'");
    assertThat(keyRules.get(1)).contains("matches('^[-._a-zA-Z0-9]+$')");
    assertDeletionPolicyEnum(spec);
  }

  /**
   * What the schemas do not say (listed in the report), pinned so that a change is noticed: the
   * operator alone refuses these. Reserved or malformed Secret labels, two keys renamed to one
   * name, a duplicate role, the same API resource twice, and metadata.name lengths that make a
   * derived name too long all pass the schema.
   */
  @Test
  void rulesOnlyTheOperatorChecks() {
    JSONSchemaProps app = spec("logtom2mapps");
    assertThat(rules(at(app, "secret.labels"))).isEmpty();
    assertThat(at(app, "secret.labels").getMaxProperties()).isNull();
    assertThat(rules(at(app, "roles"))).isEmpty();
    JSONSchemaProps role = spec("logtoroles");
    assertThat(rules(at(role, "permissions"))).isEmpty();
    assertThat(rules(at(role, "permissions.[].scopes"))).as("scope uniqueness").isEmpty();
    // Bounded so that the CEL rules on the keys fit the API server's cost budget.
    assertThat(at(app, "secret.keys").getMaxProperties()).isEqualTo(7);
  }
}
