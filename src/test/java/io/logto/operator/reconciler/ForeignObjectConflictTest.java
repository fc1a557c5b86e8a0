package io.logto.operator.reconciler;

import static io.logto.operator.reconciler.OperatorHarness.apiResource;
import static io.logto.operator.reconciler.OperatorHarness.app;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.logto.operator.crd.common.LogtoObjectStatus;
import io.logto.operator.reconciler.common.Conditions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Secret or ConfigMap someone else made, with the name an object needs, is a Conflict, and it
 * clears by itself once that object is deleted: the blocked custom resource is woken (the
 * operator's own informers never see objects without its label), then converges.
 */
class ForeignObjectConflictTest {

  private OperatorHarness h;

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void anAppBlockedBySomeoneElsesSecretConvergesOnceItIsDeleted() {
    h = OperatorHarness.start();
    HasMetadata foreign = h.k8s.resource(new SecretBuilder().withNewMetadata()
        .withName("blocked-logto-credentials").withNamespace(OperatorHarness.NS).endMetadata()
        .addToStringData("mine", "not the operator's").build()).create();
    var blocked = h.create(app("blocked"));
    assertThat(awaitReason(blocked, "Conflict")).contains("Secret blocked-logto-credentials",
        "already exists and was not created by the operator");
    assertThat(h.simulator.applicationCount()).as("nothing made in Logto meanwhile")
        .isEqualTo(0);

    h.k8s.resource(foreign).delete();
    awaitReason(blocked, "Synced");
    assertThat(OperatorHarness.decoded(h.secret("blocked-logto-credentials")))
        .containsKey("LOGTO_APP_SECRET");
  }

  @Test
  void anApiResourceBlockedBySomeoneElsesConfigMapConvergesOnceItIsDeleted() {
    h = OperatorHarness.start();
    HasMetadata foreign = h.k8s.resource(new ConfigMapBuilder().withNewMetadata()
        .withName("orders-logto-api").withNamespace(OperatorHarness.NS).endMetadata()
        .addToData("mine", "not the operator's").build()).create();
    var blocked = h.create(apiResource("orders", "https://orders.api", "read"));
    assertThat(awaitReason(blocked, "Conflict")).contains("ConfigMap orders-logto-api");

    h.k8s.resource(foreign).delete();
    awaitReason(blocked, "Synced");
  }

  private String awaitReason(CustomResource<?, ? extends LogtoObjectStatus> object,
      String reason) {
    return await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
        .until(() -> {
          var current = h.k8s.resource(object).get();
          return current == null || current.getStatus() == null ? null
              : Conditions.find(current.getStatus().getConditions(), Conditions.READY)
                  .orElse(null);
        }, c -> c != null && reason.equals(c.getReason())).getMessage();
  }
}
