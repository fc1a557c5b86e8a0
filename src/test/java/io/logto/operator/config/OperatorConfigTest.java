package io.logto.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorConfigTest {

  private static Map<String, String> minimal() {
    Map<String, String> env = new HashMap<>();
    env.put("LOGTO_ENDPOINT", "https://acme.logto.app/");
    env.put("LOGTO_APP_ID", "op-app");
    env.put("LOGTO_APP_SECRET", "op-secret");
    return env;
  }

  @Test
  void defaultsToTheSelfHostedManagementApiAndSaneSettings() {
    OperatorConfig config = OperatorConfig.fromEnvironment(minimal());
    assertThat(config.logto().endpoint().toString()).isEqualTo("https://acme.logto.app");
    assertThat(config.logto().managementApiResource()).isEqualTo("https://default.logto.app/api");
    assertThat(config.watchNamespaces()).isEmpty();
    assertThat(config.privilegedNamespaces()).isEmpty();
    assertThat(config.resyncInterval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.clientOptions().maxConcurrentCalls()).isEqualTo(16);
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.toString()).doesNotContain("op-secret");
  }

  @Test
  void tenantIdAndExplicitIndicatorChooseTheManagementApi() {
    Map<String, String> env = minimal();
    env.put("LOGTO_TENANT_ID", "acme");
    assertThat(OperatorConfig.fromEnvironment(env).logto().managementApiResource())
        .isEqualTo("https://acme.logto.app/api");
    env.put("LOGTO_MANAGEMENT_API_RESOURCE", "https://custom.example/api");
    assertThat(OperatorConfig.fromEnvironment(env).logto().managementApiResource())
        .isEqualTo("https://custom.example/api");
  }

  @Test
  void credentialsCanComeFromMountedFiles(@TempDir Path dir) throws Exception {
    Map<String, String> env = minimal();
    env.remove("LOGTO_APP_ID");
    env.remove("LOGTO_APP_SECRET");
    Files.writeString(dir.resolve("id"), "file-app\n");
    Files.writeString(dir.resolve("secret"), "file-secret\n");
    env.put("LOGTO_APP_ID_FILE", dir.resolve("id").toString());
    env.put("LOGTO_APP_SECRET_FILE", dir.resolve("secret").toString());
    OperatorConfig config = OperatorConfig.fromEnvironment(env);
    assertThat(config.logto().appId()).isEqualTo("file-app");
    assertThat(config.logto().appSecret()).isEqualTo("file-secret");
  }

  @Test
  void namespaceListsAreTrimmedAndSplit() {
    Map<String, String> env = minimal();
    env.put("WATCH_NAMESPACES", " team-a, team-b ,");
    env.put("PRIVILEGED_NAMESPACES", "platform");
    OperatorConfig config = OperatorConfig.fromEnvironment(env);
    assertThat(config.watchNamespaces()).containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(config.privilegedNamespaces()).containsExactly("platform");
  }

  @Test
  void everyProblemIsListedAtOnce() {
    Map<String, String> env = new HashMap<>();
    env.put("LOGTO_ENDPOINT", "ftp://nope");
    env.put("RESYNC_INTERVAL_SECONDS", "soon");
    env.put("LOG_LEVEL", "LOUD");
    env.put("LOGTO_APP_SECRET_FILE", "/does/not/exist");
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(env))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(5))
        .hasMessageContaining("LOGTO_ENDPOINT must be an absolute http")
        .hasMessageContaining("LOGTO_APP_ID (or LOGTO_APP_ID_FILE) is required")
        .hasMessageContaining("LOGTO_APP_SECRET_FILE: cannot read /does/not/exist")
        .hasMessageContaining("RESYNC_INTERVAL_SECONDS must be a positive whole number")
        .hasMessageContaining("LOG_LEVEL must be one of");
  }

  @Test
  void clusterConnectionsAreServedUnlessTurnedOff() {
    Map<String, String> env = minimal();
    assertThat(OperatorConfig.fromEnvironment(env).clusterConnections()).isTrue();
    env.put("CLUSTER_CONNECTIONS_ENABLED", "False");
    assertThat(OperatorConfig.fromEnvironment(env).clusterConnections()).isFalse();
    env.put("CLUSTER_CONNECTIONS_ENABLED", "no");
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(env))
        .hasMessageContaining("CLUSTER_CONNECTIONS_ENABLED must be true or false, got no");
  }
}
