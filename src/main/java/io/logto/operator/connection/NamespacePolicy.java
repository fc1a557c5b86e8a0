package io.logto.operator.connection;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Which namespaces may use a connection, and which of them may reach beyond what they declare
 * (the privilege guard: Management API scopes, Logto objects the operator does not manage).
 *
 * @param allowed whether objects of a namespace may use the connection at all
 * @param privileged whether a namespace's objects may make privileged references through it
 * @param privilegedBy the list that decides privilege, and who holds it, for messages: a user
 *     told "Forbidden" must know which list to change
 */
public record NamespacePolicy(Predicate<String> allowed, Predicate<String> privileged,
    String privilegedBy) {

  /** Every namespace may use it; those listed are privileged (the operator's own connection). */
  public static NamespacePolicy allNamespaces(Set<String> privileged) {
    Set<String> copy = Set.copyOf(privileged);
    return new NamespacePolicy(ns -> true, copy::contains,
        "the operator's PRIVILEGED_NAMESPACES " + listed(copy));
  }

  /**
   * Only the connection's own namespace, privileged within it: whoever gave the namespace a
   * connection gave it that tenant's Management API already.
   */
  public static NamespacePolicy ownNamespace(String namespace) {
    return new NamespacePolicy(namespace::equals, namespace::equals,
        "the LogtoConnection's own namespace (" + namespace + ")");
  }

  /** A list of namespaces as messages show it: [a, b], or (none). */
  static String listed(Set<String> namespaces) {
    return namespaces.isEmpty() ? "(none)" : new TreeSet<>(namespaces).toString();
  }
}
