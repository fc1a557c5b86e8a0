package io.logto.operator.reconciler.app;

import io.fabric8.kubernetes.api.model.Duration;
import io.logto.operator.crd.app.SecretRotation;
import io.logto.operator.crd.app.WorkloadReference;
import io.logto.operator.reconciler.common.SpecChecks;
import java.text.ParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * spec.secret.rotation and spec.secret.rolloutRestart, checked and parsed: the schema says the
 * same, but an object stored before the CRD had these rules must still end in InvalidSpec.
 *
 * @param period how often to rotate; empty: only on demand
 * @param grace how long the previous secret stays valid after the new one is in the Secret
 * @param removeOthers whether the app's secrets the operator did not create are deleted too
 * @param restart workloads to roll out after each rotation
 */
record RotationPolicy(
    Optional<java.time.Duration> period,
    java.time.Duration grace,
    boolean removeOthers,
    List<WorkloadReference> restart) {

  static final java.time.Duration DEFAULT_GRACE = java.time.Duration.ofHours(24);
  static final java.time.Duration MIN_PERIOD = java.time.Duration.ofMinutes(1);
  static final int MAX_RESTARTS = 20;
  private static final Pattern DURATION = Pattern.compile(SecretRotation.DURATION_PATTERN);

  static RotationPolicy of(SecretRotation rotation, List<WorkloadReference> restarts,
      SpecChecks checks) {
    checks.maxItems("spec.secret.rolloutRestart", restarts, MAX_RESTARTS);
    List<WorkloadReference> restart = restarts.stream().filter(w -> {
      if (w == null || w.getKind() == null) {
        checks.add("spec.secret.rolloutRestart", "each entry needs kind Deployment or"
            + " StatefulSet");
        return false;
      }
      checks.objectName("spec.secret.rolloutRestart.name", w.getName());
      return true;
    }).distinct().sorted(Comparator.comparing(WorkloadReference::toString)).toList();
    if (rotation == null) {
      return new RotationPolicy(Optional.empty(), DEFAULT_GRACE, false, restart);
    }
    Optional<java.time.Duration> period =
        Optional.ofNullable(parse("spec.secret.rotation.period", rotation.getPeriod(), checks));
    java.time.Duration grace = Optional.ofNullable(
        parse("spec.secret.rotation.gracePeriod", rotation.getGracePeriod(), checks))
        .orElse(DEFAULT_GRACE);
    period.ifPresent(p -> {
      if (p.compareTo(MIN_PERIOD) < 0) {
        checks.add("spec.secret.rotation.period", "must be at least 1m, got "
            + rotation.getPeriod());
      } else if (grace.compareTo(p) >= 0) {
        checks.add("spec.secret.rotation.gracePeriod", "must be shorter than period ("
            + Optional.ofNullable(rotation.getGracePeriod()).orElse("the default 24h")
            + " is not shorter than " + rotation.getPeriod() + ")");
      }
    });
    return new RotationPolicy(period, grace, Boolean.TRUE.equals(rotation.getRemoveOthers()),
        restart);
  }

  /** A Kubernetes duration such as 720h or 1h30m; null when unset or invalid (noted). */
  private static java.time.Duration parse(String field, String value, SpecChecks checks) {
    if (value == null) {
      return null;
    }
    if (!DURATION.matcher(value).matches()) {
      checks.add(field, "must be a duration such as 720h, 30m or 1h30m, got '" + value + "'");
      return null;
    }
    try {
      return Duration.parse(value).getDuration();
    } catch (ParseException e) {
      checks.add(field, "must be a duration such as 720h, 30m or 1h30m, got '" + value + "'");
      return null;
    }
  }
}
