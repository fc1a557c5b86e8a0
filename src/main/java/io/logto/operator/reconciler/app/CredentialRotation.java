package io.logto.operator.reconciler.app;

import io.logto.operator.crd.app.CredentialsStatus;
import io.logto.operator.crd.app.CredentialsStatus.CurrentCredential;
import io.logto.operator.crd.app.CredentialsStatus.PendingCredential;
import io.logto.operator.crd.app.CredentialsStatus.PreviousCredential;
import io.logto.operator.crd.app.CredentialsStatus.QueuedRotation;
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
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's secret over time: which one the Secret holds, when it is replaced, and when
 * the one it replaced is retired ({@link RotationSchedule} says when). A rotation goes: record the
 * new secret's name in status, create it in Logto, write it into the Secret beside the previous
 * one, verify it obtains a token, and only when the grace period is over remove the previous one
 * from the Secret and then from Logto. Every step is recorded before the next, so a crash between
 * any two leaves the Secret with secrets Logto accepts, at most two operator-made secrets on the
 * app, and no secret deleted that the Secret still holds.
 */
final class CredentialRotation {

  static final String ROTATE_ANNOTATION = RotationSchedule.ROTATE_ANNOTATION;
  static final String REVOKE_PREVIOUS_ANNOTATION = RotationSchedule.REVOKE_PREVIOUS_ANNOTATION;

  private static final Logger LOG = LoggerFactory.getLogger(CredentialRotation.class);

  private final OperatorServices services;
  private final WorkloadRestarter restarter;

  CredentialRotation(OperatorServices services, WorkloadRestarter restarter) {
    this.services = services;
    this.restarter = restarter;
  }

  /** Where the credentials go and how they are proven: the app's Secret, and a token. */
  interface CredentialsSink {
    /** Writes the Secret with these credentials (if it differs). */
    void write(CredentialsSecrets.Credentials credentials);

    /** Obtains tokens with the credentials just written, and reports the verdict. */
    CredentialsVerifier.Verdict verify(CredentialsSecrets.Credentials credentials);
  }

  /**
   * What the Secret must hold after the rotation steps taken before writing it.
   *
   * @param inLogto the app's secrets in Logto, as last read or changed
   * @param rotated whether the current secret changed in this reconcile
   */
  record Plan(CredentialsSecrets.Credentials credentials, List<ApplicationSecret> inLogto,
      boolean rotated) {}

  /**
   * One pass over the app's secrets: finish or start a rotation, write the Secret, prove it, and
   * retire what is due.
   */
  CredentialsVerifier.Verdict run(SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session,
      RotationPolicy policy, CredentialsSink sink) {
    Plan plan = prepare(session, policy);
    sink.write(plan.credentials());
    if (plan.rotated()) {
      // Checkpoint: the new secret is in the Secret; status says so before anything is retired.
      session.persist();
    }
    CredentialsVerifier.Verdict verdict = sink.verify(plan.credentials());
    finish(session, policy, plan, verdict.credentialsAccepted(), sink);
    return verdict;
  }

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
    RotationSchedule schedule = schedule(session, policy);
    List<ApplicationSecret> secrets = new ArrayList<>(session.logto().listApplicationSecrets(appId));
    if (state.getCurrent() == null && state.getPending() == null) {
      adoptUsable(session, state, secrets, schedule, firstSight);
    }
    if (state.getPrevious() != null && find(secrets, state.getPrevious().getName()).isEmpty()) {
      // Deleted by hand, or by us before a crash: nothing to keep valid any more.
      state.setPrevious(null);
    }
    if (state.getPending() == null) {
      rotationNeeded(state, secrets, schedule)
          .ifPresent(why -> begin(session, state, why, secrets, schedule));
    }
    boolean rotated = state.getPending() != null;
    if (rotated) {
      complete(session, state, secrets, schedule);
    }
    describeFuture(session, policy);
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
      CredentialsStatus state, List<ApplicationSecret> secrets, RotationSchedule schedule,
      boolean firstSight) {
    Optional<ApplicationSecret> usable = secrets.stream()
        .filter(s -> usable(s, schedule))
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

  /** Why the current secret must be replaced now, if it must: what Logto holds, then the clock. */
  private static Optional<String> rotationNeeded(CredentialsStatus state,
      List<ApplicationSecret> secrets, RotationSchedule schedule) {
    if (state.getCurrent() == null) {
      return Optional.of("the application has no usable secret");
    }
    String name = state.getCurrent().getName();
    Optional<ApplicationSecret> current = find(secrets, name);
    if (current.isEmpty()) {
      return Optional.of("secret " + name + " no longer exists in Logto");
    }
    Instant expiresAt = expiry(current.get());
    if (schedule.expiring(expiresAt)) {
      return Optional.of("secret " + name + " expires at " + expiresAt);
    }
    return schedule.rotationDue();
  }

  /**
   * nextRotation and a waiting request, as the schedule now says; a request that starts to wait
   * is told in an Event once.
   */
  private void describeFuture(SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session,
      RotationPolicy policy) {
    CredentialsStatus state = session.status().getCredentials();
    RotationSchedule schedule = schedule(session, policy);
    state.setNextRotation(schedule.nextRotation().map(Instant::toString).orElse(null));
    QueuedRotation queued = schedule.queued().orElse(null);
    QueuedRotation before = state.getQueued();
    state.setQueued(queued);
    if (queued != null && (before == null || !queued.getRequest().equals(before.getRequest()))) {
      LOG.info("{}: rotation requested by {}={} waits until {}", describe(session),
          ROTATE_ANNOTATION, queued.getRequest(), queued.getRunsAt());
      services.events().normal(session.resource(), "RotationQueued", "Rotation requested by "
          + ROTATE_ANNOTATION + "=" + queued.getRequest() + " waits for previous secret "
          + state.getPrevious().getName() + " to retire; it runs at " + queued.getRunsAt());
    }
  }

  private void begin(SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session,
      CredentialsStatus state, String reason, List<ApplicationSecret> secrets,
      RotationSchedule schedule) {
    String name = AppSecretNames.next(schedule.now(),
        secrets.stream().map(ApplicationSecret::name).toList());
    state.setPending(new PendingCredential(name, schedule.newSecretExpiry()
        .map(Instant::toString).orElse(null), reason));
    // The intent goes to the API server before the secret is created in Logto.
    session.persist();
  }

  /** Creates the pending secret (or adopts it if a crash came after its creation) and promotes it. */
  private void complete(SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session,
      CredentialsStatus state, List<ApplicationSecret> secrets, RotationSchedule schedule) {
    PendingCredential pending = state.getPending();
    String appId = session.status().getAppId();
    Instant now = schedule.now();
    ApplicationSecret created = find(secrets, pending.getName()).orElse(null);
    if (created == null) {
      Instant expiresAt = pending.getExpiresAt() == null ? null
          : Instant.parse(pending.getExpiresAt());
      if (schedule.expiring(expiresAt)) {
        // Recorded long ago (the operator was down): Logto refuses an expiry in the past.
        expiresAt = schedule.newSecretExpiry().orElse(null);
      }
      created = create(session.logto(), appId, pending.getName(), expiresAt);
      secrets.add(created);
    }
    CurrentCredential before = state.getCurrent();
    Optional<ApplicationSecret> replaced = before == null || before.getName().equals(created.name())
        ? Optional.empty()
        : find(secrets, before.getName()).filter(s -> usable(s, schedule));
    // A previous secret still in its grace period is kept only when the current one died.
    if (replaced.isPresent() && state.getPrevious() == null) {
      state.setPrevious(new PreviousCredential(before.getName(),
          schedule.retireAt(expiry(replaced.get())).toString()));
    }
    state.setCurrent(current(created));
    state.setPending(null);
    state.setLastRotation(now.toString());
    state.setRotateRequest(annotation(session.resource(), ROTATE_ANNOTATION));
    String previous;
    if (state.getPrevious() == null) {
      previous = "no previous secret stays valid";
    } else if (schedule.revokesAtOnce()) {
      previous = "previous secret " + state.getPrevious().getName() + " is deleted as soon as"
          + " the new one obtains a token (" + schedule.retirementCause() + ")";
    } else {
      previous = "previous secret " + state.getPrevious().getName() + " stays valid until "
          + state.getPrevious().getRetireAt();
    }
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
   * @param currentWorks whether Logto accepted the current secret (whatever scopes it granted)
   */
  void finish(SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session, RotationPolicy policy,
      Plan plan, boolean currentWorks, CredentialsSink sink) {
    CredentialsStatus state = session.status().getCredentials();
    RotationSchedule schedule = schedule(session, policy);
    String appId = session.status().getAppId();
    CredentialsSecrets.Credentials written = plan.credentials();
    Set<String> held = new HashSet<>();
    Stream.of(written.appSecret(), written.previousSecret()).filter(Objects::nonNull)
        .forEach(held::add);
    if (currentWorks && schedule.retirementDue()) {
      PreviousCredential previous = state.getPrevious();
      // Out of the Secret first: a crash after this leaves a valid secret nobody holds, which
      // the next reconcile deletes; the other order would leave the Secret holding a dead one.
      sink.write(written.withoutPrevious());
      held.remove(written.previousSecret());
      // The previous secret is the credential the operator handed out (Logto's Default secret of
      // an app it created, at first): retiring it is deleting it, whoever named it.
      deleteUnlessHeld(session.logto(), appId, previous.getName(), plan.inLogto(), held);
      state.setPrevious(null);
      String why = schedule.retirementCause();
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
    describeFuture(session, policy);
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

  /** Whether a full sync is due by the clock or the annotations alone. */
  static boolean needsSync(LogtoM2MApp app, CredentialsStatus state, RotationPolicy policy,
      Instant now) {
    return state == null || RotationSchedule.of(app, state, policy, now).needsSync();
  }

  /** When to look at the app again by the clock alone, if ever. */
  static Optional<Duration> nextCheck(LogtoM2MApp app, CredentialsStatus state,
      RotationPolicy policy, Instant now) {
    return state == null ? Optional.empty()
        : RotationSchedule.of(app, state, policy, now).nextCheck();
  }

  // Helpers

  private RotationSchedule schedule(SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session,
      RotationPolicy policy) {
    return RotationSchedule.of(session.resource(), session.status().getCredentials(), policy,
        services.clock().instant());
  }

  private static boolean usable(ApplicationSecret secret, RotationSchedule schedule) {
    return secret.value() != null && !secret.value().isEmpty()
        && !schedule.expiring(expiry(secret));
  }

  /** A secret's expiry in Logto; null for none (Logto writes none as null or 0). */
  private static Instant expiry(ApplicationSecret secret) {
    return secret.expiresAt() == null || secret.expiresAt() == 0 ? null
        : Instant.ofEpochMilli(secret.expiresAt());
  }

  static Optional<ApplicationSecret> find(List<ApplicationSecret> secrets, String name) {
    return secrets.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  private static CurrentCredential current(ApplicationSecret secret) {
    return new CurrentCredential(secret.name(), instant(secret.createdAt()),
        Optional.ofNullable(expiry(secret)).map(Instant::toString).orElse(null));
  }

  private static String instant(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis).toString();
  }

  static String annotation(LogtoM2MApp app, String name) {
    return RotationSchedule.annotation(app, name);
  }

  private static String describe(SyncSession<LogtoM2MApp, LogtoM2MAppStatus> session) {
    return M2MAppReconciler.KIND + " " + session.namespace() + "/" + session.name();
  }
}
