package io.logto.operator.e2e;

import static io.logto.operator.e2e.ClusterObjects.awaitReady;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.common.ConnectionRef;
import io.logto.operator.crd.connection.CredentialsSecretRef;
import io.logto.operator.crd.connection.LogtoConnection;
import io.logto.operator.crd.connection.LogtoConnectionSpec;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.reconciler.OperatorHarness;
import io.logto.operator.reconciler.common.Conditions;
import io.logto.operator.simulator.LogtoSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * An operator restart is invisible in status: the image's jar on a real API server, objects on
 * its own tenant and on a LogtoConnection's, restarted three times while every Ready condition is
 * sampled. None may change (not even for a moment, nor its lastTransitionTime), and no Warning
 * Event may be emitted: Argo CD would show Degraded for each flap.
 */
@ExtendWith(RealCluster.class)
@Execution(ExecutionMode.CONCURRENT)
class RestartIT {

  private static final String NS = "e2e-restart";
  private static final ConnectionRef TENANT_2 =
      new ConnectionRef(ConnectionRef.Kind.LogtoConnection, "tenant-2");
  private static final List<Class<? extends CustomResource<?, ?>>> KINDS =
      List.of(LogtoApiResource.class, LogtoRole.class, LogtoM2MApp.class, LogtoConnection.class);
  private static final Duration SAMPLE = Duration.ofMillis(100);
  /** After the restarted operator is ready: time for every object's first reconcile. */
  private static final Duration SETTLE = Duration.ofSeconds(8);

  @Test
  void aRestartChangesNoReadyConditionAndEmitsNoWarning(RealApiServer server) throws Exception {
    try (LogtoSimulator own = LogtoSimulator.start();
        LogtoSimulator second = LogtoSimulator.start();
        KubernetesClient admin = server.adminClient()) {
      RealCluster.createNamespaces(admin, NS);
      Path work = Files.createDirectories(Path.of("target", "e2e", NS));
      int port = RealApiServer.freePort();
      Map<String, String> env = new HashMap<>(LogtoInstance.of(own).operatorEnvironment());
      env.putAll(OperatorProcess.clusterEnvironment(server, NS, NS, port));
      // Other classes' ClusterLogtoConnections, on the same API server, are not this one's.
      env.put("CLUSTER_CONNECTIONS_ENABLED", "false");
      List<String> logs = new ArrayList<>();
      try {
        OperatorProcess operator = start(env, work, 0, port);
        try {
          createObjects(admin, second);
          for (String name : List.of("own-client", "t2-client")) {
            awaitReady(admin, LogtoM2MApp.class, NS, name, "Synced");
          }
          // Settled: later reconciles (the app's credentials check) are done.
          Thread.sleep(3_000);
          Map<String, Condition> before = readyConditions(admin);
          assertThat(before).hasSize(7);
          Set<String> warningsBefore = warnings(admin);

          List<String> flaps = java.util.Collections.synchronizedList(new ArrayList<>());
          AtomicBoolean sampling = new AtomicBoolean(true);
          Thread sampler = new Thread(() -> {
            while (sampling.get()) {
              Map<String, Condition> now = readyConditions(admin);
              now.forEach((key, condition) -> {
                if (!condition.equals(before.get(key))) {
                  flaps.add(key + " " + condition.getStatus() + " " + condition.getReason()
                      + ": " + condition.getMessage());
                }
              });
              sleep(SAMPLE);
            }
          }, "restart-sampler");
          sampler.start();
          try {
            for (int restart = 1; restart <= 3; restart++) {
              logs.add(operator.output());
              operator.close();
              operator = start(env, work, restart, port);
              Thread.sleep(SETTLE.toMillis());
              assertThat(flaps).as("Ready conditions that changed during restart " + restart)
                  .isEmpty();
              assertThat(readyConditions(admin)).as("after restart " + restart)
                  .isEqualTo(before);
              assertThat(warnings(admin)).as("Warning Events after restart " + restart)
                  .isEqualTo(warningsBefore);
            }
          } finally {
            sampling.set(false);
            sampler.join();
          }
          assertThat(own.applicationCount()).as("own tenant: one app, never recreated")
              .isEqualTo(1);
          assertThat(second.applicationCount()).as("tenant-2: one app, never recreated")
              .isEqualTo(1);
        } catch (AssertionError | RuntimeException e) {
          logs.add(operator.output());
          throw new AssertionError(e.getMessage() + "\noperator log (last run):\n"
              + tail(logs.get(logs.size() - 1)), e);
        } finally {
          operator.close();
        }
      } finally {
        ClusterObjects.release(admin, List.of(NS), KINDS);
      }
    }
  }

  private static OperatorProcess start(Map<String, String> env, Path work, int run, int port) {
    OperatorProcess operator = OperatorProcess.start(env, work.resolve("operator-" + run + ".log"));
    operator.awaitReady(port, Duration.ofSeconds(90));
    return operator;
  }

  /** An API resource, a role and an app on the operator's tenant, and the same on tenant-2. */
  private static void createObjects(KubernetesClient admin, LogtoSimulator second) {
    admin.resource(new SecretBuilder().withNewMetadata().withName("tenant-2-credentials")
        .withNamespace(NS).endMetadata()
        .addToStringData("appId", second.bootstrapAppId())
        .addToStringData("appSecret", second.bootstrapAppSecret()).build()).create();
    LogtoConnection connection = new LogtoConnection();
    connection.setMetadata(new ObjectMetaBuilder().withName("tenant-2").withNamespace(NS)
        .build());
    LogtoConnectionSpec spec = new LogtoConnectionSpec();
    spec.setEndpoint(second.endpoint().toString());
    CredentialsSecretRef secret = new CredentialsSecretRef();
    secret.setName("tenant-2-credentials");
    spec.setCredentialsSecretRef(secret);
    connection.setSpec(spec);
    admin.resource(connection).create();

    for (String prefix : List.of("own", "t2")) {
      ConnectionRef ref = prefix.equals("own") ? null : TENANT_2;
      LogtoApiResource api = OperatorHarness.apiResource(prefix + "-api",
          "https://" + prefix + ".restart.api", "read");
      api.getSpec().setConnectionRef(ref);
      LogtoRole role = OperatorHarness.role(prefix + "-reader",
          OperatorHarness.permission(prefix + "-api", "read"));
      role.getSpec().setConnectionRef(ref);
      LogtoM2MApp app = OperatorHarness.app(prefix + "-client", prefix + "-reader");
      app.getSpec().setConnectionRef(ref);
      for (CustomResource<?, ?> object : List.<CustomResource<?, ?>>of(api, role, app)) {
        object.getMetadata().setNamespace(NS);
        admin.resource(object).create();
      }
    }
  }

  /** The Ready condition of each object of the namespace, connection included. */
  private static Map<String, Condition> readyConditions(KubernetesClient admin) {
    Map<String, Condition> conditions = new TreeMap<>();
    for (Class<? extends CustomResource<?, ?>> kind : KINDS) {
      for (CustomResource<?, ?> object : admin.resources(kind).inNamespace(NS).list()
          .getItems()) {
        List<Condition> all = object.getStatus() instanceof
            io.logto.operator.crd.common.LogtoObjectStatus s ? s.getConditions()
            : object.getStatus() instanceof
                io.logto.operator.crd.connection.LogtoConnectionStatus s ? s.getConditions()
            : List.of();
        Conditions.find(all, Conditions.READY).ifPresent(c -> conditions.put(
            kind.getSimpleName() + "/" + object.getMetadata().getName(), c));
      }
    }
    return conditions;
  }

  /** Every Warning Event of the namespace, with how often it was seen. */
  private static Set<String> warnings(KubernetesClient admin) {
    Set<String> warnings = new TreeSet<>();
    admin.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType()))
        .forEach(e -> warnings.add(e.getInvolvedObject().getName() + " " + e.getReason() + " x"
            + e.getCount() + ": " + e.getMessage()));
    return warnings;
  }

  private static String tail(String text) {
    List<String> lines = text.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }

  private static void sleep(Duration time) {
    try {
      Thread.sleep(time.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
