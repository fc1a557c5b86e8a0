package io.logto.operator.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The Argo CD health check argocd/health.lua, run with luaj on objects shaped like the operator's
 * status, as Argo CD runs it (the live object as the global obj; the script returns a table).
 */
class ArgoCdHealthTest {

  static final Path HEALTH = Project.path("argocd/health.lua");

  record Health(String status, String message) {}

  static Health run(String objectYaml) {
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", toLua(Project.yamlDocuments(objectYaml).get(0)));
    LuaValue hs = globals.load(Project.read(HEALTH), "health.lua").call();
    assertThat(hs.istable()).as("script returns a table").isTrue();
    LuaValue message = hs.get("message");
    return new Health(hs.get("status").tojstring(), message.isnil() ? null : message.tojstring());
  }

  /** JSON to Lua as Argo CD converts it: objects and arrays to tables, numbers to numbers. */
  static LuaValue toLua(JsonNode node) {
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        table.set(field.getKey(), toLua(field.getValue()));
      }
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, toLua(node.get(i)));
      }
      return table;
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.asDouble());
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.asBoolean());
    }
    if (node.isNull()) {
      return LuaValue.NIL;
    }
    return LuaValue.valueOf(node.asText());
  }

  static String object(long generation, String status) {
    return """
        apiVersion: m2m.logto.io/v1alpha1
        kind: LogtoRole
        metadata:
          name: sample
          namespace: default
          generation: %d
        spec: {}
        """.formatted(generation) + (status == null ? "" : "status:\n" + status.indent(2));
  }

  static String ready(long observedGeneration, String status, String reason, String message) {
    return """
        observedGeneration: %d
        conditions:
          - type: Ready
            status: "%s"
            reason: %s
            message: "%s"
            lastTransitionTime: "2025-01-01T00:00:00Z"
            observedGeneration: %d
        """.formatted(observedGeneration, status, reason, message, observedGeneration);
  }

  static Stream<Arguments> samples() {
    return Stream.of(
        Arguments.of("new object, no status yet", object(1, null),
            "Progressing", "Waiting for the operator"),
        Arguments.of("status of an older generation", object(3, ready(2, "True", "Synced", "In sync")),
            "Progressing", "Waiting for the operator"),
        Arguments.of("status without a Ready condition", object(1, "observedGeneration: 1\nconditions: []"),
            "Progressing", "Waiting for the operator"),
        Arguments.of("ready", object(2, ready(2, "True", "Synced", "In sync with Logto")),
            "Healthy", "In sync with Logto"),
        Arguments.of("invalid spec", object(1, ready(1, "False", "InvalidSpec",
                "scope write:products is not a scope of shopping-api")),
            "Degraded", "scope write:products is not a scope of shopping-api"),
        Arguments.of("conflict", object(1, ready(1, "False", "Conflict",
                "a role named shopping exists in Logto and was not created by this object")),
            "Degraded", "a role named shopping exists in Logto and was not created by this object"),
        Arguments.of("forbidden", object(1, ready(1, "False", "Forbidden",
                "namespace default may not grant Management API scopes")),
            "Degraded", "namespace default may not grant Management API scopes"),
        Arguments.of("waiting for a dependency", object(1, ready(1, "False", "WaitingForDependency",
                "LogtoApiResource shopping-api is not Ready")),
            "Progressing", "LogtoApiResource shopping-api is not Ready"),
        Arguments.of("Logto unavailable", object(1, ready(1, "False", "LogtoUnavailable",
                "Logto answered 503; retrying")),
            "Progressing", "Logto answered 503; retrying"),
        Arguments.of("ready unknown", object(1, ready(1, "Unknown", "Reconciling", "Reconciling")),
            "Progressing", "Reconciling"),
        Arguments.of("observedGeneration only on the condition", object(4, """
                conditions:
                  - type: Ready
                    status: "True"
                    reason: Synced
                    message: ok
                    observedGeneration: 4
                """),
            "Healthy", "ok"),
        Arguments.of("Ready decides, not CredentialsVerified", object(1, """
                observedGeneration: 1
                conditions:
                  - type: CredentialsVerified
                    status: "False"
                    reason: InvalidSpec
                    message: token request refused
                  - type: Ready
                    status: "True"
                    reason: Synced
                    message: ok
                """),
            "Healthy", "ok"));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("samples")
  void healthFollowsTheReadyCondition(
      String description, String object, String status, String message) {
    assertThat(run(object)).isEqualTo(new Health(status, message));
  }

  static Stream<Arguments> connectionSamples() {
    return Stream.of("LogtoConnection", "ClusterLogtoConnection").flatMap(kind -> Stream.of(
        Arguments.of(kind, ready(1, "True", "Connected", "obtained a Management API token"),
            "Healthy"),
        Arguments.of(kind, ready(1, "False", "Unauthorized",
            "Logto refused the credentials in Secret logto-operator/tenant-2 (401)"), "Degraded"),
        Arguments.of(kind, ready(1, "False", "Unreachable", "no answer from Logto"),
            "Progressing"),
        Arguments.of(kind, ready(1, "False", "WaitingForDependency",
            "Secret default/tenant-2 does not exist"), "Progressing")));
  }

  @ParameterizedTest(name = "{0}: {2} -> {3}")
  @MethodSource("connectionSamples")
  void aConnectionIsDegradedOnlyWhenItsCredentialsOrSpecAreWrong(
      String kind, String status, String expected) {
    String connection = object(1, status).replace("kind: LogtoRole", "kind: " + kind);
    assertThat(run(connection).status()).isEqualTo(expected);
  }

  /** Argo CD looks a script up by group and kind: every kind of crds/ needs the script. */
  @Test
  void argocdCmPatchEmbedsTheScriptForEveryKindOfTheCrds() {
    JsonNode patch = Project.yamlDocuments(Project.read("argocd/argocd-cm-patch.yaml")).get(0);

    assertThat(patch.at("/kind").asText()).isEqualTo("ConfigMap");
    assertThat(patch.at("/metadata/name").asText()).isEqualTo("argocd-cm");
    Map<String, String> embedded = new TreeMap<>();
    patch.get("data").fields().forEachRemaining(e -> embedded.put(e.getKey(), e.getValue().asText()));
    Map<String, String> expected = new TreeMap<>();
    for (Path crd : Project.list(Project.path("crds"), ".yaml")) {
      JsonNode spec = Project.yamlDocuments(Project.read(crd)).get(0).get("spec");
      expected.put("resource.customizations.health." + spec.get("group").asText() + "_"
          + spec.at("/names/kind").asText(), Project.read(HEALTH));
    }
    assertThat(expected).hasSize(5);
    assertThat(embedded).isEqualTo(expected);
  }
}
