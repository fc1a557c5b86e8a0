package io.logto.operator.e2e;

import static io.logto.operator.e2e.ClusterObjects.awaitGone;
import static io.logto.operator.e2e.ClusterObjects.awaitReady;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.common.ConnectionRef;
import io.logto.operator.crd.connection.AllowedNamespaces;
import io.logto.operator.crd.connection.CaBundleRef;
import io.logto.operator.crd.connection.ClusterCredentialsSecretRef;
import io.logto.operator.crd.connection.ClusterLogtoConnection;
import io.logto.operator.crd.connection.ClusterLogtoConnectionSpec;
import io.logto.operator.crd.connection.CredentialsSecretRef;
import io.logto.operator.crd.connection.LogtoConnection;
import io.logto.operator.crd.connection.LogtoConnectionSpec;
import io.logto.operator.crd.connection.LogtoConnectionStatus;
import io.logto.operator.reconciler.OperatorHarness;
import io.logto.operator.reconciler.common.Conditions;
import io.logto.operator.simulator.LogtoSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * What the connection kinds make the operator do in Kubernetes, for the chart's RBAC to allow: a
 * LogtoConnection whose credentials Secret is beside it, a ClusterLogtoConnection whose Secret
 * and CA bundle are in the operator's namespace and which serves namespaces by label, objects
 * reconciled through each, and both connections deleted while their objects still use them.
 */
final class ConnectionScenario {

  private final KubernetesClient admin;
  private final String operatorNamespace;
  private final String namespace;

  /**
   * @param operatorNamespace where the chart is installed (the cluster connection's Secret)
   * @param namespace a watched namespace, for the namespaced connection and the objects
   */
  ConnectionScenario(KubernetesClient admin, String operatorNamespace, String namespace) {
    this.admin = admin;
    this.operatorNamespace = operatorNamespace;
    this.namespace = namespace;
  }

  /**
   * @param caPem a CA certificate to trust (the simulator speaks HTTP; it is read, not used)
   * @param clusterKind whether the operator serves ClusterLogtoConnections
   */
  void run(String caPem, boolean clusterKind) {
    try (LogtoSimulator tenant = LogtoSimulator.start()) {
      credentials(namespace, "tenant-2-credentials", tenant);
      LogtoConnection own = new LogtoConnection();
      own.setMetadata(new ObjectMetaBuilder().withName("tenant-2").withNamespace(namespace)
          .build());
      LogtoConnectionSpec ownSpec = new LogtoConnectionSpec();
      ownSpec.setEndpoint(tenant.endpoint().toString());
      CredentialsSecretRef ownSecret = new CredentialsSecretRef();
      ownSecret.setName("tenant-2-credentials");
      ownSpec.setCredentialsSecretRef(ownSecret);
      own.setSpec(ownSpec);
      admin.resource(own).create();
      awaitConnected(LogtoConnection.class, namespace, "tenant-2");
      create("own-api", "https://own.tenant2.api",
          new ConnectionRef(ConnectionRef.Kind.LogtoConnection, "tenant-2"));
      awaitReady(admin, LogtoApiResource.class, namespace, "own-api", "Synced");

      ClusterLogtoConnection cluster = clusterKind ? clusterConnection(tenant, caPem) : null;
      assertThat(tenant.resourceCount()).as("all landed in the second tenant")
          .isEqualTo(clusterKind ? 2 : 1);

      // Connections deleted first: their objects wait, and can then still be deleted.
      admin.resource(own).delete();
      awaitGone(admin, LogtoConnection.class, namespace, "tenant-2");
      List<String> users = new ArrayList<>(List.of("own-api"));
      if (cluster != null) {
        admin.resource(cluster).delete();
        awaitGone(admin, ClusterLogtoConnection.class, null, cluster.getMetadata().getName());
        users.add("shared-api");
      }
      for (String name : users) {
        awaitReady(admin, LogtoApiResource.class, namespace, name, "WaitingForDependency");
        admin.resources(LogtoApiResource.class).inNamespace(namespace).withName(name).delete();
        awaitGone(admin, LogtoApiResource.class, namespace, name);
      }
      assertThat(tenant.resourceCount()).as("nothing deleted in Logto without a connection")
          .isEqualTo(users.size());
    }
  }

  /** A ClusterLogtoConnection to the tenant, and an object of the namespace that uses it. */
  private ClusterLogtoConnection clusterConnection(LogtoSimulator tenant, String caPem) {
    String shared = operatorNamespace + "-shared";
    credentials(operatorNamespace, shared + "-credentials", tenant);
    admin.resource(new ConfigMapBuilder().withNewMetadata().withName(shared + "-ca")
        .withNamespace(operatorNamespace).endMetadata().addToData("ca.crt", caPem).build())
        .create();
    ClusterObjects.edit(admin, Namespace.class, null, namespace, n -> {
      var labels = new HashMap<>(n.getMetadata().getLabels());
      labels.put("logto-tenant", shared);
      n.getMetadata().setLabels(labels);
      return n;
    });
    ClusterLogtoConnection cluster = new ClusterLogtoConnection();
    cluster.setMetadata(new ObjectMetaBuilder().withName(shared).build());
    ClusterLogtoConnectionSpec clusterSpec = new ClusterLogtoConnectionSpec();
    clusterSpec.setEndpoint(tenant.endpoint().toString());
    ClusterCredentialsSecretRef clusterSecret = new ClusterCredentialsSecretRef();
    clusterSecret.setName(shared + "-credentials");
    clusterSpec.setCredentialsSecretRef(clusterSecret);
    CaBundleRef ca = new CaBundleRef();
    ca.setConfigMapName(shared + "-ca");
    ca.setKey("ca.crt");
    clusterSpec.setCaBundle(ca);
    AllowedNamespaces allowed = new AllowedNamespaces();
    allowed.setSelector(new LabelSelectorBuilder().addToMatchLabels("logto-tenant", shared)
        .build());
    clusterSpec.setAllowedNamespaces(allowed);
    cluster.setSpec(clusterSpec);
    admin.resource(cluster).create();
    awaitConnected(ClusterLogtoConnection.class, null, shared);
    create("shared-api", "https://shared.tenant2.api",
        new ConnectionRef(ConnectionRef.Kind.ClusterLogtoConnection, shared));
    awaitReady(admin, LogtoApiResource.class, namespace, "shared-api", "Synced");
    return cluster;
  }

  private void credentials(String ns, String name, LogtoSimulator tenant) {
    admin.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns)
        .endMetadata().addToStringData("appId", tenant.bootstrapAppId())
        .addToStringData("appSecret", tenant.bootstrapAppSecret()).build()).create();
  }

  private void create(String name, String indicator, ConnectionRef ref) {
    LogtoApiResource resource = OperatorHarness.apiResource(name, indicator, "read");
    resource.getMetadata().setNamespace(namespace);
    resource.getSpec().setConnectionRef(ref);
    admin.resource(resource).create();
  }

  private <T extends CustomResource<?, LogtoConnectionStatus>> void awaitConnected(
      Class<T> kind, String ns, String name) {
    await().atMost(ClusterObjects.WAIT).pollInterval(Duration.ofMillis(100))
        .alias(kind.getSimpleName() + " " + name + " Connected")
        .until(() -> {
          T current = ClusterObjects.named(admin, kind, ns, name).get();
          return current != null && current.getStatus() != null
              && Conditions.find(current.getStatus().getConditions(), Conditions.READY)
                  .filter(c -> "Connected".equals(c.getReason())).isPresent();
        });
  }
}
