package io.logto.operator.crdrules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The catalog covers every rule of the generated CRDs with a valid and an invalid document (it
 * refuses to build otherwise); CrdAdmissionIT then sends them to a real API server.
 */
class CrdRuleCatalogTest {

  private static final List<CrdRuleCase> CASES = CrdRuleCatalog.cases();

  @Test
  void everyRuleHasAValidAndAnInvalidDocument() {
    Map<String, Set<Boolean>> outcomes = CASES.stream().collect(Collectors.groupingBy(
        c -> c.kind() + " " + c.rule(), Collectors.mapping(CrdRuleCase::valid,
            Collectors.toSet())));
    assertThat(outcomes).allSatisfy((rule, kinds) ->
        assertThat(kinds).as(rule).containsExactlyInAnyOrder(true, false));
  }

  @Test
  void theRulesOfTheSchemasAreAllThere() {
    Set<String> rules = CASES.stream().map(c -> c.kind() + " " + c.rule())
        .collect(Collectors.toCollection(TreeSet::new));
    // A sample of each sort of rule, so that a walk that silently skips a sort is noticed.
    assertThat(rules).contains(
        "LogtoApiResource spec.indicator required",
        "LogtoApiResource spec.indicator pattern",
        "LogtoApiResource spec.indicator x-kubernetes-validations: indicator is immutable",
        "LogtoApiResource spec.accessTokenTtl minimum",
        "LogtoApiResource spec.accessTokenTtl maximum",
        "LogtoApiResource spec.accessTokenTtl type",
        "LogtoApiResource spec.scopes maxItems",
        "LogtoApiResource spec.scopes[].name pattern",
        "LogtoApiResource spec.deletionPolicy enum",
        "LogtoRole spec.permissions[] x-kubernetes-validations: set exactly one of resourceRef"
            + " or indicator",
        "LogtoRole spec.permissions[].scopes minItems",
        "LogtoRole spec.permissions[].scopes[] maxLength",
        "LogtoRole spec.permissions[].resourceRef.name required",
        "LogtoM2MApp spec.secret.keys maxProperties",
        "LogtoM2MApp spec.secret.keys.* minLength",
        "LogtoM2MApp spec.secret.labels.* type",
        "LogtoM2MApp spec.roles[] x-kubernetes-validations: set exactly one of roleRef or"
            + " logtoRoleName");
    System.out.println(CASES.size() + " cases over " + rules.size() + " rules");
  }

  @Test
  void invalidCasesNameTheFieldFirst() {
    assertThat(CASES.stream().filter(c -> !c.valid()))
        .allSatisfy(c -> assertThat(c.expectedError()).startsWith("spec"));
  }

  @Test
  void documentsHaveDistinctNames() {
    assertThat(CASES.stream().map(CrdRuleCase::name).distinct().count())
        .isEqualTo(CASES.size());
  }
}
