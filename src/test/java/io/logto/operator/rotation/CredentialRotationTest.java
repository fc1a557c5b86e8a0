package io.logto.operator.rotation;

import static io.logto.operator.rotation.RotationFixture.rotation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.logto.operator.crd.app.CredentialsStatus;
import io.logto.operator.crd.app.WorkloadReference;
import io.logto.operator.logto.model.ApplicationSecret;
import io.logto.operator.reconciler.MutableClock;
import io.logto.operator.reconciler.OperatorHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rotation of an app's secret on the simulator: on schedule (a fake clock), on demand (the
 * annotation), in an emergency, after drift, with other secrets on the app, and the workloads
 * rolled out. A client holding the old secret keeps getting tokens during the grace period and is
 * refused after it.
 */
class CredentialRotationTest {

  private OperatorHarness h;
  private final MutableClock clock = MutableClock.startingNow();

  @AfterEach
  void stop() {
    h.close();
  }

  private RotationFixture start(io.logto.operator.crd.app.SecretRotation rotation) {
    h = OperatorHarness.startWithoutOperator();
    h.startOperator(h.client, Set.of(), clock);
    return new RotationFixture(h).create(rotation);
  }

  /** Moves the clock and lets the periodic resync find what fell due. */
  private void advance(Duration by) {
    clock.advance(by);
    h.operator().resyncNow();
  }

  @ParameterizedTest(name = "Logto {0}")
  @ValueSource(strings = {"v1.42", "v1.37"})
  void scheduledRotationKeepsTheOldSecretValidForTheGracePeriodOnly(String version) {
    h = OperatorHarness.startWithoutOperator();
    h.simulator.setLegacyApplicationSecret(version.equals("v1.37"));
    h.simulator.setLegacyRoleAssignment(version.equals("v1.37"));
    h.startOperator(h.client, Set.of(), clock);
    RotationFixture f = new RotationFixture(h).create(rotation("720h", "24h", false));
    String first = f.current();
    CredentialsStatus before = f.credentials();
    assertThat(before.getCurrent().getName()).isEqualTo("Default secret");
    assertThat(Instant.parse(before.getNextRotation()))
        .isEqualTo(Instant.parse(before.getCurrent().getCreatedAt()).plus(Duration.ofHours(720)));

    advance(Duration.ofHours(719));
    assertThat(f.currentName()).as("not due yet").isEqualTo("Default secret");

    advance(Duration.ofHours(2));
    Instant rotatedAt = clock.instant();
    CredentialsStatus rotated = f.awaitRotationFrom("Default secret");
    String second = f.current();
    assertThat(second).isNotEqualTo(first);
    assertThat(f.previous()).as("the old secret beside the new one").isEqualTo(first);
    assertThat(rotated.getCurrent().getName()).startsWith("logto-operator-");
    assertThat(rotated.getPrevious().getName()).isEqualTo("Default secret");
    assertThat(Instant.parse(rotated.getPrevious().getRetireAt()))
        .isEqualTo(rotatedAt.plus(Duration.ofHours(24)));
    assertThat(Instant.parse(rotated.getNextRotation()))
        .isEqualTo(rotatedAt.plus(Duration.ofHours(720)));
    assertThat(rotated.getLastRotation()).isEqualTo(rotatedAt.toString());
    // A forgotten secret still dies: Logto expires it one hour after the next rotation and its
    // grace period.
    ApplicationSecret created = f.inLogto().stream()
        .filter(s -> s.name().equals(rotated.getCurrent().getName())).findFirst().orElseThrow();
    assertThat(created.expiresAt())
        .isEqualTo(rotatedAt.plus(Duration.ofHours(745)).toEpochMilli());
    assertThat(f.works(first)).as("old secret during the grace period").isTrue();
    assertThat(f.works(second)).isTrue();
    assertThat(h.condition(f.app, "CredentialsVerified").orElseThrow().getStatus())
        .isEqualTo("True");

    advance(Duration.ofHours(23));
    assertThat(f.credentials().getPrevious()).as("still in its grace period").isNotNull();
    assertThat(f.works(first)).isTrue();

    advance(Duration.ofHours(2));
    f.awaitCredentials(c -> c.getPrevious() == null);
    assertThat(f.previous()).as("out of the Secret").isNull();
    assertThat(f.works(first)).as("old secret after the grace period").isFalse();
    assertThat(f.works(second)).isTrue();
    assertThat(f.inLogto()).extracting(ApplicationSecret::name)
        .containsExactly(rotated.getCurrent().getName());
    assertThat(f.rotationEvents()).hasSize(2)
        .anySatisfy(m -> assertThat(m).contains("Created secret logto-operator-",
            "scheduled rotation due", "previous secret Default secret stays valid until"))
        .anySatisfy(m -> assertThat(m).contains("Removed previous secret Default secret",
            "grace period over"));
  }

  /** Secrets created in Logto since the counters were reset. */
  private long secretsCreated() {
    return h.simulator.callCounts().entrySet().stream()
        .filter(e -> e.getKey().startsWith("POST") && e.getKey().endsWith("/secrets"))
        .mapToLong(Map.Entry::getValue).sum();
  }

  /** Lets the operator's own timers (real time) run for a while. */
  private static void idle(Duration time) {
    await().pollDelay(time).atMost(time.plusSeconds(1)).until(() -> true);
  }

  @ParameterizedTest(name = "period {0}, gracePeriod {1}")
  @CsvSource({"2m, 40s", "4m, 2m", "720h, 2m"})
  void aRotationIsFollowedByItsGracePeriodAndThenByNothingUntilThePeriodIsOver(String period,
      String grace) {
    RotationFixture f = start(rotation(period, grace, false));
    Duration p = Duration.parse("PT" + period.toUpperCase());
    Duration g = Duration.parse("PT" + grace.toUpperCase());
    String first = f.current();
    h.simulator.resetCounters();

    advance(p.plusSeconds(1));
    CredentialsStatus rotated = f.awaitRotationFrom("Default secret");
    Instant rotatedAt = Instant.parse(rotated.getLastRotation());
    idle(Duration.ofSeconds(3));
    assertThat(secretsCreated()).as("one rotation, no storm").isEqualTo(1);
    assertThat(f.previous()).as("the replaced secret beside the new one").isEqualTo(first);
    assertThat(f.works(first)).isTrue();
    assertThat(f.credentials().getPrevious().getRetireAt())
        .isEqualTo(rotatedAt.plus(g).toString());
    assertThat(f.credentials().getNextRotation()).isEqualTo(rotatedAt.plus(p).toString());

    advance(g.minusSeconds(5));
    idle(Duration.ofSeconds(2));
    assertThat(f.previous()).as("still in its grace period").isEqualTo(first);
    assertThat(f.works(first)).isTrue();

    advance(Duration.ofSeconds(10));
    f.awaitCredentials(c -> c.getPrevious() == null);
    assertThat(f.works(first)).as("retired after its grace period").isFalse();
    h.operator().resyncNow();
    idle(Duration.ofSeconds(2));
    assertThat(secretsCreated()).as("nothing more until the period is over").isEqualTo(1);
    assertThat(f.rotationEvents()).noneSatisfy(m -> assertThat(m).contains("expires at"));
  }

  @Test
  void aRequestDuringTheGracePeriodIsShownWaitingOnceAndRunsWhenThePreviousRetires() {
    RotationFixture f = start(rotation(null, "1h", false));
    f.annotate("m2m.logto.io/rotate", "first");
    CredentialsStatus once = f.awaitRotationFrom("Default secret");
    String retireAt = once.getPrevious().getRetireAt();

    f.annotate("m2m.logto.io/rotate", "second");
    CredentialsStatus waiting = f.awaitCredentials(c -> c.getQueued() != null);
    assertThat(waiting.getQueued().getRequest()).isEqualTo("second");
    assertThat(waiting.getQueued().getRunsAt()).isEqualTo(retireAt);
    assertThat(waiting.getNextRotation()).isEqualTo(retireAt);
    h.operator().resyncNow();
    idle(Duration.ofSeconds(2));
    assertThat(h.k8s.v1().events().inNamespace(OperatorHarness.NS).list().getItems())
        .filteredOn(e -> "RotationQueued".equals(e.getReason()))
        .singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains("m2m.logto.io/rotate=second",
            "waits for previous secret Default secret to retire", "runs at " + retireAt));

    advance(Duration.ofMinutes(61));
    CredentialsStatus ran = f.awaitRotationFrom(once.getCurrent().getName());
    assertThat(ran.getRotateRequest()).isEqualTo("second");
    assertThat(ran.getQueued()).isNull();
    assertThat(ran.getPrevious().getName()).isEqualTo(once.getCurrent().getName());
  }

  @Test
  void theAnnotationRotatesOnceAndASecondRequestWaitsForThePreviousToRetire() {
    RotationFixture f = start(null);
    String first = f.current();
    assertThat(f.credentials().getNextRotation()).as("no period, no schedule").isNull();

    f.annotate("m2m.logto.io/rotate", "2026-12-01");
    CredentialsStatus once = f.awaitRotationFrom("Default secret");
    String second = f.current();
    assertThat(once.getRotateRequest()).isEqualTo("2026-12-01");
    assertThat(f.previous()).isEqualTo(first);

    // The same value again is no request; another value is, but two secrets of ours are the
    // most an app carries: it waits for the previous one to retire (24h by default).
    h.operator().resyncNow();
    f.annotate("m2m.logto.io/rotate", "2026-12-02");
    await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);
    assertThat(f.currentName()).isEqualTo(once.getCurrent().getName());
    assertThat(f.inLogto()).hasSize(2);

    advance(Duration.ofHours(25));
    f.awaitRotationFrom(once.getCurrent().getName());
    assertThat(f.credentials().getRotateRequest()).isEqualTo("2026-12-02");
    assertThat(f.works(first)).isFalse();
    assertThat(f.works(second)).as("the second secret, now previous").isTrue();
    assertThat(f.previous()).isEqualTo(second);
    assertThat(f.operatorMade()).hasSize(2);
  }

  @Test
  void aRequestWaitingForThePreviousSecretToRetireLeavesLogtoAlone() {
    RotationFixture f = start(null);
    f.annotate("m2m.logto.io/rotate", "1");
    String once = f.awaitRotationFrom("Default secret").getCurrent().getName();
    f.annotate("m2m.logto.io/rotate", "2");
    await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);

    // Nothing can happen before the previous secret retires (24h): no reconcile reads Logto.
    h.simulator.resetCounters();
    await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
    assertThat(h.simulator.callCounts()).isEmpty();
    assertThat(f.currentName()).isEqualTo(once);

    advance(Duration.ofHours(25));
    f.awaitRotationFrom(once);
    assertThat(f.credentials().getRotateRequest()).isEqualTo("2");
  }

  @Test
  void emergencyRevocationDeletesThePreviousSecretAsSoonAsTheNewOneIsInTheSecret() {
    RotationFixture f = start(rotation("720h", "24h", false));
    String leaked = f.current();
    f.annotate("m2m.logto.io/revoke-previous", "true");
    f.annotate("m2m.logto.io/rotate", "leak-2026-12-02");
    f.awaitCredentials(c -> !c.getCurrent().getName().equals("Default secret")
        && c.getPrevious() == null);
    assertThat(f.works(leaked)).isFalse();
    assertThat(f.works(f.current())).isTrue();
    assertThat(f.previous()).isNull();
    assertThat(f.rotationEvents()).anySatisfy(m -> assertThat(m)
        .contains("Removed previous secret", "revoked by m2m.logto.io/revoke-previous"));
    assertThat(f.rotationEvents()).as("no promise the revocation breaks")
        .noneSatisfy(m -> assertThat(m).contains("stays valid until"))
        .anySatisfy(m -> assertThat(m).contains("previous secret Default secret is deleted as"
            + " soon as the new one obtains a token (revoked by"
            + " m2m.logto.io/revoke-previous)"));
  }

  @Test
  void aZeroGracePeriodRetiresAtOnce() {
    RotationFixture f = start(rotation(null, "0s", false));
    String old = f.current();
    f.annotate("m2m.logto.io/rotate", "now");
    f.awaitCredentials(c -> c.getPrevious() == null && c.getLastRotation() != null);
    assertThat(f.works(old)).isFalse();
    assertThat(f.works(f.current())).isTrue();
  }

  @Test
  void aSecretDeletedInLogtoByHandIsReplacedAtTheNextResync() {
    RotationFixture f = start(rotation("720h", "24h", false));
    f.annotate("m2m.logto.io/rotate", "1");
    String ours = f.awaitRotationFrom("Default secret").getCurrent().getName();
    h.client.deleteApplicationSecret(f.appId(), ours);

    var report = h.operator().resyncNow();
    assertThat(report.drifted()).isEqualTo(1);
    f.awaitRotationFrom(ours);
    assertThat(f.works(f.current())).isTrue();
    assertThat(f.credentials().getPending()).isNull();
    // The previous one (Default secret) was still valid and still in its grace period.
    assertThat(f.previous()).isNotNull();
    assertThat(f.works(f.previous())).isTrue();
  }

  @Test
  void otherSecretsOnTheAppAreLeftAloneUnlessRemoveOthers() {
    RotationFixture f = start(rotation("720h", "0s", false));
    h.client.createApplicationSecret(f.appId(), "made-in-console", null);
    f.annotate("m2m.logto.io/rotate", "1");
    f.awaitRotationFrom("Default secret");
    f.awaitCredentials(c -> c.getPrevious() == null);
    assertThat(f.inLogto()).extracting(ApplicationSecret::name)
        .contains("made-in-console").doesNotContain("Default secret");

    h.edit(f.app, a -> {
      a.getSpec().getSecret().getRotation().setRemoveOthers(true);
      return a;
    });
    await().atMost(Duration.ofSeconds(20)).until(() -> f.inLogto().stream()
        .noneMatch(s -> s.name().equals("made-in-console")));
    assertThat(f.inLogto()).extracting(ApplicationSecret::name)
        .containsExactly(f.currentName());
  }

  @Test
  void workloadsNamedInRolloutRestartAreRolledOutAfterEachRotation() {
    h = OperatorHarness.startWithoutOperator();
    h.startOperator(h.client, Set.of(), clock);
    h.k8s.resource(new DeploymentBuilder().withNewMetadata()
        .withName("orders").withNamespace(OperatorHarness.NS).endMetadata()
        .withNewSpec().withNewTemplate().withNewMetadata().addToLabels("app", "orders")
        .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("busybox")
        .endContainer().endSpec().endTemplate().endSpec().build()).create();
    RotationFixture f = new RotationFixture(h).create(rotation(null, "1h", false));
    assertThat(templateAnnotation()).as("no rollout for the first credentials").isNull();
    h.edit(f.app, a -> {
      a.getSpec().getSecret().setRolloutRestart(List.of(
          new WorkloadReference(WorkloadReference.Kind.Deployment, "orders"),
          new WorkloadReference(WorkloadReference.Kind.StatefulSet, "missing")));
      return a;
    });
    h.awaitReady(f.app);

    f.annotate("m2m.logto.io/rotate", "1");
    String once = f.awaitRotationFrom("Default secret").getCurrent().getName();
    await().atMost(Duration.ofSeconds(20)).until(() -> templateAnnotation() != null);
    String first = templateAnnotation();
    assertThat(first).doesNotContain(f.current());
    assertThat(h.k8s.v1().events().inNamespace(OperatorHarness.NS).list().getItems())
        .anySatisfy(e -> assertThat(e.getReason() + " " + e.getMessage())
            .contains("RolloutRestartFailed", "StatefulSet missing", "does not exist"));

    advance(Duration.ofHours(2));
    f.awaitCredentials(c -> c.getPrevious() == null);
    f.annotate("m2m.logto.io/rotate", "2");
    f.awaitRotationFrom(once);
    await().atMost(Duration.ofSeconds(20))
        .until(() -> !first.equals(templateAnnotation()));
  }

  @Test
  void anAppRecreatedInLogtoStartsItsCredentialsAfreshAndRollsOutTheWorkloads() {
    h = OperatorHarness.startWithoutOperator();
    h.startOperator(h.client, Set.of(), clock);
    h.k8s.resource(new DeploymentBuilder().withNewMetadata()
        .withName("orders").withNamespace(OperatorHarness.NS).endMetadata()
        .withNewSpec().withNewTemplate().withNewMetadata().addToLabels("app", "orders")
        .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("busybox")
        .endContainer().endSpec().endTemplate().endSpec().build()).create();
    RotationFixture f = new RotationFixture(h).create(rotation("720h", "0s", false));
    h.edit(f.app, a -> {
      a.getSpec().getSecret().setRolloutRestart(List.of(
          new WorkloadReference(WorkloadReference.Kind.Deployment, "orders")));
      return a;
    });
    f.annotate("m2m.logto.io/rotate", "1");
    f.awaitCredentials(c -> c.getCurrent().getName().startsWith("logto-operator-")
        && c.getPrevious() == null);
    await().atMost(Duration.ofSeconds(20)).until(() -> templateAnnotation() != null);
    String rolledOut = templateAnnotation();
    String deleted = f.appId();

    h.client.deleteApplication(deleted);
    h.operator().resyncNow();
    await().atMost(Duration.ofSeconds(20)).until(() -> !deleted.equals(f.appId())
        && f.secret().get("LOGTO_APP_ID").equals(f.appId()));
    // The new app's own secret is handed out: none is left valid and unused beside it.
    CredentialsStatus fresh = f.awaitCredentials(c -> "Default secret".equals(
        c.getCurrent().getName()));
    assertThat(fresh.getLastRotation()).isNull();
    assertThat(f.inLogto()).extracting(ApplicationSecret::name).containsExactly("Default secret");
    assertThat(f.works(f.current())).isTrue();
    await().atMost(Duration.ofSeconds(20)).until(() -> !rolledOut.equals(templateAnnotation()));
  }

  private String templateAnnotation() {
    var annotations = h.k8s.apps().deployments().inNamespace(OperatorHarness.NS)
        .withName("orders").get().getSpec().getTemplate().getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get("m2m.logto.io/credentials");
  }

  @Test
  void anAppWithoutRotationKeepsItsSecretAndReadsNoSecretsInTheResync() {
    RotationFixture f = start(null);
    String secret = f.current();
    h.simulator.resetCounters();
    h.operator().resyncNow();
    assertThat(h.simulator.callCounts().keySet())
        .noneMatch(path -> path.contains("/secrets"));
    advance(Duration.ofDays(3650));
    assertThat(f.current()).isEqualTo(secret);
    assertThat(f.credentials().getLastRotation()).isNull();
  }
}
