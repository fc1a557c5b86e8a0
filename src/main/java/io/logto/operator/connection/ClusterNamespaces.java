package io.logto.operator.connection;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.logto.operator.crd.connection.AllowedNamespaces;
import io.logto.operator.crd.connection.ClusterLogtoConnectionSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The namespaces a ClusterLogtoConnection allows (by name or label) and those it privileges. */
final class ClusterNamespaces {

  private ClusterNamespaces() {}

  static NamespacePolicy policy(String connection, ClusterLogtoConnectionSpec spec,
      NamespaceLabels labels) {
    AllowedNamespaces allowed = spec.getAllowedNamespaces();
    Set<String> names = allowed == null ? Set.of() : Set.copyOf(allowed.getNames());
    LabelSelector selector = allowed == null ? null : allowed.getSelector();
    Set<String> privileged = Set.copyOf(spec.getPrivilegedNamespaces());
    return new NamespacePolicy(
        ns -> names.contains(ns) || (selector != null && matches(selector, labels.of(ns))),
        privileged::contains,
        "ClusterLogtoConnection " + connection + "'s privilegedNamespaces "
            + NamespacePolicy.listed(privileged));
  }

  /** Kubernetes label selector semantics: every matchLabels entry and every expression holds. */
  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector.getMatchLabels() != null) {
      for (var entry : selector.getMatchLabels().entrySet()) {
        if (!entry.getValue().equals(labels.get(entry.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
        if (!matches(requirement, labels)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean matches(LabelSelectorRequirement requirement, Map<String, String> labels) {
    String value = labels.get(requirement.getKey());
    List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
    return switch (requirement.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> labels.containsKey(requirement.getKey());
      case "DoesNotExist" -> !labels.containsKey(requirement.getKey());
      default -> false; // an unknown operator selects nothing rather than everything
    };
  }
}
