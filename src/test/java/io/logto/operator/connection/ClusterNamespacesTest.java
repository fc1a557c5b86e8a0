package io.logto.operator.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterNamespacesTest {

  private static final Map<String, String> PROD = Map.of("tier", "prod", "team", "pay");

  private static LabelSelector expression(String key, String operator, String... values) {
    return new LabelSelectorBuilder().addNewMatchExpression().withKey(key)
        .withOperator(operator).withValues(values).endMatchExpression().build();
  }

  @Test
  void matchLabelsNeedsEveryPair() {
    assertThat(ClusterNamespaces.matches(new LabelSelectorBuilder()
        .addToMatchLabels("tier", "prod").build(), PROD)).isTrue();
    assertThat(ClusterNamespaces.matches(new LabelSelectorBuilder()
        .addToMatchLabels("tier", "prod").addToMatchLabels("team", "shop").build(), PROD))
        .isFalse();
  }

  @Test
  void expressionsFollowKubernetes() {
    assertThat(ClusterNamespaces.matches(expression("tier", "In", "prod", "staging"), PROD))
        .isTrue();
    assertThat(ClusterNamespaces.matches(expression("tier", "NotIn", "prod"), PROD)).isFalse();
    assertThat(ClusterNamespaces.matches(expression("zone", "NotIn", "eu"), PROD))
        .as("NotIn holds where the key is absent").isTrue();
    assertThat(ClusterNamespaces.matches(expression("team", "Exists"), PROD)).isTrue();
    assertThat(ClusterNamespaces.matches(expression("team", "DoesNotExist"), PROD)).isFalse();
    assertThat(ClusterNamespaces.matches(expression("team", "Matches", "pay"), PROD))
        .as("an unknown operator selects nothing").isFalse();
  }

  @Test
  void anEmptySelectorSelectsEveryNamespace() {
    assertThat(ClusterNamespaces.matches(new LabelSelector(), Map.of())).isTrue();
  }
}
