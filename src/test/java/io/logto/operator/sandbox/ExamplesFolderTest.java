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
  void anUnknownKindIsRefusedByNameAndTheRestOfTheFileIsApplied() throws Exception {
    Path file = dir.resolve("shop.yaml");
    Files.writeString(file, API + "---\napiVersion: m2m.logto.io/v1alpha1\nkind: LogtoApp\n"
        + "metadata:\n  name: typo\nspec: {}\n");
    ExamplesFolder folder = new ExamplesFolder(dir, k8s);

    ExamplesFolder.SyncResult result = folder.sync();

    assertThat(actions(result)).containsExactly("CREATED LogtoApiResource shop");
    assertThat(result.rejected()).singleElement().satisfies(r -> {
      assertThat(r.file()).isEqualTo(file.toString());
      assertThat(r.kind()).isEqualTo("LogtoApp");
      assertThat(r.name()).isEqualTo("typo");
      assertThat(r.message()).contains("no matches for kind \"LogtoApp\" in version"
          + " \"m2m.logto.io/v1alpha1\"");
    });
    assertThat(folder.rejected()).hasSize(1);
    // Reported once: an unchanged file is not read again.
    assertThat(folder.sync().rejected()).isEmpty();
    assertThat(folder.rejected()).hasSize(1);
    k8s.resources(LogtoApiResource.class).inNamespace("team-a").withName("shop").delete();
  }

  @Test
  void aYamlSyntaxErrorRefusesThatFileOnlyAndItsLastGoodVersionStays() throws Exception {
    Path broken = dir.resolve("a-broken.yaml");
    Files.writeString(broken, API);
    Files.writeString(dir.resolve("b-role.yaml"), ROLE);
    ExamplesFolder folder = new ExamplesFolder(dir, k8s);
    folder.sync();

    Files.writeString(broken, API.replace("  scopes:", "  scopes: [unclosed\n  more:"));
    Files.writeString(dir.resolve("c-other.yaml"), API.replace("name: shop", "name: other"));
    ExamplesFolder.SyncResult result = folder.sync();

    assertThat(actions(result)).containsExactly("CREATED LogtoApiResource other");
    assertThat(result.rejected()).singleElement().satisfies(r -> {
      assertThat(r.file()).isEqualTo(broken.toString());
      assertThat(r.kind()).isNull();
      assertThat(r.message()).isEqualTo(broken + ":9:7: not valid YAML: expected ',' or ']',"
          + " but got : (while parsing a flow sequence started at 8:11) (its objects stay as last"
          + " applied)");
    });
    assertThat(shop()).isNotNull();
    assertThat(folder.objects()).extracting(ObjectKey::name)
        .containsExactlyInAnyOrder("shop", "other", "reader");

    Files.writeString(broken, API);
    assertThat(folder.sync().rejected()).isEmpty();
    assertThat(folder.rejected()).isEmpty();
    for (String name : List.of("shop", "other")) {
      k8s.resources(LogtoApiResource.class).inNamespace("team-a").withName(name).delete();
    }
    k8s.resources(LogtoRole.class).inNamespace("team-a").withName("reader").delete();
  }

  /**
   * As {@code kubectl apply -f}: the documents before a broken one are applied; the broken one
   * and those after it are refused, each counted.
   */
  @Test
  void theDocumentsBeforeAYamlErrorAreAppliedAndEachDocumentFromItOnIsRefused()
      throws Exception {
    Path file = dir.resolve("three.yaml");
    Files.writeString(file, API + "---\n" + API.replace("name: shop", "name: broken")
        .replace("  scopes:", "  scopes: [unclosed\n  more:") + "---\n"
        + API.replace("name: shop", "name: after"));
    ExamplesFolder folder = new ExamplesFolder(dir, k8s);

    ExamplesFolder.SyncResult result = folder.sync();

    assertThat(actions(result)).containsExactly("CREATED LogtoApiResource shop");
    assertThat(result.rejected()).hasSize(2);
    assertThat(result.rejected().get(0).message()).startsWith(file + ":19:7: not valid YAML: ");
    assertThat(result.rejected().get(1).message()).isEqualTo("a document after the YAML error"
        + " at " + file + ":19:7: not read");
    assertThat(folder.rejected()).as("what the sandbox counts as refused").hasSize(2);
    assertThat(k8s.resources(LogtoApiResource.class).inNamespace("team-a").withName("after")
        .get()).isNull();
    k8s.resources(LogtoApiResource.class).inNamespace("team-a").withName("shop").delete();
  }

  @Test
  void aDocumentWithAValueOfTheWrongTypeIsRefusedAloneNamingWhere() throws Exception {
    Path file = dir.resolve("shop.yaml");
    Files.writeString(file, API + """
        ---
        apiVersion: m2m.logto.io/v1alpha1
        kind: LogtoApiResource
        metadata: shop-two
        ---
        apiVersion: m2m.logto.io/v1alpha1
        kind: LogtoApiResource
        metadata:
          name: shop-three
          labels: [team-a]
        """);
    ExamplesFolder folder = new ExamplesFolder(dir, k8s);

    ExamplesFolder.SyncResult result = folder.sync();

    assertThat(actions(result)).containsExactly("CREATED LogtoApiResource shop");
    assertThat(result.rejected()).extracting(Rejection::message).containsExactly(
        "error validating data: metadata: expected a mapping",
        "error validating data: metadata.labels: expected a mapping");
    k8s.resources(LogtoApiResource.class).inNamespace("team-a").withName("shop").delete();
  }

  @Test
  void aYamlErrorNamesTheFileAsGivenWithItsLineAndColumn() throws Exception {
    Path relative = Path.of("").toAbsolutePath().relativize(dir);
    Path file = relative.resolve("roles.yaml");
    // Line 12 starts a list where spec's mapping goes on.
    Files.writeString(file, ROLE + "  - stray\n");
    ExamplesFolder folder = new ExamplesFolder(relative, k8s);

    ExamplesFolder.SyncResult result = folder.sync();

    assertThat(result.rejected()).singleElement().satisfies(r -> {
      assertThat(r.file()).isEqualTo(file.toString()).doesNotStartWith("/");
      assertThat(r.message()).startsWith(file + ":12:3: not valid YAML: ");
      assertThat(r.toString()).startsWith("refused " + file + ":12:3: not valid YAML: ");
    });
  }

  @Test
  void aBrokenFileIsReportedOnceWhileItStaysBrokenAndOnceWhenFixed() throws Exception {
    Path file = dir.resolve("shop.yaml");
    Files.writeString(file, API);
    ExamplesFolder folder = new ExamplesFolder(dir, k8s);
    folder.sync();
    String broken = API.replace("  scopes:", "  scopes: [unclosed\n  more:");

    Files.writeString(file, broken);
    assertThat(folder.sync().rejected()).singleElement().extracting(Rejection::message)
        .asString().startsWith(file + ":9:7: ");
    // Polls, a save of the same text, and an edit that leaves the same error say nothing new.
    assertThat(folder.sync().rejected()).isEmpty();
    Files.writeString(file, broken);
    assertThat(folder.sync().rejected()).isEmpty();
    Files.writeString(file, broken + "# still broken\n");
    assertThat(folder.sync().rejected()).isEmpty();
    assertThat(folder.rejected()).singleElement().extracting(Rejection::message)
        .asString().startsWith(file + ":9:7: ");

    Files.writeString(file, API.replace("  scopes:", "  scopes: [unclosed"));
    assertThat(folder.sync().rejected()).singleElement().extracting(Rejection::message)
        .asString().startsWith(file + ":9:11: ");

    Files.writeString(file, API);
    ExamplesFolder.SyncResult fixed = folder.sync();
    assertThat(fixed.repaired()).containsExactly(file);
    assertThat(fixed.rejected()).isEmpty();
    assertThat(fixed.changedAnything()).isFalse();
    assertThat(folder.rejected()).isEmpty();
    ExamplesFolder.SyncResult after = folder.sync();
    assertThat(after.repaired()).isEmpty();
    assertThat(after.rejected()).isEmpty();
    k8s.resources(LogtoApiResource.class).inNamespace("team-a").withName("shop").delete();
  }

  @Test
  void aDocumentTheCrdRefusesIsReportedAsKubectlDoesAndTheOthersApplied() throws Exception {
    Files.writeString(dir.resolve("shop.yaml"), API);
    Path apps = dir.resolve("apps.yaml");
    Files.writeString(apps, """
        apiVersion: m2m.logto.io/v1alpha1
        kind: LogtoM2MApp
        metadata:
          name: wrong-policy
          namespace: team-a
        spec:
          deletionPolicy: Sometimes
        ---
        apiVersion: m2m.logto.io/v1alpha1
        kind: LogtoM2MApp
        metadata:
          name: fine
          namespace: team-a
        spec:
          deletionPolicy: Retain
        """);
    ExamplesFolder folder = new ExamplesFolder(dir, k8s);

    ExamplesFolder.SyncResult result = folder.sync();

    assertThat(actions(result)).containsExactly("CREATED LogtoApiResource shop",
        "CREATED LogtoM2MApp fine");
    assertThat(result.rejected()).singleElement().satisfies(r -> {
      assertThat(r).isEqualTo(new Rejection(apps.toString(), "LogtoM2MApp", "team-a",
          "wrong-policy", r.message()));
      assertThat(r.message()).startsWith("The LogtoM2MApp \"wrong-policy\" is invalid:\n"
          + "* spec.deletionPolicy: Unsupported value: \"Sometimes\": supported values:"
          + " \"Delete\", \"Retain\"\n* <nil>: ");
      assertThat(r.toString()).startsWith("refused LogtoM2MApp team-a/wrong-policy (apps.yaml):"
          + " The LogtoM2MApp");
    });
    assertThat(folder.objects()).extracting(ObjectKey::name).containsExactly("shop", "fine");
    k8s.resources(LogtoApiResource.class).inNamespace("team-a").withName("shop").delete();
    k8s.resources(io.logto.operator.crd.app.LogtoM2MApp.class).inNamespace("team-a")
        .withName("fine").delete();
  }

  @Test
  void anEditChangingTheImmutableIndicatorIsRefusedAndTheLastAdmittedSpecKept()
      throws Exception {
    Path file = dir.resolve("shop.yaml");
    Files.writeString(file, API);
    ExamplesFolder folder = new ExamplesFolder(dir, k8s);
    folder.sync();

    Files.writeString(file, API.replace("https://shop.example", "https://moved.example")
        .replace("    - name: read\n", "    - name: read\n    - name: write\n"));
    ExamplesFolder.SyncResult edited = folder.sync();

    assertThat(edited.changes()).isEmpty();
    assertThat(edited.rejected()).singleElement().extracting(Rejection::message)
        .isEqualTo("The LogtoApiResource \"shop\" is invalid: spec.indicator: Invalid value:"
            + " \"string\": indicator is immutable");
    assertThat(shop().getSpec().getIndicator()).isEqualTo("https://shop.example");
    assertThat(shop().getSpec().getScopes()).extracting(ApiScope::getName).containsExactly("read");
    assertThat(shop().getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(folder.objects()).extracting(ObjectKey::name).containsExactly("shop");
    k8s.resources(LogtoApiResource.class).inNamespace("team-a").withName("shop").delete();
  }

  @Test
  void namespacesInReadsTheDocumentsWithoutApplyingThem() throws Exception {
    Files.writeString(dir.resolve("api.yaml"), API);
    Files.writeString(dir.resolve("bare.yaml"), API.replace("  namespace: team-a\n", "")
        .replace("name: shop", "name: bare"));
    Files.writeString(dir.resolve("broken.yaml"), "kind: [unclosed");
    Files.writeString(dir.resolve("other.yml"), ROLE.replace("team-a", "team-b"));

    assertThat(ExamplesFolder.namespacesIn(dir)).containsExactly("default", "team-a", "team-b");
    assertThat(k8s.resources(LogtoApiResource.class).inNamespace("default").withName("bare")
        .get()).isNull();
  }
}
