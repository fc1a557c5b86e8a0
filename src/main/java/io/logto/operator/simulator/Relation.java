package io.logto.operator.simulator;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A many-to-many relation table (e.g. {@code applications_roles}) indexed both ways; each side
 * keeps insertion order. Not thread-safe: guarded by the {@link TenantState}.
 */
final class Relation {
  private final Map<String, Set<String>> byLeft = new HashMap<>();
  private final Map<String, Set<String>> byRight = new HashMap<>();

  boolean add(String left, String right) {
    boolean added = byLeft.computeIfAbsent(left, k -> new LinkedHashSet<>()).add(right);
    byRight.computeIfAbsent(right, k -> new LinkedHashSet<>()).add(left);
    return added;
  }

  boolean remove(String left, String right) {
    Set<String> rights = byLeft.get(left);
    if (rights == null || !rights.remove(right)) {
      return false;
    }
    Set<String> lefts = byRight.get(right);
    if (lefts != null) {
      lefts.remove(left);
    }
    return true;
  }

  boolean contains(String left, String right) {
    Set<String> rights = byLeft.get(left);
    return rights != null && rights.contains(right);
  }

  /** The rights of {@code left}, in insertion order (a copy). */
  List<String> rights(String left) {
    return List.copyOf(byLeft.getOrDefault(left, Set.of()));
  }

  /** The lefts of {@code right}, in insertion order (a copy). */
  List<String> lefts(String right) {
    return List.copyOf(byRight.getOrDefault(right, Set.of()));
  }

  void removeLeft(String left) {
    rights(left).forEach(r -> remove(left, r));
    byLeft.remove(left);
  }

  void removeRight(String right) {
    lefts(right).forEach(l -> remove(l, right));
    byRight.remove(right);
  }
}
