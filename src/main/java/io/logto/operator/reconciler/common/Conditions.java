package io.logto.operator.reconciler.common;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Status conditions per Kubernetes API conventions: lastTransitionTime moves only when the status
 * changes, observedGeneration says which spec the condition describes.
 */
public final class Conditions {

  public static final String READY = "Ready";
  public static final String CREDENTIALS_VERIFIED = "CredentialsVerified";

  private Conditions() {}

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /** Returns a new list with the condition of {@code type} set. */
  public static List<Condition> set(
      List<Condition> conditions,
      String type,
      boolean status,
      Reason reason,
      String message,
      Long generation,
      Clock clock) {
    String statusText = status ? "True" : "False";
    List<Condition> result = new ArrayList<>();
    Condition previous = null;
    if (conditions != null) {
      for (Condition c : conditions) {
        if (type.equals(c.getType())) {
          previous = c;
        } else {
          result.add(c);
        }
      }
    }
    String transition =
        previous != null && Objects.equals(previous.getStatus(), statusText)
            ? previous.getLastTransitionTime()
            : Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    result.add(
        new ConditionBuilder()
            .withType(type)
            .withStatus(statusText)
            .withReason(reason.name())
            .withMessage(message == null ? "" : message)
            .withObservedGeneration(generation)
            .withLastTransitionTime(transition)
            .build());
    result.sort((a, b) -> order(a.getType()) - order(b.getType()));
    return result;
  }

  private static int order(String type) {
    return READY.equals(type) ? 0 : 1;
  }
}
