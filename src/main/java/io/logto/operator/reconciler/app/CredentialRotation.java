package io.logto.operator.reconciler.app;

import io.logto.operator.crd.app.CredentialsStatus;
import io.logto.operator.crd.app.CredentialsStatus.CurrentCredential;
import io.logto.operator.crd.app.CredentialsStatus.PendingCredential;
import io.logto.operator.crd.app.CredentialsStatus.PreviousCredential;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.app.LogtoM2MAppStatus;
import io.logto.operator.logto.LogtoApi;
import io.logto.operator.logto.LogtoException;
import io.logto.operator.logto.model.ApplicationSecret;
import io.logto.operator.reconciler.common.NotFound;
import io.logto.operator.reconciler.common.OperatorServices;
import io.logto.operator.reconciler.common.SyncSession;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's secret over time: which one the Secret holds, when it is replaced, and when
 * the one it replaced is retired. A rotation goes: record the new secret's name in status, create
 * it in Logto, write it into the Secret beside the previous one, verify it obtains a token, and
 * only when the grace period is over remove the previous one from the Secret and then from Logto.
 * Every step is recorded before the next, so a crash between any two leaves the Secret with
 * secrets Logto accepts, at most two operator-made secrets on the app, and no secret deleted that
 * the Secret still holds.
 */
final class CredentialRotation {

  static final String ROTATE_ANNOTATION = "m2m.logto.io/rotate";
  static final String REVOKE_PREVIOUS_ANNOTATION = "m2m.logto.io/revoke-previous";
  /** A secret expiring within this margin is replaced now rather than handed out. */
  static final Duration EXPIRY_MARGIN = Duration.ofMinutes(5);
  /** How soon to look again when something is due but had to wait (Logto refused, say). */
  private static final Duration SOON = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(CredentialRotation.class);

  private final OperatorServices services;
  private final WorkloadRestarter restarter;

  CredentialRotation(OperatorServices services, WorkloadRestarter restarter) {
    this.services = services;
    this.restarter = restarter;
  }

  /**
   * What the Secret must hold after the rotation steps taken before writing it.
   *
   * @param inLogto the app's secrets in Logto, as last read or changed
   * @param rotated whether the current secret changed in this reconcile
   */
  record Plan(CredentialsSecrets.Credentials credentials, List<ApplicationSecret> inLogto,
      boolean rotated) {}

  // Before the Secret is written

  /**
   * Reads the app's secrets, finishes a rotation a crash interrupted, and starts one that is due
   * (recording its intent in status first).
   */
  Plan prepare(SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session, RotationPolicy policy) {
    LogtoM2MAppStatus status = session.status();
    String appId = status.getAppId();
    boolean firstSight = status.getCredentials() == null;
    if (firstSight) {
      status.setCredentials(new CredentialsStatus());
    }
    CredentialsStatus state = status.getCredentials();
    Instant now = services.clock().instant();
    List<ApplicationSecret> secrets = new ArrayList<>(session.logto().listApplicationSecrets(appId));
    if (state.getCurrent() == null && state.getPending() == null) {
      adoptUsable(session, state, secrets, now, firstSight);
    }
    if (state.getPrevious() != null && find(secrets, state.getPrevious().getName()).isEmpty()) {
      // Deleted by hand, or by us before a crash: nothing to keep valid any more.
      state.setPrevious(null);
    }
    schedule(state, policy);
    if (state.getPending() == null) {
      rotationNeeded(session.resource(), state, secrets, now)
          .ifPresent(why -> begin(session, state, policy, why, secrets, now));
    }
    boolean rotated = state.getPending() != null;
    if (rotated) {
      complete(session, state, policy, secrets, now);
    }
    String current = find(secrets, state.getCurrent().getName()).map(ApplicationSecret::value)
        .orElseThrow(() -> new IllegalStateException("current secret not in Logto"));
    String previous = state.getPrevious() == null ? null
        : find(secrets, state.getPrevious().getName()).map(ApplicationSecret::value).orElse(null);
    return new Plan(new CredentialsSecrets.Credentials(appId, current, previous), secrets,
        rotated);
  }

  /**
   * The credentials status of an application created again after it was deleted in Logto: empty,
   * so that its secrets are adopted, but not at first sight, so that the workloads, which hold
   * the deleted application's, are rolled out.
   */
  static CredentialsStatus afterRecreation() {
    return new CredentialsStatus();
  }

  /**
   * No secret of the app known yet: use the best one Logto has, if any is usable.
   *
   * @param firstSight whether the app is new to the operator's status (rather than recreated):
   *     its workloads read these credentials when they start, nothing to roll out
   */
  private void adoptUsable(SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session,
      CredentialsStatus state, List<ApplicationSecret> secrets, Instant now,
      boolean firstSight) {
    Optional<ApplicationSecret> usable = secrets.stream()
        .filter(s -> usable(s, now))
        .min(Comparator.comparing((ApplicationSecret s) -> AppSecretNames.rank(s.name()))
            .thenComparing(s -> s.createdAt() == null ? 0L : s.createdAt()));
    if (usable.isEmpty()) {
      return;
    }
    ApplicationSecret secret = usable.get();
    state.setCurrent(current(secret));
    // The annotation's value at adoption is not a request: there was nothing to rotate yet.
    state.setRotateRequest(annotation(session.resource(), ROTATE_ANNOTATION));
    if (firstSight) {
      state.setRestartedFor(secret.name());
    }
  }

  /**
   * nextRotation follows from the policy and the last rotation (or the secret's creation, for a
   * secret the operator did not rotate): a changed period applies at once, and a secret older
   * than the period is replaced now.
   */
  static void schedule(CredentialsStatus state, RotationPolicy policy) {
    if (policy.period().isEmpty() || state.getCurrent() == null) {
      state.setNextRotation(null);
      return;
    }
    Instant since = Optional.ofNullable(state.getLastRotation())
        .or(() -> Optional.ofNullable(state.getCurrent().getCreatedAt()))
        .map(Instant::parse).orElse(Instant.EPOCH);
    state.setNextRotation(since.plus(policy.period().get()).toString());
  }

  /** Why the current secret must be replaced now, if it must. */
  static Optional<String> rotationNeeded(LogtoM2MApp app, CredentialsStatus state,
      List<ApplicationSecret> secrets, Instant now) {
    if (state.getCurrent() == null) {
      return Optional.of("the application has no usable secret");
    }
    String name = state.getCurrent().getName();
    Optional<ApplicationSecret> current = find(secrets, name);
    if (current.isEmpty()) {
      return Optional.of("secret " + name + " no longer exists in Logto");
    }
    if (expiresSoon(current.get().expiresAt(), now)) {
      return Optional.of("secret " + name + " expires at " + instant(current.get().expiresAt()));
    }
    return dueWithoutLogto(app, state, now);
  }

  /**
   * What is due by the clock and the annotations alone: lets an unchanged app skip Logto until
   * then, and lets the periodic resync catch a rotation whose timer was lost. A requested or
   * scheduled rotation is not due while the previous secret is in its grace period (an app
   * carries at most two secrets of ours): its retirement comes first, at a time of its own.
   */
  static Optional<String> dueWithoutLogto(LogtoM2MApp app, CredentialsStatus state, Instant now) {
    if (state == null || state.getCurrent() == null || state.getPending() != null) {
      return Optional.of("a rotation is under way");
    }
    String expiresAt = state.getCurrent().getExpiresAt();
    if (expiresAt != null && expiresSoon(Instant.parse(expiresAt).toEpochMilli(), now)) {
      return Optional.of("secret " + state.getCurrent().getName() + " expires at " + expiresAt);
    }
    if (state.getPrevious() != null) {
      return Optional.empty();
    }
    String request = annotation(app, ROTATE_ANNOTATION);
    if (request != null && !request.equals(state.getRotateRequest())) {
      return Optional.of("requested by " + ROTATE_ANNOTATION + "=" + request);
    }
    if (state.getNextRotation() != null && !now.isBefore(Instant.parse(state.getNextRotation()))) {
      return Optional.of("scheduled rotation due at " + state.getNextRotation());
    }
    return Optional.empty();
  }

  /** Whether the previous secret is due to be retired now, by the clock or a request. */
  static boolean retirementDue(LogtoM2MApp app, CredentialsStatus state, RotationPolicy policy,
      Instant now) {
    return state != null && state.getPrevious() != null
        && (policy.grace().isZero()
            || "true".equalsIgnoreCase(annotation(app, REVOKE_PREVIOUS_ANNOTATION))
            || !now.isBefore(Instant.parse(state.getPrevious().getRetireAt())));
  }

  private void begin(SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session,
      CredentialsStatus state, RotationPolicy policy, String reason,
      List<ApplicationSecret> secrets, Instant now) {
    String name = AppSecretNames.next(now, secrets.stream().map(ApplicationSecret::name).toList());
    state.setPending(new PendingCredential(name, expiry(policy, now).map(Instant::toString)
        .orElse(null), reason));
    // The intent goes to the API server before the secret is created in Logto.
    session.persist();
  }

  /** Creates the pending secret (or adopts it if a crash came after its creation) and promotes it. */
  private void complete(SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session,
      CredentialsStatus state, RotationPolicy policy, List<ApplicationSecret> secrets,
      Instant now) {
    PendingCredential pending = state.getPending();
    String appId = session.status().getAppId();
    ApplicationSecret created = find(secrets, pending.getName()).orElse(null);
    if (created == null) {
      Instant expiresAt = pending.getExpiresAt() == null ? null
          : Instant.parse(pending.getExpiresAt());
      if (expiresAt != null && expiresSoon(expiresAt.toEpochMilli(), now)) {
        // Recorded long ago (the operator was down): Logto refuses an expiry in the past.
        expiresAt = expiry(policy, now).orElse(null);
      }
      created = create(session.logto(), appId, pending.getName(), expiresAt);
      secrets.add(created);
    }
    CurrentCredential before = state.getCurrent();
    if (before != null && !before.getName().equals(created.name())
        && find(secrets, before.getName()).filter(s -> usable(s, now)).isPresent()) {
      // During a wait the previous may still be alive only if the current had died: keep it.
      if (state.getPrevious() == null) {
        state.setPrevious(new PreviousCredential(before.getName(),
            now.plus(policy.grace()).toString()));
      }
    }
    state.setCurrent(current(created));
    state.setPending(null);
    state.setLastRotation(now.toString());
    state.setNextRotation(policy.period().map(p -> now.plus(p).toString()).orElse(null));
    state.setRotateRequest(annotation(session.resource(), ROTATE_ANNOTATION));
    String previous = state.getPrevious() == null ? "no previous secret stays valid"
        : "previous secret " + state.getPrevious().getName() + " stays valid until "
            + state.getPrevious().getRetireAt();
    LOG.info("{}: rotated to secret {} ({}); {}", describe(session), created.name(),
        pending.getReason(), previous);
    services.events().normal(session.resource(), "CredentialsRotated", "Created secret "
        + created.name() + " of application " + appId + " in Logto (" + pending.getReason()
        + "); " + previous);
  }

  private static ApplicationSecret create(LogtoApi logto, String appId, String name,
      Instant expiresAt) {
    try {
      return logto.createApplicationSecret(appId, name, expiresAt);
    } catch (LogtoException e) {
      if (!"application.secret_name_exists".equals(e.code())) {
        throw e;
      }
      // Created by an attempt whose answer was lost: read it back rather than make another.
      return logto.listApplicationSecrets(appId).stream()
          .filter(s -> name.equals(s.name())).findFirst().orElseThrow(() -> e);
    }
  }

  // After the Secret is written

  /**
   * Retires the previous secret when due and the current one is proven to work, removes the
   * app's other secrets that are ours (or all, with removeOthers), and rolls out the workloads.
   *
   * @param plan what {@link #prepare} returned, its credentials now in the Secret: their values
   *     are never deleted from Logto while the Secret holds them
   * @param rewrite writes the Secret again with other credentials
   */
  void finish(SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session, RotationPolicy policy,
      Plan plan, boolean currentWorks, Consumer<CredentialsSecrets.Credentials> rewrite) {
    CredentialsStatus state = session.status().getCredentials();
    Instant now = services.clock().instant();
    String appId = session.status().getAppId();
    CredentialsSecrets.Credentials written = plan.credentials();
    Set<String> held = new HashSet<>();
    Stream.of(written.appSecret(), written.previousSecret()).filter(Objects::nonNull)
        .forEach(held::add);
    if (currentWorks && retirementDue(session.resource(), state, policy, now)) {
      PreviousCredential previous = state.getPrevious();
      // Out of the Secret first: a crash after this leaves a valid secret nobody holds, which
      // the next reconcile deletes; the other order would leave the Secret holding a dead one.
      rewrite.accept(written.withoutPrevious());
      held.remove(written.previousSecret());
      // The previous secret is the credential the operator handed out (Logto's Default secret of
      // an app it created, at first): retiring it is deleting it, whoever named it.
      deleteUnlessHeld(session.logto(), appId, previous.getName(), plan.inLogto(), held);
      state.setPrevious(null);
      String why = policy.grace().isZero() ? "grace period 0s"
          : "true".equalsIgnoreCase(annotation(session.resource(), REVOKE_PREVIOUS_ANNOTATION))
              ? "revoked by " + REVOKE_PREVIOUS_ANNOTATION : "grace period over";
      LOG.info("{}: retired previous secret {} ({})", describe(session), previous.getName(), why);
      services.events().normal(session.resource(), "CredentialsRotated", "Removed previous"
          + " secret " + previous.getName() + " from the Secret and deleted it from Logto ("
          + why + ")");
    }
    if (currentWorks) {
      removeStrays(session, state, policy, plan.inLogto(), held);
    }
    if (!Objects.equals(state.getRestartedFor(), state.getCurrent().getName())
        && restarter.restart(session, policy.restart(), appId, state.getCurrent().getName())) {
      state.setRestartedFor(state.getCurrent().getName());
    }
  }

  /** Secrets neither current nor previous: ours are deleted, others only with removeOthers. */
  private void removeStrays(SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session,
      CredentialsStatus state, RotationPolicy policy, List<ApplicationSecret> secrets,
      Set<String> held) {
    Set<String> kept = new HashSet<>();
    kept.add(state.getCurrent().getName());
    if (state.getPrevious() != null) {
      kept.add(state.getPrevious().getName());
    }
    String appId = session.status().getAppId();
    for (ApplicationSecret secret : List.copyOf(secrets)) {
      if (kept.contains(secret.name())
          || !(AppSecretNames.isOperatorMade(secret.name()) || policy.removeOthers())) {
        continue;
      }
      if (deleteUnlessHeld(session.logto(), appId, secret.name(), secrets, held)) {
        LOG.info("{}: deleted secret {} of application {}", describe(session), secret.name(),
            appId);
        services.events().normal(session.resource(), "CredentialsRotated", "Deleted secret "
            + secret.name() + " of application " + appId + " from Logto ("
            + (AppSecretNames.isOperatorMade(secret.name()) ? "an earlier operator secret"
                : "removeOthers") + ")");
      }
    }
  }

  /** Deletes a secret from Logto, unless the Secret holds its value. */
  private static boolean deleteUnlessHeld(LogtoApi logto, String appId, String name,
      List<ApplicationSecret> secrets, Set<String> held) {
    Optional<ApplicationSecret> secret = find(secrets, name);
    if (secret.isEmpty() || held.contains(secret.get().value())) {
      return false;
    }
    NotFound.ignore(() -> logto.deleteApplicationSecret(appId, name));
    secrets.remove(secret.get());
    return true;
  }

  /**
   * The credentials status names, read from Logto (for a Secret deleted or edited while nothing
   * else changed); empty when status names none or Logto no longer has the current one.
   */
  static Optional<CredentialsSecrets.Credentials> recorded(LogtoApi logto, String appId,
      CredentialsStatus state) {
    if (state == null || state.getCurrent() == null) {
      return Optional.empty();
    }
    List<ApplicationSecret> secrets = logto.listApplicationSecrets(appId);
    Optional<ApplicationSecret> current = find(secrets, state.getCurrent().getName());
    String previous = state.getPrevious() == null ? null
        : find(secrets, state.getPrevious().getName()).map(ApplicationSecret::value).orElse(null);
    return current.map(c -> new CredentialsSecrets.Credentials(appId, c.value(), previous));
  }

  // Scheduling

  /** When to look at the app again by the clock alone, if ever. */
  static Optional<Duration> nextCheck(LogtoM2MApp app, CredentialsStatus state,
      RotationPolicy policy, Instant now) {
    if (state == null || state.getCurrent() == null) {
      return Optional.empty();
    }
    if (dueWithoutLogto(app, state, now).isPresent() || retirementDue(app, state, policy, now)) {
      return Optional.of(SOON);
    }
    return Stream.of(
            state.getNextRotation(),
            state.getPrevious() == null ? null : state.getPrevious().getRetireAt(),
            state.getCurrent().getExpiresAt() == null ? null
                : Instant.parse(state.getCurrent().getExpiresAt()).minus(EXPIRY_MARGIN)
                    .toString())
        .filter(Objects::nonNull)
        .map(Instant::parse)
        .min(Comparator.naturalOrder())
        .map(at -> Duration.between(now, at))
        .map(d -> d.isNegative() ? SOON : d.plusSeconds(1));
  }

  // Helpers

  private static Optional<Instant> expiry(RotationPolicy policy, Instant now) {
    // A forgotten secret still dies: valid until the next rotation plus its own grace period.
    return policy.period().map(p -> now.plus(p).plus(policy.grace()));
  }

  private static boolean usable(ApplicationSecret secret, Instant now) {
    return secret.value() != null && !secret.value().isEmpty()
        && !expiresSoon(secret.expiresAt(), now);
  }

  private static boolean expiresSoon(Long expiresAtMillis, Instant now) {
    return expiresAtMillis != null && expiresAtMillis != 0
        && expiresAtMillis <= now.plus(EXPIRY_MARGIN).toEpochMilli();
  }

  static Optional<ApplicationSecret> find(List<ApplicationSecret> secrets, String name) {
    return secrets.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  private static CurrentCredential current(ApplicationSecret secret) {
    return new CurrentCredential(secret.name(), instant(secret.createdAt()),
        secret.expiresAt() == null || secret.expiresAt() == 0 ? null
            : instant(secret.expiresAt()));
  }

  private static String instant(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis).toString();
  }

  static String annotation(LogtoM2MApp app, String name) {
    Map<String, String> annotations = app.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(name);
  }

  private static String describe(SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session) {
    return M2MAppReconciler.KIND + " " + session.namespace() + "/" + session.name();
  }
}
