package io.logto.operator.runtime;

import static io.logto.operator.reconciler.OperatorHarness.apiResource;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.logto.operator.reconciler.OperatorHarness;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class LeaderElectionTest {

  private static OperatorSettings withLease(OperatorHarness h) {
    return new OperatorSettings(h.connection, Set.of(), Set.of(), Duration.ZERO, 4,
        Optional.of(OperatorHarness.NS));
  }

  private static String holder(OperatorHarness h) {
    Lease lease = h.k8s.leases().inNamespace(OperatorHarness.NS)
        .withName(OperatorSettings.LEASE_NAME).get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  @Test
  void twoReplicasShareOneLeaseAndTheSecondTakesOverWhenTheLeaderStops() {
    try (OperatorHarness h = OperatorHarness.startWithoutOperator()) {
      LogtoOperator first = LogtoOperator.start(h.k8s, h.client, withLease(h), null);
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> holder(h) != null);
      String firstHolder = holder(h);
      LogtoOperator second = LogtoOperator.start(h.k8s, h.client, withLease(h), null);
      try {
        var shop = h.create(apiResource("shop", "https://shop.api", "read"));
        h.awaitReady(shop);
        assertThat(holder(h)).isEqualTo(firstHolder);
        assertThat(h.simulator.resourceCount()).isEqualTo(1);

        first.close();
        Awaitility.await().atMost(Duration.ofSeconds(40))
            .until(() -> holder(h) != null && !holder(h).equals(firstHolder));
        var other = h.create(apiResource("other", "https://other.api", "read"));
        h.awaitReadyWithin(other, "Synced", Duration.ofSeconds(30));
        assertThat(h.simulator.resourceCount()).isEqualTo(2);
      } finally {
        second.close();
      }
    }
  }
}
