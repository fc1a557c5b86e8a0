package io.logto.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.logto.operator.crd.apiresource.ApiScope;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.app.AppRoleAssignment;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.common.ConnectionRef;
import io.logto.operator.crd.common.WithConnection;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.crd.role.RolePermission;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every file in examples/ and its sub-folders is a valid object of the three kinds, and its
 * references resolve within its folder (each folder is applied on its own, as the sandbox's
 * --examples DIR does) and within one connection.
 */
class ExamplesTest {

  static final Path EXAMPLES = Project.path("examples");
  /** What {@code sandbox --tenants N} provides: ClusterLogtoConnections tenant-2 to tenant-N. */
  static final String SANDBOX_CONNECTION = "tenant-[2-9]";
  static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
      "LogtoApiResource", LogtoApiResource.class,
      "LogtoRole", LogtoRole.class,
      "LogtoM2MApp", LogtoM2MApp.class);
  static final Map<String, String> PLURALS = Map.of(
      "LogtoApiResource", "logtoapiresources",
      "LogtoRole", "logtoroles",
      "LogtoM2MApp", "logtom2mapps");

  record Example(Path file, JsonNode tree) {
    String kind() {
      return tree.path("kind").asText();
    }

    @Override
    public String toString() {
      return EXAMPLES.relativize(file) + " " + kind() + "/" + tree.at("/metadata/name").asText();
    }
  }

  /** examples/ and each folder in it: sets of manifests applied on their own. */
  static List<Path> folders() {
    List<Path> folders = new ArrayList<>(List.of(EXAMPLES));
    try (Stream<Path> entries = java.nio.file.Files.list(EXAMPLES)) {
      entries.filter(java.nio.file.Files::isDirectory).sorted().forEach(folders::add);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return folders;
  }

  static List<Example> examples() {
    return folders().stream().flatMap(folder -> examples(folder).stream()).toList();
  }

  static List<Example> examples(Path folder) {
    List<Example> examples = new ArrayList<>();
    for (Path file : Project.list(folder, ".yaml")) {
      for (JsonNode tree : Project.yamlDocuments(Project.read(file))) {
        examples.add(new Example(file, tree));
      }
    }
    return examples;
  }

  static List<HasMetadata> objects(Path folder) {
    return examples(folder).stream().map(ExamplesTest::typed).toList();
  }

  static HasMetadata typed(Example example) {
    Class<? extends HasMetadata> type = KINDS.get(example.kind());
    assertThat(type).as("%s: kind", example).isNotNull();
    return Serialization.unmarshal(example.tree().toString(), type);
  }

  /** Schema errors of an object against the CRD the build generated for its kind. */
  static List<String> schemaErrors(JsonNode tree) {
    String plural = PLURALS.get(tree.path("kind").asText());
    if (plural == null) {
      return List.of("kind " + tree.path("kind") + " is not one of " + KINDS.keySet());
    }
    List<String> errors = new ArrayList<>();
    if (!tree.path("apiVersion").asText().equals("m2m.logto.io/v1alpha1")) {
      errors.add("apiVersion " + tree.path("apiVersion") + " is not m2m.logto.io/v1alpha1");
    }
    String name = tree.at("/metadata/name").asText();
    if (!name.matches("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$") || name.length() > 253) {
      errors.add("metadata.name \"" + name + "\" is not a DNS subdomain");
    }
    tree.fieldNames().forEachRemaining(field -> {
      if (!List.of("apiVersion", "kind", "metadata", "spec").contains(field)) {
        errors.add(field + ": unexpected top-level field in a manifest");
      }
    });
    errors.addAll(SchemaValidator.validate(tree.path("spec"), Crds.spec(Crds.generated(plural)),
        "spec"));
    return errors;
  }

  static Stream<Example> eachExample() {
    return examples().stream();
  }

  @Test
  void examplesCoverEveryKind() {
    assertThat(examples(EXAMPLES)).extracting(Example::kind)
        .containsAll(KINDS.keySet());
    assertThat(Project.list(EXAMPLES, ".yaml")).extracting(p -> p.getFileName().toString())
        .contains("shopping-api.yaml", "shopping-role.yaml", "shopping-app.yaml",
            "management-app.yaml");
    assertThat(folders()).contains(EXAMPLES.resolve("two-tenants"));
  }

  /** The default folder must run on the operator's own connection alone. */
  @Test
  void theDefaultFolderNamesNoConnection() {
    assertThat(objects(EXAMPLES)).allSatisfy(o ->
        assertThat(connectionRef(o)).as(o.getMetadata().getName()).isNull());
  }

  /**
   * A folder whose objects name a connection names one the sandbox creates (so {@code sandbox
   * --tenants N --examples DIR} converges), says so in the file, and also shows objects of the
   * operator's own connection beside them.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("folders")
  void connectionsNamedAreOnesTheSandboxCreatesAndAreExplained(Path folder) {
    List<HasMetadata> objects = objects(folder);
    for (Example example : examples(folder)) {
      ConnectionRef ref = connectionRef(typed(example));
      if (ref != null) {
        assertThat(ref.getKind()).as(example.toString())
            .isEqualTo(ConnectionRef.Kind.ClusterLogtoConnection);
        assertThat(ref.getName()).as(example.toString()).matches(SANDBOX_CONNECTION);
        assertThat(Project.read(example.file())).as(example.toString())
            .contains("--tenants", "kind: ClusterLogtoConnection", "allowedNamespaces");
      }
    }
    if (objects.stream().anyMatch(o -> connectionRef(o) != null)) {
      assertThat(objects).as("objects of the operator's own connection in " + folder)
          .anySatisfy(o -> assertThat(connectionRef(o)).isNull());
    }
  }

  /** The operator refuses a reference to an object of another connection (InvalidSpec). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("folders")
  void referencesStayWithinOneConnection(Path folder) {
    List<HasMetadata> objects = objects(folder);
    for (LogtoRole role : ofKind(objects, LogtoRole.class)) {
      for (RolePermission permission : role.getSpec().getPermissions()) {
        if (permission.getResourceRef() != null) {
          find(objects, LogtoApiResource.class, namespace(role),
              permission.getResourceRef().getName()).ifPresent(resource ->
              assertThat(connectionRef(resource)).as("connection of %s and of %s",
                  role.getMetadata().getName(), resource.getMetadata().getName())
                  .isEqualTo(connectionRef(role)));
        }
      }
    }
    for (LogtoM2MApp app : ofKind(objects, LogtoM2MApp.class)) {
      for (AppRoleAssignment assignment : app.getSpec().getRoles()) {
        if (assignment.getRoleRef() != null) {
          find(objects, LogtoRole.class, namespace(app), assignment.getRoleRef().getName())
              .ifPresent(role -> assertThat(connectionRef(role)).as("connection of %s and of %s",
                  app.getMetadata().getName(), role.getMetadata().getName())
                  .isEqualTo(connectionRef(app)));
        }
      }
    }
  }

  private static ConnectionRef connectionRef(HasMetadata object) {
    return object instanceof io.fabric8.kubernetes.client.CustomResource<?, ?> resource
        && resource.getSpec() instanceof WithConnection spec ? spec.getConnectionRef() : null;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("eachExample")
  void exampleIsValidAgainstItsCrd(Example example) {
    assertThat(schemaErrors(example.tree())).as(example.toString()).isEmpty();
    HasMetadata object = typed(example);
    assertThat(object.getMetadata().getNamespace()).isIn(null, "default");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("folders")
  void namesAreUniquePerKindAndNamespace(Path folder) {
    List<String> keys = objects(folder).stream()
        .map(o -> o.getKind() + "/" + namespace(o) + "/" + o.getMetadata().getName())
        .toList();
    assertThat(keys).doesNotHaveDuplicates();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("folders")
  void roleReferencesResolveToApiResourcesAndTheirScopes(Path folder) {
    List<HasMetadata> objects = objects(folder);
    List<LogtoRole> roles = ofKind(objects, LogtoRole.class);
    assertThat(roles).isNotEmpty();

    for (LogtoRole role : roles) {
      for (RolePermission permission : role.getSpec().getPermissions()) {
        if (permission.getResourceRef() == null) {
          continue;
        }
        LogtoApiResource resource = find(objects, LogtoApiResource.class, namespace(role),
            permission.getResourceRef().getName())
            .orElseThrow(() -> new AssertionError(role.getMetadata().getName()
                + " refers to a LogtoApiResource " + permission.getResourceRef().getName()
                + " that no example declares"));
        assertThat(resource.getSpec().getScopes()).extracting(ApiScope::getName)
            .as("scopes of %s", resource.getMetadata().getName())
            .containsAll(permission.getScopes());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("folders")
  void appReferencesResolveToRoles(Path folder) {
    List<HasMetadata> objects = objects(folder);
    List<LogtoM2MApp> apps = ofKind(objects, LogtoM2MApp.class);
    assertThat(apps).isNotEmpty();

    for (LogtoM2MApp app : apps) {
      for (AppRoleAssignment assignment : app.getSpec().getRoles()) {
        if (assignment.getRoleRef() != null) {
          assertThat(find(objects, LogtoRole.class, namespace(app),
              assignment.getRoleRef().getName()))
              .as("%s roleRef %s", app.getMetadata().getName(), assignment.getRoleRef().getName())
              .isPresent();
        }
      }
    }
  }

  /** An example that needs the privileged allowlist says so, or users copy it and get Forbidden. */
  @Test
  void privilegedExamplesExplainTheAllowlist() {
    for (Example example : examples()) {
      boolean privileged = example.tree().at("/spec/roles").findValue("logtoRoleName") != null
          || example.tree().at("/spec/permissions").findValue("indicator") != null;
      if (privileged) {
        assertThat(Project.read(example.file())).as(example.toString())
            .contains("PRIVILEGED_NAMESPACES", "privilegedNamespaces");
      }
    }
    assertThat(examples()).anySatisfy(e -> assertThat(
        e.tree().at("/spec/roles/0/logtoRoleName").asText())
        .isEqualTo("Logto Management API access"));
  }

  /** The validator would catch what a real API server rejects, so the test above can fail. */
  @ParameterizedTest
  @ValueSource(strings = {
      // both resourceRef and indicator
      """
      apiVersion: m2m.logto.io/v1alpha1
      kind: LogtoRole
      metadata: {name: r}
      spec:
        permissions:
          - resourceRef: {name: shopping-api}
            indicator: https://shopping.api
            scopes: [read:products]
      """,
      // a misspelt field, silently dropped by a real server
      """
      apiVersion: m2m.logto.io/v1alpha1
      kind: LogtoM2MApp
      metadata: {name: a}
      spec:
        roles:
          - roleRefs: {name: shopping-reader-writer}
      """,
      // not an http(s) indicator
      """
      apiVersion: m2m.logto.io/v1alpha1
      kind: LogtoApiResource
      metadata: {name: api}
      spec:
        indicator: shopping.api
      """,
      // deletionPolicy outside the enum
      """
      apiVersion: m2m.logto.io/v1alpha1
      kind: LogtoApiResource
      metadata: {name: api}
      spec:
        indicator: https://shopping.api
        deletionPolicy: Orphan
      """,
      // a scope name with whitespace
      """
      apiVersion: m2m.logto.io/v1alpha1
      kind: LogtoApiResource
      metadata: {name: api}
      spec:
        indicator: https://shopping.api
        scopes: [{name: read products}]
      """})
  void schemaCheckRejectsInvalidObjects(String yaml) {
    assertThat(schemaErrors(Project.yamlDocuments(yaml).get(0))).isNotEmpty();
  }

  private static String namespace(HasMetadata object) {
    return Objects.requireNonNullElse(object.getMetadata().getNamespace(), "default");
  }

  private static <T extends HasMetadata> List<T> ofKind(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static <T extends HasMetadata> Optional<T> find(
      List<HasMetadata> objects, Class<T> type, String namespace, String name) {
    return ofKind(objects, type).stream()
        .filter(o -> namespace(o).equals(namespace) && o.getMetadata().getName().equals(name))
        .findFirst();
  }
}
