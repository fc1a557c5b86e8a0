package io.logto.operator.e2e;

import static io.logto.operator.e2e.ClusterObjects.awaitReady;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.packaging.Processes;
import io.logto.operator.packaging.Project;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * examples/ driven from Git as Argo CD does it, with kubectl: client-side apply (Argo CD's
 * default) and server-side apply under Argo CD's field manager. The operator writes status and
 * its finalizer with its own updates and patches (server-side apply off, see the README's
 * development section); re-applying the same manifests changes nothing, {@code kubectl diff}
 * shows nothing, and the operator's field manager owns no field of spec.
 */
@ExtendWith(RealCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GitOpsApplyIT {

  private static final Map<Class<? extends CustomResource<?, ?>>, List<String>> EXAMPLES = Map.of(
      LogtoApiResource.class, List.of("shopping-api"),
      LogtoRole.class, List.of("shopping-reader-writer"),
      LogtoM2MApp.class, List.of("order-stats", "tenant-admin"));

  private RealApiServer server;
  private KubernetesClient admin;
  private Kubectl kubectl;

  @BeforeAll
  void connect(RealApiServer realServer) {
    server = realServer;
    admin = server.adminClient();
    kubectl = Kubectl.required(server.kubeconfig());
  }

  @AfterAll
  void disconnect() {
    admin.close();
  }

  @Test
  void clientSideApplyAsArgoCdDoesByDefault() {
    String ns = "e2e-gitops-csa";
    convergesAndStaysInSync(ns, List.of("apply"), List.of("diff"), () -> {});
  }

  @Test
  void serverSideApplyUnderArgoCdsFieldManager() {
    String ns = "e2e-gitops-ssa";
    List<String> apply = List.of("apply", "--server-side", "--field-manager=argocd-controller");
    convergesAndStaysInSync(ns, apply,
        List.of("diff", "--server-side", "--field-manager=argocd-controller"),
        () -> gitOwnsSpecAndChangesStillApply(ns, apply));
  }

  /**
   * {@code kubectl get logto -n team-a} lists the kinds of category logto, and a cluster-scoped one
   * among them whatever {@code -n} says: the category holds what a namespace's team manages.
   */
  @Test
  void getLogtoInANamespaceListsNamespacedKindsOnly() {
    assertThat(resourcesOf("--categories=logto")).containsExactlyInAnyOrder(
        "logtoapiresources.m2m.logto.io", "logtoroles.m2m.logto.io",
        "logtom2mapps.m2m.logto.io", "logtoconnections.m2m.logto.io");
    assertThat(resourcesOf("--categories=logto-connections")).containsExactlyInAnyOrder(
        "logtoconnections.m2m.logto.io", "clusterlogtoconnections.m2m.logto.io");
  }

  private List<String> resourcesOf(String category) {
    Processes.Result result = kubectl.run("api-resources", category, "-o", "name");
    assertSucceeds(result);
    return result.output().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  private void gitOwnsSpecAndChangesStillApply(String ns, List<String> apply) {
    // Only Git's field manager owns spec; the operator owns status and its finalizer.
    for (var kind : EXAMPLES.entrySet()) {
      for (String name : kind.getValue()) {
        List<ManagedFieldsEntry> managers = admin.resources(kind.getKey()).inNamespace(ns)
            .withName(name).get().getMetadata().getManagedFields();
        assertThat(managers).extracting(ManagedFieldsEntry::getManager)
            .contains("argocd-controller");
        assertThat(managers).filteredOn(m -> !m.getManager().equals("argocd-controller"))
            .isNotEmpty()
            .allSatisfy(m -> assertThat(fieldsOwned(m)).as(name + " by " + m.getManager())
                .doesNotContainKey("f:spec"));
      }
    }

    // A change from Git still applies, without a conflict over the operator's fields.
    Path dir = manifestsFor(ns);
    rewrite(dir.resolve("shopping-api.yaml"), "name: Online Shopping", "name: Online Shop");
    assertSucceeds(kubectl.run(with(apply, "-f", dir.toString())));
    LogtoApiResource api = awaitReady(admin, LogtoApiResource.class, ns, "shopping-api",
        "Synced");
    assertThat(api.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(api.getMetadata().getFinalizers()).containsExactly("m2m.logto.io/finalizer");
  }

  private void convergesAndStaysInSync(String ns, List<String> apply, List<String> diff,
      Runnable thenWhileRunning) {
    RealCluster.createNamespaces(admin, ns);
    Path dir = manifestsFor(ns);
    try (InProcessOperator operator = InProcessOperator.start(server, Set.of(ns), Set.of(ns))) {
      assertSucceeds(kubectl.run(with(apply, "-f", dir.toString())));
      EXAMPLES.forEach((kind, names) -> names.forEach(name -> awaitReady(admin, cast(kind), ns,
          name, "Synced")));

      // What the operator wrote is not a difference from Git...
      Processes.Result difference = kubectl.run(with(diff, "-f", dir.toString()));
      assertThat(difference.exitCode()).as(difference.output()).isZero();
      // ...and applying Git again changes nothing: same generation, finalizers and status kept.
      assertSucceeds(kubectl.run(with(apply, "-f", dir.toString())));
      EXAMPLES.forEach((kind, names) -> names.forEach(name -> {
        CustomResource<?, ?> object =
            admin.resources(kind).inNamespace(ns).withName(name).get();
        assertThat(object.getMetadata().getGeneration()).as(name).isEqualTo(1L);
        assertThat(object.getMetadata().getFinalizers()).containsExactly(
            "m2m.logto.io/finalizer");
        assertThat(object.getStatus()).isNotNull();
      }));
      assertThat(operator.simulator.applicationCount()).isEqualTo(2);
      thenWhileRunning.run();
    } finally {
      ClusterObjects.release(admin, List.of(ns), E2eKinds.ALL);
    }
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends CustomResource<?, ? extends
      io.logto.operator.crd.common.LogtoObjectStatus>> cast(Class<?> kind) {
    return (Class<? extends CustomResource<?, ? extends
        io.logto.operator.crd.common.LogtoObjectStatus>>) kind;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> fieldsOwned(ManagedFieldsEntry entry) {
    return entry.getFieldsV1() == null ? Map.of()
        : (Map<String, Object>) (Map<?, ?>) entry.getFieldsV1().getAdditionalProperties();
  }

  /** examples/ with the namespace changed, as a Git folder for {@code ns} would hold them. */
  private static Path manifestsFor(String ns) {
    Path dir = Project.path("target/e2e/gitops/" + ns);
    try {
      Files.createDirectories(dir);
      for (Path file : Project.list(Project.path("examples"), ".yaml")) {
        Files.writeString(dir.resolve(file.getFileName()),
            Project.read(file).replace("namespace: default", "namespace: " + ns));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  private static void rewrite(Path file, String from, String to) {
    try {
      Files.writeString(file, Project.read(file).replace(from, to));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String[] with(List<String> command, String... more) {
    List<String> all = new java.util.ArrayList<>(command);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private static void assertSucceeds(Processes.Result result) {
    assertThat(result.exitCode()).as(result.output()).isZero();
  }
}
