package io.logto.operator.reconciler.app;

import io.logto.operator.crd.app.CredentialsStatus;
import io.logto.operator.crd.app.CredentialsStatus.QueuedRotation;
import io.logto.operator.crd.app.LogtoM2MApp;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * When an app's secret is replaced and when the one it replaced retires, from the clock, the
 * policy, the annotations and what status recorded; no Logto call, so that an unchanged app can
 * skip Logto until something falls due.
 *
 * <p>The promise it keeps: a secret handed out in the Secret stays valid in Logto for a whole
 * grace period after it was replaced (unless revoked), and a new rotation never starts while the
 * previous secret is in its grace period (an app carries at most two secrets of ours). Hence:
 * the current secret is replaced by its expiry no later than one grace period (plus
 * {@link #EXPIRY_MARGIN}) before it expires; the operator's own secrets expire
 * {@link #EXPIRY_SLACK} after their scheduled rotation and grace period, so that their expiry
 * never comes before their schedule; and the previous secret leaves the Secret before it expires.
 */
final class RotationSchedule {

  static final String ROTATE_ANNOTATION = "m2m.logto.io/rotate";
  static final String REVOKE_PREVIOUS_ANNOTATION = "m2m.logto.io/revoke-previous";
  /**
   * A secret counts as expired this long before Logto's expiresAt: for the skew between the
   * operator's clock and Logto's, and the time a reconcile takes to come round.
   */
  static final Duration EXPIRY_MARGIN = Duration.ofMinutes(5);
  /**
   * How long an operator-made secret outlives its scheduled rotation and grace period in Logto: an
   * operator that is down when a rotation falls due costs no workload its credentials for this
   * long, and a secret it forgot (uninstalled, say) still dies.
   */
  static final Duration EXPIRY_SLACK = Duration.ofHours(1);
  /** How soon to look again when something is due now but had to wait (Logto refused, say). */
  static final Duration SOON = Duration.ofSeconds(1);

  private final LogtoM2MApp app;
  private final CredentialsStatus state;
  private final RotationPolicy policy;
  private final Instant now;

  private RotationSchedule(LogtoM2MApp app, CredentialsStatus state, RotationPolicy policy,
      Instant now) {
    this.app = app;
    this.state = state;
    this.policy = policy;
    this.now = now;
  }

  static RotationSchedule of(LogtoM2MApp app, CredentialsStatus state, RotationPolicy policy,
      Instant now) {
    return new RotationSchedule(app, state == null ? new CredentialsStatus() : state, policy, now);
  }

  Instant now() {
    return now;
  }

  // What is due now

  /**
   * Why the current secret must be replaced now, as far as the clock and the annotations tell:
   * it (nearly) expired, a request or the schedule is due and no previous secret is in its grace
   * period, or a rotation is under way.
   */
  Optional<String> rotationDue() {
    if (state.getCurrent() == null || state.getPending() != null) {
      return Optional.of("a rotation is under way");
    }
    Optional<Instant> expiresAt = instant(state.getCurrent().getExpiresAt());
    if (expiresAt.isPresent() && !now.isBefore(expiresAt.get().minus(EXPIRY_MARGIN))) {
      // Nothing to wait for: the secret workloads hold is dying.
      return Optional.of("secret " + state.getCurrent().getName() + " expires at "
          + expiresAt.get());
    }
    if (state.getPrevious() != null) {
      return Optional.empty();
    }
    Optional<String> request = newRequest();
    if (request.isPresent()) {
      return Optional.of("requested by " + ROTATE_ANNOTATION + "=" + request.get());
    }
    Optional<Instant> scheduled = scheduled();
    Optional<Instant> deadline = expiryDeadline();
    if (deadline.isPresent() && !now.isBefore(deadline.get())
        && (scheduled.isEmpty() || deadline.get().isBefore(scheduled.get()))) {
      return Optional.of("secret " + state.getCurrent().getName() + " expires at "
          + expiresAt.orElseThrow() + ", less than a grace period away");
    }
    if (scheduled.isPresent() && !now.isBefore(scheduled.get())) {
      return Optional.of("scheduled rotation due at " + scheduled.get());
    }
    return Optional.empty();
  }

  /** Whether the previous secret is to be retired now: its time has come, or it is revoked. */
  boolean retirementDue() {
    return state.getPrevious() != null
        && (revokesAtOnce() || !now.isBefore(Instant.parse(state.getPrevious().getRetireAt())));
  }

  /** Whether a previous secret is deleted as soon as its successor works. */
  boolean revokesAtOnce() {
    return policy.grace().isZero()
        || "true".equalsIgnoreCase(annotation(app, REVOKE_PREVIOUS_ANNOTATION));
  }

  /** Why the previous secret is retired, for the log and the Event. */
  String retirementCause() {
    if (policy.grace().isZero()) {
      return "grace period 0s";
    }
    return "true".equalsIgnoreCase(annotation(app, REVOKE_PREVIOUS_ANNOTATION))
        ? "revoked by " + REVOKE_PREVIOUS_ANNOTATION : "grace period over";
  }

  /** Whether anything is due that only a full sync with Logto does, or status is out of date. */
  boolean needsSync() {
    return rotationDue().isPresent() || retirementDue()
        || !Objects.equals(state.getNextRotation(), nextRotation().map(Instant::toString)
            .orElse(null))
        || !sameQueue(state.getQueued(), queued().orElse(null));
  }

  // What status says of the future

  /**
   * When the next rotation starts if nothing else happens: the schedule, the expiry, or a request
   * that is waiting, never before the previous secret retires.
   */
  Optional<Instant> nextRotation() {
    if (state.getCurrent() == null) {
      return Optional.empty();
    }
    Optional<Instant> next = Stream.of(scheduled(), expiryDeadline(),
            newRequest().map(r -> now))
        .flatMap(Optional::stream)
        .min(Comparator.naturalOrder());
    Optional<Instant> retires = previousRetires();
    if (next.isPresent() && retires.isPresent() && next.get().isBefore(retires.get())) {
      return retires;
    }
    return next;
  }

  /** A rotate request that waits for the previous secret to retire, and when it runs. */
  Optional<QueuedRotation> queued() {
    if (state.getCurrent() == null || retirementDue()) {
      return Optional.empty();
    }
    return previousRetires().flatMap(at -> newRequest().map(request ->
        new QueuedRotation(request, at.toString())));
  }

  /** When the previous secret leaves: now if its retirement is due, else at its retireAt. */
  private Optional<Instant> previousRetires() {
    if (state.getPrevious() == null) {
      return Optional.empty();
    }
    return Optional.of(retirementDue() ? now : Instant.parse(state.getPrevious().getRetireAt()));
  }

  /** When to look at the app again by the clock alone, if ever. */
  Optional<Duration> nextCheck() {
    if (state.getCurrent() == null) {
      return Optional.empty();
    }
    if (rotationDue().isPresent() || retirementDue()) {
      return Optional.of(SOON);
    }
    return Stream.of(
            nextRotation(),
            Optional.ofNullable(state.getPrevious()).map(p -> Instant.parse(p.getRetireAt())),
            instant(state.getCurrent().getExpiresAt()).map(e -> e.minus(EXPIRY_MARGIN)))
        .flatMap(Optional::stream)
        .min(Comparator.naturalOrder())
        .map(at -> Duration.between(now, at))
        .map(d -> d.isNegative() ? SOON : d.plus(SOON));
  }

  // For a rotation that completes now

  /**
   * When the secret being replaced retires: a grace period from now, but before it expires.
   *
   * @param expiresAt its expiry in Logto, null for none
   */
  Instant retireAt(Instant expiresAt) {
    Instant graceOver = now.plus(policy.grace());
    if (expiresAt == null) {
      return graceOver;
    }
    Instant beforeExpiry = expiresAt.minus(EXPIRY_MARGIN);
    return beforeExpiry.isBefore(graceOver) ? beforeExpiry : graceOver;
  }

  /** The expiry of an operator-made secret created now; empty without a period. */
  Optional<Instant> newSecretExpiry() {
    return policy.period().map(p -> now.plus(p).plus(policy.grace()).plus(EXPIRY_SLACK));
  }

  /** Whether a secret expiring at this time is too close to its end to be handed out or kept. */
  boolean expiring(Instant expiresAt) {
    return expiresAt != null && !now.isBefore(expiresAt.minus(EXPIRY_MARGIN));
  }

  // Helpers

  /** The value of the rotate annotation if it asks for a rotation not yet made. */
  private Optional<String> newRequest() {
    String request = annotation(app, ROTATE_ANNOTATION);
    return request == null || request.equals(state.getRotateRequest())
        ? Optional.empty() : Optional.of(request);
  }

  /** One period after the last rotation (or the current secret's creation). */
  private Optional<Instant> scheduled() {
    if (policy.period().isEmpty() || state.getCurrent() == null) {
      return Optional.empty();
    }
    Instant since = instant(state.getLastRotation())
        .or(() -> instant(state.getCurrent().getCreatedAt()))
        .orElse(Instant.EPOCH);
    return Optional.of(since.plus(policy.period().get()));
  }

  /** The last moment to replace the current secret so that it can serve a full grace period. */
  private Optional<Instant> expiryDeadline() {
    return instant(state.getCurrent().getExpiresAt())
        .map(e -> e.minus(policy.grace()).minus(EXPIRY_MARGIN));
  }

  private static boolean sameQueue(QueuedRotation a, QueuedRotation b) {
    return a == null ? b == null : b != null && Objects.equals(a.getRequest(), b.getRequest())
        && Objects.equals(a.getRunsAt(), b.getRunsAt());
  }

  private static Optional<Instant> instant(String text) {
    return Optional.ofNullable(text).map(Instant::parse);
  }

  static String annotation(LogtoM2MApp app, String name) {
    Map<String, String> annotations = app.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(name);
  }
}
