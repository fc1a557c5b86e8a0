package io.logto.operator.reconciler.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.logto.operator.crd.app.CredentialsSecret;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.app.LogtoM2MAppSpec;
import io.logto.operator.crd.app.LogtoM2MAppStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules by which one of several objects naming the same Secret gets it. The end-to-end cases
 * are in SiblingConflictTest; these pin the order of the rules, which timing alone rarely shows.
 */
class NameClaimsTest {

  private static final String EARLY = "2025-01-01T10:00:00Z";
  private static final String LATE = "2025-01-01T10:00:05Z";

  private final FakePrimaryCache<LogtoM2MApp> cache = new FakePrimaryCache<>();
  private final List<ResourceID> woken = new ArrayList<>();
  private final NameClaims<LogtoM2MApp> claims;

  NameClaimsTest() {
    ReconcileTrigger<LogtoM2MApp> trigger = new ReconcileTrigger<>();
    trigger.setEventHandler(event -> woken.add(event.getRelatedCustomResourceID()));
    trigger.start();
    claims = new NameClaims<>("bySecretName",
        a -> a.getSpec() == null ? null : a.getSpec().getSecret().getName(),
        (a, name) -> a.getStatus() != null && name.equals(a.getStatus().getSecretName()),
        trigger);
    claims.register(cache);
  }

  @Test
  void theOldestWinsWhenNoOneHoldsTheName() {
    LogtoM2MApp older = add("b-older", "uid-2", EARLY, "creds");
    LogtoM2MApp younger = add("a-younger", "uid-1", LATE, "creds");

    assertThat(claims.claim(younger, "creds")).containsSame(older);
    assertThat(claims.claim(older, "creds")).isEmpty();
  }

  @Test
  void objectsCreatedInTheSameSecondAreOrderedByUidForEveryReader() {
    LogtoM2MApp first = add("z", "uid-a", EARLY, "creds");
    LogtoM2MApp second = add("a", "uid-b", EARLY, "creds");

    assertThat(claims.claim(second, "creds")).containsSame(first);
    assertThat(claims.claim(first, "creds")).isEmpty();
  }

  @Test
  void anObjectWhoseStatusHoldsTheNameWinsOverAnOlderOne() {
    LogtoM2MApp older = add("older", "uid-1", EARLY, "creds");
    LogtoM2MApp holder = add("holder", "uid-2", LATE, "creds");
    holder.setStatus(new LogtoM2MAppStatus());
    holder.getStatus().setSecretName("creds");

    assertThat(claims.claim(older, "creds")).containsSame(holder);
  }

  /** The race of one apply: the younger is reconciled before the older reaches the cache. */
  @Test
  void theFirstToWinInThisProcessKeepsTheNameAgainstAnOlderOneSeenLater() {
    LogtoM2MApp younger = add("younger", "uid-2", LATE, "creds");
    assertThat(claims.claim(younger, "creds")).isEmpty();

    LogtoM2MApp older = add("older", "uid-1", EARLY, "creds");
    assertThat(claims.claim(older, "creds")).containsSame(younger);
    assertThat(claims.claim(younger, "creds")).isEmpty();
  }

  @Test
  void objectsBeingDeletedOrAskingForAnotherNameDoNotCompete() {
    LogtoM2MApp deleting = add("deleting", "uid-1", EARLY, "creds");
    deleting.getMetadata().setDeletionTimestamp(LATE);
    LogtoM2MApp moved = add("moved", "uid-2", EARLY, "creds");
    moved.getSpec().getSecret().setName("elsewhere");
    LogtoM2MApp invalid = add("invalid", "uid-3", EARLY, "creds");
    invalid.setSpec(null);
    LogtoM2MApp self = add("self", "uid-9", LATE, "creds");

    assertThat(claims.claim(self, "creds")).isEmpty();
  }

  @Test
  void releasingWakesTheOthersAskingForTheNameAndFreesIt() {
    LogtoM2MApp winner = add("winner", "uid-2", LATE, "creds");
    assertThat(claims.claim(winner, "creds")).isEmpty();
    LogtoM2MApp waiting = add("waiting", "uid-1", EARLY, "creds");
    LogtoM2MApp unrelated = add("unrelated", "uid-3", EARLY, "other");
    assertThat(claims.claim(waiting, "creds")).containsSame(winner);

    claims.release(winner, "creds");
    assertThat(woken).containsExactly(ResourceID.fromResource(waiting));
    winner.getMetadata().setDeletionTimestamp(LATE);
    assertThat(claims.claim(waiting, "creds")).isEmpty();
    assertThat(woken).doesNotContain(ResourceID.fromResource(unrelated));
  }

  @Test
  void winningAnotherNameLetsGoOfTheFirstAndWakesWhoWaitsForIt() {
    LogtoM2MApp mover = add("mover", "uid-2", LATE, "first");
    assertThat(claims.claim(mover, "first")).isEmpty();
    LogtoM2MApp waiting = add("waiting", "uid-1", EARLY, "first");
    assertThat(claims.claim(waiting, "first")).containsSame(mover);

    mover.getSpec().getSecret().setName("second");
    assertThat(claims.claim(mover, "second")).isEmpty();
    assertThat(woken).containsExactly(ResourceID.fromResource(waiting));
    assertThat(claims.claim(waiting, "first")).isEmpty();
  }

  private LogtoM2MApp add(String name, String uid, String created, String secretName) {
    LogtoM2MApp app = new LogtoM2MApp();
    app.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withUid(uid)
        .withCreationTimestamp(created).build());
    LogtoM2MAppSpec spec = new LogtoM2MAppSpec();
    CredentialsSecret secret = new CredentialsSecret();
    secret.setName(secretName);
    spec.setSecret(secret);
    app.setSpec(spec);
    cache.put(app);
    return app;
  }
}
