package io.logto.operator.e2e;

import static io.logto.operator.e2e.ClusterObjects.awaitReady;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.common.ConnectionRef;
import io.logto.operator.reconciler.OperatorHarness;
import io.logto.operator.reconciler.common.Conditions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * An operator upgraded before the cluster has its new CRDs (helm upgrade leaves CRDs alone): it
 * starts, reconciles everything that does not name a connection, and objects that do wait saying
 * what to install, instead of the whole operator failing to start.
 */
@ExtendWith(RealCluster.class)
@Isolated("it deletes the connection CRDs, and with them every ClusterLogtoConnection of the cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionCrdsMissingIT {

  private static final String NS = "e2e-no-connection-crds";
  private static final List<String> CONNECTION_CRDS =
      List.of("logtoconnections.m2m.logto.io", "clusterlogtoconnections.m2m.logto.io");

  private RealApiServer server;
  private KubernetesClient admin;

  @BeforeAll
  void connect(RealApiServer realServer) {
    server = realServer;
    admin = server.adminClient();
    RealCluster.createNamespaces(admin, NS);
  }

  @AfterAll
  void reinstall() {
    try {
      ClusterObjects.release(admin, List.of(NS), E2eKinds.ALL);
      RealCluster.installCrds(admin);
    } finally {
      admin.close();
    }
  }

  @Test
  void theOperatorRunsWithoutTheConnectionKindsAndSaysWhatIsMissing() {
    for (String crd : CONNECTION_CRDS) {
      admin.apiextensions().v1().customResourceDefinitions().withName(crd).delete();
      admin.apiextensions().v1().customResourceDefinitions().withName(crd)
          .waitUntilCondition(c -> c == null, 30, TimeUnit.SECONDS);
    }
    try (InProcessOperator operator = InProcessOperator.withClusterConnections(server, Set.of(NS),
        Set.of(), null)) {
      LogtoApiResource plain = OperatorHarness.apiResource("plain", "https://plain.api", "read");
      plain.getMetadata().setNamespace(NS);
      admin.resource(plain).create();
      LogtoApiResource connected =
          OperatorHarness.apiResource("connected", "https://connected.api", "read");
      connected.getMetadata().setNamespace(NS);
      connected.getSpec().setConnectionRef(
          new ConnectionRef(ConnectionRef.Kind.LogtoConnection, "tenant-2"));
      admin.resource(connected).create();

      awaitReady(admin, LogtoApiResource.class, NS, "plain", "Synced");
      LogtoApiResource waiting =
          awaitReady(admin, LogtoApiResource.class, NS, "connected", "WaitingForDependency");
      assertThat(Conditions.find(waiting.getStatus().getConditions(), Conditions.READY)
          .map(Condition::getMessage).orElseThrow())
          .isEqualTo("spec.connectionRef: LogtoConnection is not available: the LogtoConnection"
              + " CRD is not installed (kubectl apply -f crds/; Helm does not upgrade CRDs),"
              + " then restart the operator");
      assertThat(operator.simulator.resourceCount()).as("only the plain one reached Logto")
          .isEqualTo(1);
    }
  }
}
