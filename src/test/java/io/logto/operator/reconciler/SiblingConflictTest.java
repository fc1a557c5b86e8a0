package io.logto.operator.reconciler;

import static io.logto.operator.reconciler.OperatorHarness.NS;
import static io.logto.operator.reconciler.OperatorHarness.apiResource;
import static io.logto.operator.reconciler.OperatorHarness.app;
import static io.logto.operator.reconciler.OperatorHarness.decoded;
import static io.logto.operator.reconciler.OperatorHarness.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.CustomResource;
import io.logto.operator.crd.apiresource.ConfigMapTarget;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.app.CredentialsSecret;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.common.LogtoObjectStatus;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.logto.model.ApiResource;
import io.logto.operator.logto.model.Role;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two custom resources that want the same indicator, Logto role name, Secret or ConfigMap: one
 * gets it, the other reports a Conflict naming the one that has it (not "someone else"), creates
 * nothing in Logto, and takes over once the first is deleted. Each case runs in both orders of
 * names, so that neither the name nor the order of creation decides the message.
 */
class SiblingConflictTest {

  private static final String POST_APPLICATIONS = "POST /api/applications";
  private static final String POST_RESOURCES = "POST /api/resources";

  private OperatorHarness h;

  @BeforeEach
  void start() {
    h = OperatorHarness.start();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @ParameterizedTest(name = "{0} first, then {1}")
  @CsvSource({"dup1, dup2", "dup2, dup1"})
  void anIndicatorOwnedByAnotherLogtoApiResourceNamesItAndPassesToTheOtherWhenItIsDeleted(
      String first, String second) {
    LogtoApiResource owner = h.create(apiResource(first, "https://dup.api", "read"));
    String ownerId = h.awaitReady(owner).getStatus().getResourceId();
    LogtoApiResource loser = h.create(apiResource(second, "https://dup.api", "read"));

    h.awaitReady(loser, "Conflict");
    assertThat(h.readyReasonMessage(loser)).startsWith(
        "spec.indicator: LogtoApiResource " + NS + "/" + first + " owns https://dup.api;");
    assertThat(h.client.listApiResources()).filteredOn(r -> "https://dup.api".equals(r.indicator()))
        .extracting(ApiResource::id).containsExactly(ownerId);

    h.delete(owner);
    h.awaitGone(owner);
    String takenOver = h.awaitReady(loser).getStatus().getResourceId();
    assertThat(takenOver).isNotEqualTo(ownerId)
        .isEqualTo(h.client.findApiResourceByIndicator("https://dup.api").orElseThrow().id());
  }

  @ParameterizedTest(name = "{0} and {1} applied together")
  @CsvSource({"dup1, dup2", "dup2, dup1"})
  void twoLogtoApiResourcesAppliedTogetherWithOneIndicatorNameTheWinner(String a, String b) {
    LogtoApiResource first = h.create(apiResource(a, "https://together.api", "read"));
    LogtoApiResource second = h.create(apiResource(b, "https://together.api", "read"));

    Outcome<LogtoApiResource> outcome = awaitOneWinner(first, second);
    assertThat(h.readyReasonMessage(outcome.loser())).startsWith("spec.indicator: "
        + describe(outcome.winner()) + " owns https://together.api;");
    assertThat(h.client.listApiResources())
        .filteredOn(r -> "https://together.api".equals(r.indicator()))
        .extracting(ApiResource::id)
        .containsExactly(h.get(outcome.winner()).getStatus().getResourceId());
  }

  @ParameterizedTest(name = "{0} first, then {1}")
  @CsvSource({"role1, role2", "role2, role1"})
  void aRoleNameOwnedByAnotherLogtoRoleNamesItAndPassesToTheOtherWhenItIsDeleted(
      String first, String second) {
    LogtoRole owner = h.create(namedRole(first, "shared"));
    String ownerId = h.awaitReady(owner).getStatus().getRoleId();
    LogtoRole loser = h.create(namedRole(second, "shared"));

    h.awaitReady(loser, "Conflict");
    assertThat(h.readyReasonMessage(loser))
        .startsWith("spec.name: LogtoRole " + NS + "/" + first + " owns role 'shared';");
    assertThat(h.client.getRole(ownerId).description()).isEqualTo("Role " + first);

    h.delete(owner);
    h.awaitGone(owner);
    String takenOver = h.awaitReady(loser).getStatus().getRoleId();
    assertThat(h.client.findRoleByName("shared")).get().extracting(Role::id)
        .isEqualTo(takenOver).isNotEqualTo(ownerId);
  }

  @ParameterizedTest(name = "{0} first, then {1}")
  @CsvSource({"role1, role2", "role2, role1"})
  void aRoleNameFreedByARenameGoesToTheLogtoRoleThatWaitsForIt(String first, String second) {
    LogtoRole owner = h.create(namedRole(first, "wanted"));
    String ownerId = h.awaitReady(owner).getStatus().getRoleId();
    LogtoRole loser = h.create(namedRole(second, "wanted"));
    h.awaitReady(loser, "Conflict");

    h.edit(owner, r -> {
      r.getSpec().setName("renamed");
      return r;
    });
    String loserId = h.awaitReady(loser).getStatus().getRoleId();
    assertThat(h.client.getRole(ownerId).name()).isEqualTo("renamed");
    assertThat(h.client.findRoleByName("wanted")).get().extracting(Role::id).isEqualTo(loserId);
  }

  @ParameterizedTest(name = "{0} and {1} applied together")
  @CsvSource({"role1, role2", "role2, role1"})
  void twoLogtoRolesAppliedTogetherWithOneNameNameTheWinner(String a, String b) {
    LogtoRole first = h.create(namedRole(a, "together"));
    LogtoRole second = h.create(namedRole(b, "together"));

    Outcome<LogtoRole> outcome = awaitOneWinner(first, second);
    assertThat(h.readyReasonMessage(outcome.loser()))
        .startsWith("spec.name: " + describe(outcome.winner()) + " owns role 'together';");
    assertThat(h.client.listRoles()).filteredOn(r -> "together".equals(r.name()))
        .extracting(Role::id).containsExactly(h.get(outcome.winner()).getStatus().getRoleId());
  }

  @ParameterizedTest(name = "{0} first, then {1}")
  @CsvSource({"app1, app2", "app2, app1"})
  void aSecretOwnedByAnotherAppNamesItCreatesNothingInLogtoAndPassesWhenItIsDeleted(
      String first, String second) {
    LogtoM2MApp owner = h.create(appWithSecret(first, "shared-credentials"));
    h.awaitReady(owner);
    h.simulator.resetCounters();
    LogtoM2MApp loser = h.create(appWithSecret(second, "shared-credentials"));

    h.awaitReady(loser, "Conflict");
    assertThat(h.readyReasonMessage(loser)).startsWith("spec.secret.name: LogtoM2MApp " + NS
        + "/" + first + " owns Secret shared-credentials;");
    assertThat(posts(POST_APPLICATIONS)).isZero();
    assertSecretBelongsTo(owner);

    h.delete(owner);
    h.awaitGone(owner);
    h.awaitReady(loser);
    assertThat(posts(POST_APPLICATIONS)).isOne();
    assertSecretBelongsTo(loser);
  }

  @ParameterizedTest(name = "{0} and {1} applied together")
  @CsvSource({"app1, app2", "app2, app1"})
  void twoAppsAppliedTogetherForOneSecretCreateOneApplicationInLogto(String a, String b) {
    LogtoM2MApp first = h.create(appWithSecret(a, "together-credentials"));
    LogtoM2MApp second = h.create(appWithSecret(b, "together-credentials"));

    Outcome<LogtoM2MApp> outcome = awaitOneWinner(first, second);
    assertThat(h.readyReasonMessage(outcome.loser())).startsWith("spec.secret.name: "
        + describe(outcome.winner()) + " owns Secret together-credentials;");
    assertThat(h.get(outcome.loser()).getStatus().getAppId()).isNull();
    assertThat(posts(POST_APPLICATIONS)).isOne();
    assertThat(h.simulator.applicationCount()).isOne();
    assertSecretBelongsTo(outcome.winner());

    h.delete(outcome.winner());
    h.awaitGone(outcome.winner());
    h.awaitReady(outcome.loser());
    assertThat(posts(POST_APPLICATIONS)).isEqualTo(2);
    assertThat(h.simulator.applicationCount()).isOne();
    assertSecretBelongsTo(outcome.loser());
  }

  /** Holding the Secret counts before age: an older app that asks for it later does not get it. */
  @ParameterizedTest(name = "{0} older than {1}")
  @CsvSource({"app1, app2", "app2, app1"})
  void anAppThatHoldsTheSecretKeepsItAgainstAnOlderOneThatAsksLater(String older,
      String younger) throws InterruptedException {
    LogtoM2MApp elder = h.create(appWithSecret(older, older + "-credentials"));
    String elderAppId = h.awaitReady(elder).getStatus().getAppId();
    // Creation times have a resolution of one second.
    Thread.sleep(1100);
    LogtoM2MApp holder = h.create(appWithSecret(younger, "contested"));
    h.awaitReady(holder);
    assertThat(h.get(elder).getMetadata().getCreationTimestamp())
        .isLessThan(h.get(holder).getMetadata().getCreationTimestamp());
    h.simulator.resetCounters();

    h.edit(elder, x -> {
      x.getSpec().getSecret().setName("contested");
      return x;
    });
    h.awaitReady(elder, "Conflict");
    assertThat(h.readyReasonMessage(elder)).startsWith("spec.secret.name: LogtoM2MApp " + NS
        + "/" + younger + " owns Secret contested;");
    assertSecretBelongsTo(holder);
    assertThat(decoded(h.secret(older + "-credentials"))).containsEntry("LOGTO_APP_ID", elderAppId);
    assertThat(posts(POST_APPLICATIONS)).isZero();
  }

  @ParameterizedTest(name = "{0} and {1} applied together")
  @CsvSource({"api1, api2", "api2, api1"})
  void twoLogtoApiResourcesAppliedTogetherForOneConfigMapCreateOneInLogto(String a, String b) {
    LogtoApiResource first = h.create(withConfigMap(apiResource(a, "https://" + a + ".api", "r"),
        "shared-config"));
    LogtoApiResource second = h.create(withConfigMap(apiResource(b, "https://" + b + ".api", "r"),
        "shared-config"));

    Outcome<LogtoApiResource> outcome = awaitOneWinner(first, second);
    assertThat(h.readyReasonMessage(outcome.loser())).startsWith("spec.configMap.name: "
        + describe(outcome.winner()) + " owns ConfigMap shared-config;");
    assertThat(posts(POST_RESOURCES)).isOne();
    assertThat(h.k8s.configMaps().inNamespace(NS).withName("shared-config").get()
        .getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo(outcome.winner().getMetadata()
            .getName()));

    h.delete(outcome.winner());
    h.awaitGone(outcome.winner());
    h.awaitReady(outcome.loser());
    assertThat(posts(POST_RESOURCES)).isEqualTo(2);
  }

  /**
   * A loser whose status still says it was about to create the indicator (its own create failed
   * in an outage, then the sibling created it) neither adopts it nor deletes it when it goes.
   */
  @ParameterizedTest(name = "{0} first, then {1}")
  @CsvSource({"dup1, dup2", "dup2, dup1"})
  void aLoserWithAStalePendingCreateLeavesTheSiblingsApiResourceAlone(String first,
      String second) {
    LogtoApiResource owner = h.create(apiResource(first, "https://stale.api", "read"));
    String ownerId = h.awaitReady(owner).getStatus().getResourceId();
    LogtoApiResource loser = h.create(apiResource(second, "https://stale.api", "read"));
    h.awaitReady(loser, "Conflict");
    h.k8s.resources(LogtoApiResource.class).inNamespace(NS).withName(second).editStatus(r -> {
      r.getStatus().setPendingCreate("https://stale.api");
      return r;
    });

    h.delete(loser);
    h.awaitGone(loser);
    assertThat(h.client.findApiResourceByIndicator("https://stale.api")).get()
        .extracting(ApiResource::id).isEqualTo(ownerId);
    assertThat(h.readyReason(owner)).contains("Synced");
  }

  @ParameterizedTest(name = "{0} first, then {1}")
  @CsvSource({"role1, role2", "role2, role1"})
  void aLoserWithAStalePendingCreateLeavesTheSiblingsRoleAlone(String first, String second) {
    LogtoRole owner = h.create(namedRole(first, "stale"));
    String ownerId = h.awaitReady(owner).getStatus().getRoleId();
    LogtoRole loser = h.create(namedRole(second, "stale"));
    h.awaitReady(loser, "Conflict");
    h.k8s.resources(LogtoRole.class).inNamespace(NS).withName(second).editStatus(r -> {
      r.getStatus().setPendingCreate("stale");
      return r;
    });

    h.delete(loser);
    h.awaitGone(loser);
    assertThat(h.client.findRoleByName("stale")).get().extracting(Role::id).isEqualTo(ownerId);
  }

  // Helpers

  private record Outcome<T>(T winner, T loser) {}

  /** Waits until one of the two is Synced and the other in Conflict. */
  private <T extends CustomResource<?, ? extends LogtoObjectStatus>> Outcome<T> awaitOneWinner(
      T a, T b) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
      Optional<String> ra = h.readyReason(a);
      Optional<String> rb = h.readyReason(b);
      return ra.isPresent() && rb.isPresent()
          && List.of(ra.get(), rb.get()).containsAll(List.of("Synced", "Conflict"));
    });
    return h.readyReason(a).orElseThrow().equals("Synced")
        ? new Outcome<>(h.get(a), h.get(b))
        : new Outcome<>(h.get(b), h.get(a));
  }

  private static String describe(CustomResource<?, ?> object) {
    return object.getKind() + " " + object.getMetadata().getNamespace() + "/"
        + object.getMetadata().getName();
  }

  private long posts(String call) {
    return h.simulator.callCounts().getOrDefault(call, 0L);
  }

  private void assertSecretBelongsTo(LogtoM2MApp app) {
    LogtoM2MApp current = h.get(app);
    Secret secret = h.secret(current.getSpec().getSecret().getName());
    assertThat(secret.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(current.getMetadata().getUid()));
    assertThat(decoded(secret)).containsEntry("LOGTO_APP_ID", current.getStatus().getAppId());
    assertThat(h.client.getApplication(current.getStatus().getAppId()).name())
        .isEqualTo(current.getMetadata().getName());
  }

  private static LogtoRole namedRole(String name, String logtoName) {
    LogtoRole r = role(name);
    r.getSpec().setName(logtoName);
    return r;
  }

  private static LogtoM2MApp appWithSecret(String name, String secretName) {
    LogtoM2MApp a = app(name);
    CredentialsSecret secret = new CredentialsSecret();
    secret.setName(secretName);
    a.getSpec().setSecret(secret);
    return a;
  }

  private static LogtoApiResource withConfigMap(LogtoApiResource r, String name) {
    ConfigMapTarget target = new ConfigMapTarget();
    target.setName(name);
    r.getSpec().setConfigMap(target);
    return r;
  }
}
