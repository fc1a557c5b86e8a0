package io.logto.operator.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.logto.operator.crd.apiresource.ApiScope;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.sandbox.ExamplesFolder.Action;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExamplesFolderTest {

  private static EmbeddedKubernetes kubernetes;
  private static KubernetesClient k8s;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    kubernetes = EmbeddedKubernetes.start();
    k8s = kubernetes.client();
  }

  @AfterAll
  static void stop() {
    kubernetes.close();
  }

  private static final String API = """
      apiVersion: m2m.logto.io/v1alpha1
      kind: LogtoApiResource
      metadata:
        name: shop
        namespace: team-a
      spec:
        indicator: https://shop.example
        scopes:
          - name: read
      """;

  private static final String ROLE = """
      apiVersion: m2m.logto.io/v1alpha1
      kind: LogtoRole
      metadata:
        name: reader
        namespace: team-a
      spec:
        description: Reads
        permissions:
          - resourceRef:
              name: shop
            scopes: [read]
      """;

  private LogtoApiResource shop() {
    return k8s.resources(LogtoApiResource.class).inNamespace("team-a").withName("shop").get();
  }

  private LogtoRole reader() {
    return k8s.resources(LogtoRole.class).inNamespace("team-a").withName("reader").get();
  }

  private static List<String> actions(ExamplesFolder.SyncResult result) {
    return result.changes().stream()
        .map(c -> c.action() + " " + c.key().kind() + " " + c.key().name()).toList();
  }

  @Test
  void appliesNewFilesDependenciesFirstAndLeavesUnchangedFilesAlone() throws Exception {
    Files.writeString(dir.resolve("a-role.yaml"), ROLE);
    Files.writeString(dir.resolve("b-api.yaml"), API);
    ExamplesFolder folder = new ExamplesFolder(dir, k8s);

    ExamplesFolder.SyncResult first = folder.sync();

    assertThat(first.errors()).isEmpty();
    assertThat(actions(first))
        .containsExactly("CREATED LogtoApiResource shop", "CREATED LogtoRole reader");
    assertThat(folder.sync().changes()).isEmpty();
    Files.writeString(dir.resolve("b-api.yaml"), API);
    assertThat(folder.sync().changedAnything()).isFalse();
    k8s.resources(LogtoRole.class).inNamespace("team-a").withName("reader").delete();
    k8s.resources(LogtoApiResource.class).inNamespace("team-a").withName("shop").delete();
  }

  @Test
  void anEditedFileUpdatesTheSpecKeepingFinalizersAndDropsWhatItNoLongerDeclares()
      throws Exception {
    Path file = dir.resolve("shop.yaml");
    Files.writeString(file, API + "---\n" + ROLE);
    ExamplesFolder folder = new ExamplesFolder(dir, k8s);
    folder.sync();
    // As the operator would, once it has seen the objects.
    k8s.resources(LogtoApiResource.class).inNamespace("team-a").withName("shop")
        .edit(r -> {
          r.getMetadata().getFinalizers().add("m2m.logto.io/finalizer");
          return r;
        });

    Files.writeString(file, API.replace("    - name: read\n",
        "    - name: read\n    - name: write\n"));
    ExamplesFolder.SyncResult edited = folder.sync();

    assertThat(actions(edited))
        .containsExactly("UPDATED LogtoApiResource shop", "DELETED LogtoRole reader");
    assertThat(shop().getSpec().getScopes()).extracting(ApiScope::getName)
        .containsExactly("read", "write");
    assertThat(shop().getMetadata().getFinalizers()).containsExactly("m2m.logto.io/finalizer");
    assertThat(shop().getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(reader()).isNull();

    Files.delete(file);
    ExamplesFolder.SyncResult removed = folder.sync();

    assertThat(actions(removed)).containsExactly("DELETED LogtoApiResource shop");
    assertThat(removed.changes().get(0).file()).isEqualTo(file);
    // Deletion waits for the finalizer, as with a real API server.
    assertThat(shop().getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(folder.objects()).isEmpty();
    k8s.resources(LogtoApiResource.class).inNamespace("team-a").withName("shop")
        .edit(r -> {
          r.getMetadata().getFinalizers().clear();
          return r;
        });
  }

  @Test
  void aBrokenEditIsReportedAndTheLastGoodVersionStays() throws Exception {
    Path file = dir.resolve("shop.yaml");
    Files.writeString(file, API);
    ExamplesFolder folder = new ExamplesFolder(dir, k8s);
    folder.sync();

    Files.writeString(file, API + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
    ExamplesFolder.SyncResult broken = folder.sync();

    assertThat(broken.changes()).isEmpty();
    assertThat(broken.errors()).singleElement().asString()
        .contains("shop.yaml", "ConfigMap", "not a kind of this operator");
    assertThat(shop()).isNotNull();
    assertThat(ExamplesFolder.check(dir)).hasSize(1);
    k8s.resources(LogtoApiResource.class).inNamespace("team-a").withName("shop").delete();
  }
}
