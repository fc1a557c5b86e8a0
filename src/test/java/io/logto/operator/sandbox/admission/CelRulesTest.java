package io.logto.operator.sandbox.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** CEL rules as the API server runs them, on a schema of their own. */
class CelRulesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  private static JsonNode spec(String note) throws Exception {
    return json("{\"spec\": {\"note\": \"" + note + "\"}}");
  }

  private static CelRules rules(String rule) throws Exception {
    return new CelRules(json("""
        {"type": "object", "properties": {"spec": {
          "type": "object", "properties": {"note": {"type": "string"}},
          "x-kubernetes-validations": [{"rule": "%s"}]}}}""".formatted(rule)),
        FieldPath.root());
  }

  @Test
  void aRuleThatOnlyMentionsOldSelfInAStringIsNotATransitionRule() throws Exception {
    CelRules rules = rules("self.note != 'oldSelf'");

    assertThat(rules.validate(spec("oldSelf"), null))
        .extracting(FieldError::toString)
        .containsExactly("spec: Invalid value: \"object\": failed rule: self.note != 'oldSelf'");
  }

  @Test
  void aRuleReferringToOldSelfRunsOnUpdatesOnly() throws Exception {
    CelRules rules = rules("self.note == oldSelf.note");

    assertThat(rules.validate(spec("a"), null)).isEmpty();
    assertThat(rules.validate(spec("b"), spec("a")))
        .extracting(FieldError::toString)
        .containsExactly("spec: Invalid value: \"object\": failed rule: self.note == oldSelf.note");
  }
}
