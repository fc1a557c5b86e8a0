package io.logto.operator.reconciler;

import static io.logto.operator.reconciler.OperatorHarness.apiResource;
import static io.logto.operator.reconciler.OperatorHarness.permission;
import static io.logto.operator.reconciler.OperatorHarness.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.logto.operator.crd.apiresource.ApiScope;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.common.DeletionPolicy;
import io.logto.operator.logto.model.ApiResource;
import io.logto.operator.logto.model.NewApiResource;
import io.logto.operator.logto.model.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiResourceReconcilerTest {

  private OperatorHarness h;

  @BeforeEach
  void start() {
    h = OperatorHarness.start();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private ApiResource inLogto(String indicator) {
    return h.client.findApiResourceByIndicator(indicator).orElseThrow();
  }

  private List<String> scopeNames(String resourceId) {
    return h.client.listScopes(resourceId).stream().map(Scope::name).sorted().toList();
  }

  @Test
  void createsApiResourceWithScopesAndConfigMap() {
    LogtoApiResource shop = apiResource("shopping-api", "https://shopping.api",
        "read:products", "write:products");
    shop.getSpec().setName("Online Shopping");
    h.create(shop);

    LogtoApiResource ready = h.awaitReady(shop);
    ApiResource logto = inLogto("https://shopping.api");
    assertThat(logto.name()).isEqualTo("Online Shopping");
    assertThat(ready.getStatus().getResourceId()).isEqualTo(logto.id());
    assertThat(scopeNames(logto.id())).containsExactly("read:products", "write:products");
    assertThat(ready.getStatus().getScopeIds()).containsOnlyKeys("read:products",
        "write:products");

    ConfigMap cm = h.k8s.configMaps().inNamespace(OperatorHarness.NS)
        .withName("shopping-api-logto-api").get();
    assertThat(cm.getData())
        .containsEntry("LOGTO_AUDIENCE", "https://shopping.api")
        .containsEntry("LOGTO_ISSUER", h.simulator.endpoint() + "/oidc")
        .containsEntry("LOGTO_JWKS_URI", h.simulator.endpoint() + "/oidc/jwks")
        .containsEntry("LOGTO_SCOPES", "read:products write:products");
    assertThat(cm.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(ready.getMetadata().getUid()));
  }

  @Test
  void specChangesFlowToLogto() {
    LogtoApiResource shop = h.create(apiResource("shop", "https://shop.api", "a", "b"));
    h.awaitReady(shop);
    String id = inLogto("https://shop.api").id();

    h.edit(shop, r -> {
      r.getSpec().setName("Renamed");
      r.getSpec().setAccessTokenTtl(600);
      r.getSpec().setScopes(new ArrayList<>(List.of(new ApiScope("b", "changed"),
          new ApiScope("c", "new"))));
      return r;
    });
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      ApiResource now = h.client.getApiResource(id);
      assertThat(now.name()).isEqualTo("Renamed");
      assertThat(now.accessTokenTtl()).isEqualTo(600);
      assertThat(scopeNames(id)).containsExactly("b", "c");
    });
    LogtoApiResource ready = h.awaitReady(shop);
    assertThat(ready.getStatus().getScopeIds()).containsOnlyKeys("b", "c");
    assertThat(h.client.listScopes(id)).filteredOn(s -> s.name().equals("b"))
        .singleElement().satisfies(s -> assertThat(s.description()).isEqualTo("changed"));
  }

  @Test
  void deletedConfigMapIsRestoredWithoutCallingLogto() {
    LogtoApiResource shop = h.create(apiResource("shop", "https://shop.api", "a"));
    h.awaitReady(shop);
    h.simulator.resetCounters();

    h.k8s.configMaps().inNamespace(OperatorHarness.NS).withName("shop-logto-api").delete();

    await().atMost(Duration.ofSeconds(20)).until(() ->
        h.k8s.configMaps().inNamespace(OperatorHarness.NS).withName("shop-logto-api").get()
            != null);
    assertThat(h.simulator.managementCalls()).isZero();
  }

  @Test
  void existingResourceNotCreatedByTheOperatorIsAConflictAndLeftUntouched() {
    h.client.createApiResource(new NewApiResource("Theirs", "https://theirs.api", null));
    LogtoApiResource mine = h.create(apiResource("mine", "https://theirs.api", "x"));

    LogtoApiResource failed = h.awaitReady(mine, "Conflict");
    assertThat(failed.getStatus().getResourceId()).isNull();
    ApiResource theirs = inLogto("https://theirs.api");
    assertThat(theirs.name()).isEqualTo("Theirs");
    assertThat(scopeNames(theirs.id())).isEmpty();

    h.delete(mine);
    h.awaitGone(mine);
    assertThat(h.client.findApiResourceByIndicator("https://theirs.api")).isPresent();
  }

  @Test
  void deletionPolicyDeleteRemovesTheResourceAndRetainKeepsIt() {
    LogtoApiResource gone = h.create(apiResource("gone", "https://gone.api", "a"));
    LogtoApiResource kept = apiResource("kept", "https://kept.api", "a");
    kept.getSpec().setDeletionPolicy(DeletionPolicy.Retain);
    h.create(kept);
    h.awaitReady(gone);
    h.awaitReady(kept);

    h.delete(gone);
    h.delete(kept);
    h.awaitGone(gone);
    h.awaitGone(kept);

    assertThat(h.client.findApiResourceByIndicator("https://gone.api")).isEmpty();
    assertThat(h.client.findApiResourceByIndicator("https://kept.api")).isPresent();
    assertThat(h.k8s.configMaps().inNamespace(OperatorHarness.NS).withName("gone-logto-api")
        .get()).isNull();
  }

  @Test
  void resourceUsedByARoleIsNotDeletedUntilTheRoleGoes() {
    LogtoApiResource shop = h.create(apiResource("shop", "https://shop.api", "read"));
    var reader = h.create(role("reader", permission("shop", "read")));
    h.awaitReady(shop);
    h.awaitReady(reader);

    h.delete(shop);
    h.awaitReady(shop, "DeletionBlocked");
    assertThat(h.readyReasonMessage(shop)).contains("reader");
    assertThat(h.client.findApiResourceByIndicator("https://shop.api")).isPresent();

    h.delete(reader);
    h.awaitGone(reader);
    h.awaitGone(shop);
    assertThat(h.client.findApiResourceByIndicator("https://shop.api")).isEmpty();
  }

  @Test
  void relativeIndicatorIsInvalidSpecAndNothingIsCreated() {
    // Refused at admission on a cluster; stored as if from before the CRD had the pattern.
    LogtoApiResource bad = h.createWithoutAdmission(apiResource("bad", "shopping.api", "a"));
    LogtoApiResource failed = h.awaitReady(bad, "InvalidSpec");
    assertThat(h.readyReasonMessage(failed)).contains("spec.indicator");
    assertThat(h.simulator.resourceCount()).isZero();
  }
}
