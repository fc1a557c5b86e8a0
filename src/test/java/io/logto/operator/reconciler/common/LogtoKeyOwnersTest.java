package io.logto.operator.reconciler.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.apiresource.LogtoApiResourceSpec;
import io.logto.operator.crd.apiresource.LogtoApiResourceStatus;
import io.logto.operator.crd.common.DeletionPolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which LogtoApiResource a Conflict names for an indicator found in Logto. */
class LogtoKeyOwnersTest {

  private static final String EARLY = "2025-01-01T10:00:00Z";
  private static final String LATE = "2025-01-01T10:00:05Z";
  private static final String INDICATOR = "https://dup.api";

  private final FakePrimaryCache<LogtoApiResource> cache = new FakePrimaryCache<>();
  private final List<ResourceID> woken = new ArrayList<>();
  private final LogtoKeyOwners<LogtoApiResource> owners;

  LogtoKeyOwnersTest() {
    ReconcileTrigger<LogtoApiResource> trigger = new ReconcileTrigger<>();
    trigger.setEventHandler(event -> woken.add(event.getRelatedCustomResourceID()));
    trigger.start();
    owners = new LogtoKeyOwners<>("byIndicator", r -> r.getSpec().getIndicator(),
        r -> r.getStatus() == null ? null : r.getStatus().getResourceId(),
        r -> r.getStatus() == null ? null : r.getStatus().getPendingCreate(),
        r -> r.getSpec().getDeletionPolicy() == DeletionPolicy.Retain,
        ConnectionLabels::tenantOf, trigger);
    owners.register(cache);
  }

  @Test
  void theObjectRecordingTheLogtoIdOwnsItBeforeAnyPendingCreate() {
    LogtoApiResource self = add("self", "uid-9", LATE, INDICATOR);
    add("pending", "uid-1", EARLY, INDICATOR).getStatus().setPendingCreate(INDICATOR);
    LogtoApiResource recorder = add("recorder", "uid-5", LATE, INDICATOR);
    recorder.getStatus().setResourceId("res-1");

    assertThat(owners.owner(self, true, INDICATOR, "res-1")).containsSame(recorder);
  }

  /** A recorded id counts even if the spec asks for something else (a role being renamed). */
  @Test
  void anObjectOwnsWhatItsStatusRecordsWhateverItsSpecNowSays() {
    LogtoApiResource self = add("self", "uid-9", LATE, INDICATOR);
    LogtoApiResource elsewhere = add("elsewhere", "uid-1", EARLY, "https://other.api");
    elsewhere.getStatus().setResourceId("res-1");

    assertThat(owners.owner(self, false, INDICATOR, "res-1")).containsSame(elsewhere);
  }

  @Test
  void withoutARecordedIdTheOldestPendingCreateOwnsItSelfIncluded() {
    LogtoApiResource younger = add("younger", "uid-2", LATE, INDICATOR);
    younger.getStatus().setPendingCreate(INDICATOR);
    LogtoApiResource older = add("older", "uid-1", EARLY, INDICATOR);
    older.getStatus().setPendingCreate(INDICATOR);

    assertThat(owners.owner(younger, true, INDICATOR, "res-1")).containsSame(older);
    assertThat(owners.owner(older, true, INDICATOR, "res-1")).containsSame(older);
    assertThat(owners.owner(older, false, INDICATOR, "res-1")).containsSame(younger);
  }

  @Test
  void aSiblingThatOnlyAsksForTheKeyOwnsNothing() {
    LogtoApiResource self = add("self", "uid-9", LATE, INDICATOR);
    add("asking", "uid-1", EARLY, INDICATOR);

    assertThat(owners.owner(self, false, INDICATOR, "res-1")).isEmpty();
  }

  @Test
  void anObjectBeingDeletedOwnsItUntilGoneUnlessItLeavesItInLogto() {
    LogtoApiResource self = add("self", "uid-9", LATE, INDICATOR);
    LogtoApiResource deleting = add("deleting", "uid-1", EARLY, INDICATOR);
    deleting.getStatus().setResourceId("res-1");
    deleting.getMetadata().setDeletionTimestamp(LATE);
    assertThat(owners.owner(self, false, INDICATOR, "res-1")).containsSame(deleting);

    deleting.getSpec().setDeletionPolicy(DeletionPolicy.Retain);
    assertThat(owners.owner(self, false, INDICATOR, "res-1")).isEmpty();
  }

  /** Keys are unique per Logto tenant: the same indicator in another connection is another's. */
  @Test
  void anObjectOfAnotherConnectionOwnsNothingHere() {
    LogtoApiResource self = add("self", "uid-9", LATE, INDICATOR);
    LogtoApiResource elsewhere = add("elsewhere", "uid-1", EARLY, INDICATOR);
    elsewhere.getSpec().setConnectionRef(new io.logto.operator.crd.common.ConnectionRef(
        io.logto.operator.crd.common.ConnectionRef.Kind.LogtoConnection, "tenant-2"));
    elsewhere.getStatus().setResourceId("res-1");
    cache.put(elsewhere);

    assertThat(owners.owner(self, false, INDICATOR, "res-1")).isEmpty();
    owners.wakeWaitingFor(self, INDICATOR);
    assertThat(woken).isEmpty();
  }

  @Test
  void lettingGoWakesTheOthersAskingForTheKey() {
    LogtoApiResource leaving = add("leaving", "uid-1", EARLY, INDICATOR);
    LogtoApiResource waiting = add("waiting", "uid-2", LATE, INDICATOR);
    add("unrelated", "uid-3", LATE, "https://other.api");

    owners.wakeWaitingFor(leaving, INDICATOR);
    assertThat(woken).containsExactly(ResourceID.fromResource(waiting));
  }

  private LogtoApiResource add(String name, String uid, String created, String indicator) {
    LogtoApiResource resource = new LogtoApiResource();
    resource.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withUid(uid)
        .withCreationTimestamp(created).build());
    LogtoApiResourceSpec spec = new LogtoApiResourceSpec();
    spec.setIndicator(indicator);
    resource.setSpec(spec);
    resource.setStatus(new LogtoApiResourceStatus());
    cache.put(resource);
    return resource;
  }
}
