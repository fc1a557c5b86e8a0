package io.logto.operator.reconciler;

import static io.logto.operator.reconciler.OperatorHarness.apiResource;
import static io.logto.operator.reconciler.OperatorHarness.app;
import static io.logto.operator.reconciler.OperatorHarness.decoded;
import static io.logto.operator.reconciler.OperatorHarness.logtoRole;
import static io.logto.operator.reconciler.OperatorHarness.permission;
import static io.logto.operator.reconciler.OperatorHarness.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.logto.operator.crd.app.AppRoleAssignment;
import io.logto.operator.crd.app.CredentialsSecret;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.common.DeletionPolicy;
import io.logto.operator.crd.common.LocalObjectReference;
import io.logto.operator.logto.model.Role;
import io.logto.operator.logto.model.TokenGrant;
import io.logto.operator.reconciler.common.Conditions;
import io.logto.operator.simulator.LogtoSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class M2MAppReconcilerTest {

  private OperatorHarness h;

  @AfterEach
  void stop() {
    h.close();
  }

  private LogtoM2MApp shoppingSetupInReverseOrder() {
    LogtoM2MApp app = h.create(app("order-stats", "shopping"));
    h.create(role("shopping", permission("shop", "read:products", "write:products")));
    h.create(apiResource("shop", "https://shopping.api", "read:products", "write:products"));
    return app;
  }

  @Test
  void appGetsSecretWithWorkingCredentials() {
    h = OperatorHarness.start();
    LogtoM2MApp app = shoppingSetupInReverseOrder();

    LogtoM2MApp ready = h.awaitReady(app);
    Secret secret = h.secret("order-stats-logto-credentials");
    Map<String, String> data = decoded(secret);
    assertThat(data).containsEntry("LOGTO_ENDPOINT", h.simulator.endpoint().toString())
        .containsEntry("LOGTO_TOKEN_ENDPOINT", h.simulator.endpoint() + "/oidc/token")
        .containsEntry("LOGTO_APP_ID", ready.getStatus().getAppId())
        .containsEntry("LOGTO_RESOURCE", "https://shopping.api")
        .containsEntry("LOGTO_SCOPES", "read:products write:products")
        .containsKey("LOGTO_APP_SECRET");
    assertThat(secret.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "logto-operator");
    assertThat(secret.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(ready.getMetadata().getUid()));

    TokenGrant token = h.client.requestToken(data.get("LOGTO_APP_ID"),
        data.get("LOGTO_APP_SECRET"), "https://shopping.api", List.of("read:products"));
    assertThat(token.grantedScopes()).containsExactly("read:products");
    assertThat(h.condition(app, Conditions.CREDENTIALS_VERIFIED)).get()
        .satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("True");
          assertThat(c.getReason()).isEqualTo("Verified");
        });
    assertThat(ready.getSpec().getRoles()).hasSize(1);
  }

  @Test
  void creatingAnAppCostsTwoWritesAndOneRead() {
    h = OperatorHarness.start();
    h.create(apiResource("shop", "https://shopping.api", "a", "b"));
    var r1 = h.create(role("r1", permission("shop", "a")));
    var r2 = h.create(role("r2", permission("shop", "b")));
    h.awaitReady(r1);
    h.awaitReady(r2);
    h.simulator.resetCounters();

    LogtoM2MApp app = h.create(app("two-roles", "r1", "r2"));
    h.awaitReady(app);

    assertThat(LogtoCalls.writes(h.simulator)).isEqualTo(2);
    assertThat(LogtoCalls.reads(h.simulator)).isEqualTo(1);
    assertThat(h.client.listApplicationRoles(h.get(app).getStatus().getAppId()))
        .extracting(Role::name).containsExactlyInAnyOrder("r1", "r2");
  }

  @Test
  void deletedOrEditedSecretIsRestoredWithoutWritingToLogto() {
    h = OperatorHarness.start();
    LogtoM2MApp app = shoppingSetupInReverseOrder();
    h.awaitReady(app);
    Map<String, String> original = decoded(h.secret("order-stats-logto-credentials"));
    h.simulator.resetCounters();

    h.k8s.secrets().inNamespace(OperatorHarness.NS).withName("order-stats-logto-credentials")
        .delete();
    await().atMost(Duration.ofSeconds(20)).until(() ->
        h.secret("order-stats-logto-credentials") != null
            && decoded(h.secret("order-stats-logto-credentials")).equals(original));

    h.k8s.secrets().inNamespace(OperatorHarness.NS).withName("order-stats-logto-credentials")
        .edit(s -> {
          s.getData().put("LOGTO_APP_SECRET", "dGFtcGVyZWQ=");
          return s;
        });
    await().atMost(Duration.ofSeconds(20)).until(() ->
        decoded(h.secret("order-stats-logto-credentials")).equals(original));
    assertThat(LogtoCalls.writes(h.simulator)).isZero();
  }

  @Test
  void existingSecretNotCreatedByTheOperatorIsAConflictAndNeverOverwritten() {
    h = OperatorHarness.start();
    h.k8s.secrets().inNamespace(OperatorHarness.NS).resource(new SecretBuilder()
        .withNewMetadata().withName("taken").withNamespace(OperatorHarness.NS).endMetadata()
        .withStringData(Map.of("password", "keep-me")).build()).create();
    LogtoM2MApp a = app("clash");
    CredentialsSecret target = new CredentialsSecret();
    target.setName("taken");
    a.getSpec().setSecret(target);
    h.create(a);

    h.awaitReady(a, "Conflict");
    assertThat(h.readyReasonMessage(a)).isEqualTo("spec.secret.name: Secret taken already exists"
        + " and was not created by the operator; it is left untouched (choose another name)");
    assertThat(h.simulator.callCounts()).doesNotContainKey("POST /api/applications");
    assertThat(h.simulator.applicationCount()).isZero();
    Secret untouched = h.secret("taken");
    assertThat(untouched.getMetadata().getLabels()).isNullOrEmpty();
  }

  @Test
  void aMissingRoleIsNamedOnceAndTheAppWaitsForIt() {
    h = OperatorHarness.start();
    LogtoM2MApp app = h.create(app("waiting", "nsrole"));
    h.awaitReady(app, "WaitingForDependency");
    assertThat(h.readyReasonMessage(app)).isEqualTo("LogtoRole default/nsrole does not exist");
    assertThat(h.simulator.applicationCount()).isZero();

    h.create(role("nsrole"));
    h.awaitReady(app);
  }

  @Test
  void deletingAnAppRemovesItsSecretAndFollowsThePolicy() {
    h = OperatorHarness.start();
    LogtoM2MApp gone = h.create(app("gone"));
    LogtoM2MApp kept = app("kept");
    kept.getSpec().setDeletionPolicy(DeletionPolicy.Retain);
    h.create(kept);
    String goneId = h.awaitReady(gone).getStatus().getAppId();
    String keptId = h.awaitReady(kept).getStatus().getAppId();

    h.delete(gone);
    h.delete(kept);
    h.awaitGone(gone);
    h.awaitGone(kept);

    assertThat(h.secret("gone-logto-credentials")).isNull();
    assertThat(h.secret("kept-logto-credentials")).isNull();
    assertThat(h.client.listApplications()).extracting(a -> a.id())
        .contains(keptId).doesNotContain(goneId);
  }

  @Test
  void roleAssignmentsFollowTheSpecBothWays() {
    h = OperatorHarness.start();
    h.create(apiResource("shop", "https://shopping.api", "a", "b"));
    h.create(role("r1", permission("shop", "a")));
    h.create(role("r2", permission("shop", "b")));
    LogtoM2MApp app = h.create(app("app", "r1"));
    String id = h.awaitReady(app).getStatus().getAppId();

    h.edit(app, x -> {
      AppRoleAssignment r2 = new AppRoleAssignment();
      r2.setRoleRef(new LocalObjectReference("r2"));
      x.getSpec().setRoles(new ArrayList<>(List.of(r2)));
      return x;
    });
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(h.client.listApplicationRoles(id)).extracting(Role::name)
            .containsExactly("r2"));
    await().atMost(Duration.ofSeconds(20)).until(() ->
        "b".equals(decoded(h.secret("app-logto-credentials")).get("LOGTO_SCOPES")));
  }

  @Test
  void managementApiRoleIsForbiddenOutsidePrivilegedNamespacesAndWorksInside() {
    h = OperatorHarness.start();
    LogtoM2MApp admin = app("admin");
    admin.getSpec().getRoles().add(logtoRole("Logto Management API access"));
    h.create(admin);
    h.awaitReady(admin, "Forbidden");
    assertThat(h.simulator.applicationCount()).isZero();
    h.close();

    h = OperatorHarness.start(OperatorHarness.NS);
    LogtoM2MApp allowed = app("admin");
    allowed.getSpec().getRoles().add(logtoRole("Logto Management API access"));
    h.create(allowed);
    h.awaitReady(allowed);
    Map<String, String> data = decoded(h.secret("admin-logto-credentials"));
    assertThat(data).containsEntry("LOGTO_RESOURCE", LogtoSimulator.MANAGEMENT_API_RESOURCE)
        .containsEntry("LOGTO_SCOPES", "all");
    assertThat(h.condition(allowed, Conditions.CREDENTIALS_VERIFIED)).get()
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
  }

  @Test
  void credentialsVerifiedFailsWhenAScopeIsNotGranted() {
    h = OperatorHarness.start();
    LogtoM2MApp app = shoppingSetupInReverseOrder();
    h.awaitReady(app);
    // Behind the operator's back, the role loses a scope in Logto.
    String roleId = h.client.findRoleByName("shopping").orElseThrow().id();
    String writeId = h.client.listRoleScopes(roleId).stream()
        .filter(s -> s.name().equals("write:products")).findFirst().orElseThrow().id();
    h.client.removeRoleScope(roleId, writeId);

    h.edit(app, x -> {
      x.getSpec().setDescription("touched");
      return x;
    });
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(h.condition(app, Conditions.CREDENTIALS_VERIFIED)).get().satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("False");
          assertThat(c.getReason()).isEqualTo("ScopesMissing");
          assertThat(c.getMessage()).contains("https://shopping.api: missing write:products");
        }));
  }

  @Test
  void renamedKeysAreWrittenUnderTheirNewNames() {
    h = OperatorHarness.start();
    LogtoM2MApp a = app("renamed");
    CredentialsSecret target = new CredentialsSecret();
    target.setName("custom");
    target.setKeys(new java.util.LinkedHashMap<>(Map.of("LOGTO_APP_ID", "CLIENT_ID",
        "LOGTO_APP_SECRET", "CLIENT_SECRET")));
    target.setLabels(new java.util.LinkedHashMap<>(Map.of("team", "orders")));
    a.getSpec().setSecret(target);
    h.create(a);
    h.awaitReady(a);
    Secret secret = h.secret("custom");
    assertThat(decoded(secret)).containsKeys("CLIENT_ID", "CLIENT_SECRET", "LOGTO_ENDPOINT")
        .doesNotContainKeys("LOGTO_APP_ID", "LOGTO_APP_SECRET", "LOGTO_RESOURCE");
    assertThat(secret.getMetadata().getLabels()).containsEntry("team", "orders");
  }
}
