package io.logto.operator.e2e;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a rendered chart grants its ServiceAccount, one (scope, group, resource, verb) at a time,
 * and how that compares with the requests a run made.
 */
final class ChartGrants {

  /** One permission; {@code scope} is "*" for a ClusterRole, else the Role's namespace. */
  record Grant(String scope, String apiGroup, String resource, String verb)
      implements Comparable<Grant> {

    boolean covers(AuditLog.Request request) {
      return apiGroup.equals(request.apiGroup()) && resource.equals(request.resource())
          && verb.equals(request.verb())
          && (scope.equals("*") || scope.equals(request.namespace()));
    }

    @Override
    public int compareTo(Grant other) {
      return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
      return verb + " " + (apiGroup.isEmpty() ? "" : apiGroup + "/") + resource
          + (scope.equals("*") ? " (all namespaces)" : " in " + scope);
    }
  }

  /**
   * The comparison of a run with the grants.
   *
   * @param forbidden requests the API server refused for lack of permission
   * @param unused {@code verb group/resource} granted but used by no request
   * @param allowedElsewhere requests allowed by the cluster's default roles, not by the chart
   */
  record Comparison(List<AuditLog.Request> forbidden, Set<String> unused,
      Set<String> allowedElsewhere) {}

  private ChartGrants() {}

  /** The grants bound by the chart's bindings to the ServiceAccount. */
  static Set<Grant> of(List<HasMetadata> rendered, String namespace, String serviceAccount) {
    Set<Grant> grants = new TreeSet<>();
    for (HasMetadata object : rendered) {
      if (object instanceof ClusterRoleBinding binding
          && bindsTo(binding.getSubjects(), namespace, serviceAccount)) {
        expand(grants, "*", rulesOf(rendered, binding.getRoleRef(), null));
      } else if (object instanceof RoleBinding binding
          && bindsTo(binding.getSubjects(), namespace, serviceAccount)) {
        String scope = binding.getMetadata().getNamespace();
        expand(grants, scope, rulesOf(rendered, binding.getRoleRef(), scope));
      }
    }
    return grants;
  }

  /**
   * Compares a run with the grants. A grant counts as used when the run used its verb on its
   * resource in any namespace it covers: the per-namespace Roles are one template, and which
   * namespace met, say, a deletion is the scenario's choice.
   */
  static Comparison compare(Set<Grant> grants, Collection<AuditLog.Request> requests) {
    List<AuditLog.Request> forbidden =
        requests.stream().filter(AuditLog.Request::forbidden).toList();
    Set<String> used = requests.stream().filter(r -> !r.forbidden())
        .filter(r -> grants.stream().anyMatch(g -> g.covers(r)))
        .map(r -> key(r.verb(), r.apiGroup(), r.resource()))
        .collect(Collectors.toSet());
    Set<String> unused = grants.stream()
        .map(g -> key(g.verb(), g.apiGroup(), g.resource()))
        .filter(k -> !used.contains(k))
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> elsewhere = requests.stream()
        .filter(r -> !r.forbidden() && grants.stream().noneMatch(g -> g.covers(r)))
        .map(r -> key(r.verb(), r.apiGroup(), r.resource()))
        .collect(Collectors.toCollection(TreeSet::new));
    return new Comparison(forbidden, unused, elsewhere);
  }

  /** {@code verb group/resource}, e.g. {@code create /events}, {@code update m2m.logto.io/x}. */
  static String key(String verb, String apiGroup, String resource) {
    return verb + " " + apiGroup + "/" + resource;
  }

  private static boolean bindsTo(List<Subject> subjects, String namespace, String name) {
    return subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
        && name.equals(s.getName()) && namespace.equals(s.getNamespace()));
  }

  private static List<PolicyRule> rulesOf(List<HasMetadata> rendered, RoleRef ref,
      String namespace) {
    for (HasMetadata object : rendered) {
      if (!object.getMetadata().getName().equals(ref.getName())) {
        continue;
      }
      if (ref.getKind().equals("ClusterRole") && object instanceof ClusterRole role) {
        return role.getRules();
      }
      if (ref.getKind().equals("Role") && object instanceof Role role
          && role.getMetadata().getNamespace().equals(namespace)) {
        return role.getRules();
      }
    }
    throw new AssertionError("the chart binds " + ref.getKind() + " " + ref.getName()
        + " but does not render it");
  }

  private static void expand(Set<Grant> grants, String scope, List<PolicyRule> rules) {
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            grants.add(new Grant(scope, group, resource, verb));
          }
        }
      }
    }
  }
}
