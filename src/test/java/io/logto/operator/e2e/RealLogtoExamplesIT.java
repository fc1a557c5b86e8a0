package io.logto.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.logto.operator.crd.apiresource.ApiScope;
import io.logto.operator.crd.apiresource.LogtoApiResource;
import io.logto.operator.crd.app.AppRoleAssignment;
import io.logto.operator.crd.app.LogtoM2MApp;
import io.logto.operator.crd.role.LogtoRole;
import io.logto.operator.crd.role.RolePermission;
import io.logto.operator.logto.LogtoClient;
import io.logto.operator.logto.LogtoException;
import io.logto.operator.logto.model.ApiResource;
import io.logto.operator.logto.model.Application;
import io.logto.operator.logto.model.Role;
import io.logto.operator.logto.model.TokenGrant;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * examples/ on the real API server and the real Logto 1.37.1, with the image's jar ({@code run})
 * as the operator: applied in three orders (the files' order; dependents first; each kind only
 * once the previous one waits for it), each converges, and Logto itself, read with a Management
 * API client of the test's own, holds each object once as declared; every Secret's credentials
 * obtain tokens with exactly the scopes their roles declare; each ConfigMap describes the tokens
 * Logto issues. Then the objects are deleted together, as {@code kubectl delete -f examples/}
 * does: two orders as the examples are written (deletionPolicy Delete, the default), which must
 * leave nothing of theirs in Logto, and one with deletionPolicy Retain, which must leave all of
 * it, working.
 *
 * <p>The orders run at once, in namespaces of their own, and each rewrites what Logto holds
 * unique per tenant (indicators, role names) with a suffix of its own and of this run. The suite's
 * Logto tenant is shared by classes running beside this one, so emptying it between orders is not
 * possible, and unique names let the orders run side by side instead of one after the other.
 * Whatever an order leaves in Logto (the retained objects, or a failed run's) is deleted at its
 * end.
 */
@ExtendWith({RealCluster.class, RealLogto.class})
@Execution(ExecutionMode.CONCURRENT)
class RealLogtoExamplesIT {

  private static final String RUN = Long.toString(System.currentTimeMillis() % 2_000_000_000L, 36);
  private static final String FILES = "e2e-real-examples-files";
  private static final String REVERSE = "e2e-real-examples-reverse";
  private static final String WAITING = "e2e-real-examples-waiting";
  private static final List<String> NAMESPACES = List.of(FILES, REVERSE, WAITING);
  private static final String MANAGEMENT_API = LogtoInstance.MANAGEMENT_API_RESOURCE;

  private static KubernetesClient admin;
  private static LogtoInstance logto;
  private static LogtoClient client;
  private static OperatorProcess operator;
  private static Map<String, Object> discovery;

  @BeforeAll
  static void startOperator(RealApiServer server, RealLogtoServer real) throws IOException {
    admin = server.adminClient();
    logto = real.instance();
    client = logto.client();
    discovery = discovery(logto.endpoint());
    RealCluster.createNamespaces(admin, NAMESPACES.toArray(String[]::new));
    Path work = Files.createDirectories(Path.of("target", "e2e", "real-examples"));
    int port = RealApiServer.freePort();
    Map<String, String> env = new HashMap<>(logto.operatorEnvironment());
    env.putAll(OperatorProcess.clusterEnvironment(server, String.join(",", NAMESPACES), FILES,
        port));
    // management-app.yaml names Logto's built-in role: allowed from privileged namespaces only.
    env.put("PRIVILEGED_NAMESPACES", String.join(",", NAMESPACES));
    // Other classes' ClusterLogtoConnections, on the same API server, are not this one's.
    env.put("CLUSTER_CONNECTIONS_ENABLED", "false");
    long started = System.nanoTime();
    operator = OperatorProcess.start(env, work.resolve("operator.log"));
    operator.awaitReady(port, Duration.ofSeconds(90));
    System.out.printf("RealLogtoExamplesIT: the operator's jar ready in %.1f s%n",
        (System.nanoTime() - started) / 1e9);
  }

  @AfterAll
  static void stopOperator() {
    try {
      if (admin != null) {
        ClusterObjects.release(admin, NAMESPACES, E2eKinds.ALL);
      }
    } finally {
      if (operator != null) {
        operator.close();
      }
      if (client != null) {
        client.close();
      }
      if (admin != null) {
        admin.close();
      }
    }
  }

  @Test
  void inTheOrderOfTheFilesThenDeleted() {
    Order order = new Order(FILES, "files", null);
    order.run(() -> {
      order.objects.forEach(o -> admin.resource(o).create());
      order.assertConverged();
      order.deleteAndAssertLogtoIsClean();
    });
  }

  @Test
  void dependentsFirstThenRetained() {
    Order order = new Order(REVERSE, "reverse", "Retain");
    order.run(() -> {
      Examples.dependentsFirst(order.objects).forEach(o -> admin.resource(o).create());
      order.assertConverged();
      order.deleteAndAssertLogtoKeepsEverything();
    });
  }

  @Test
  void dependenciesLastAfterTheOthersWaitThenDeleted() {
    Order order = new Order(WAITING, "waiting", null);
    order.run(() -> {
      Examples.applyDependenciesLast(admin, order.objects);
      order.assertConverged();
      order.deleteAndAssertLogtoIsClean();
    });
  }

  /** One copy of examples/ in its namespace, with names of its own in Logto. */
  private static final class Order {
    private final String ns;
    private final List<GenericKubernetesResource> objects;
    private final List<LogtoApiResource> resources;
    private final List<LogtoRole> roles;
    private final List<LogtoM2MApp> apps;
    /** What Logto held once converged, to compare with after the deletion. */
    private final Map<String, String> uids = new TreeMap<>();
    private final Map<String, Map<String, String>> credentials = new TreeMap<>();
    private final Map<String, Map<String, Set<String>>> grants = new TreeMap<>();
    private final Map<String, String> logtoIds = new TreeMap<>();

    Order(String ns, String name, String deletionPolicy) {
      this.ns = ns;
      List<GenericKubernetesResource> loaded = Examples.load(Examples.FOLDER, ns);
      Examples.uniqueInTenant(loaded, name + "-" + RUN);
      if (deletionPolicy != null) {
        Examples.withDeletionPolicy(loaded, deletionPolicy);
      }
      this.objects = loaded;
      this.resources = Examples.ofKind(loaded, LogtoApiResource.class);
      this.roles = Examples.ofKind(loaded, LogtoRole.class);
      this.apps = Examples.ofKind(loaded, LogtoM2MApp.class);
      assertThat(List.of(resources.size(), roles.size(), apps.size()))
          .as("examples/ has API resources, roles and apps").doesNotContain(0);
    }

    /** Runs the steps; a failure tells the operator's last lines; Logto is left clean. */
    void run(Runnable steps) {
      long started = System.nanoTime();
      try {
        steps.run();
        System.out.printf("RealLogtoExamplesIT %s: %.1f s%n", ns,
            (System.nanoTime() - started) / 1e9);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(ns + ": " + e.getMessage() + "\noperator log:\n"
            + tail(operator.output()), e);
      } finally {
        ClusterObjects.release(admin, List.of(ns), E2eKinds.ALL);
        purgeLogto();
      }
    }

    void assertConverged() {
      resources.forEach(r -> ClusterObjects.awaitReady(admin, LogtoApiResource.class, ns,
          r.getMetadata().getName(), "Synced"));
      roles.forEach(r -> ClusterObjects.awaitReady(admin, LogtoRole.class, ns,
          r.getMetadata().getName(), "Synced"));
      for (LogtoM2MApp app : apps) {
        String name = app.getMetadata().getName();
        uids.put(name, ClusterObjects.awaitReady(admin, LogtoM2MApp.class, ns, name, "Synced")
            .getMetadata().getUid());
      }
      assertResourcesInLogto();
      assertRolesInLogto();
      assertAppsInLogto();
      assertCredentialsGrantExactlyTheDeclaredScopes();
      assertConfigMapsDescribeLogtosTokens();
    }

    private void assertResourcesInLogto() {
      for (LogtoApiResource declared : resources) {
        String indicator = declared.getSpec().getIndicator();
        List<ApiResource> found = InLogto.resources(client, indicator);
        assertThat(found).as("API resources %s in Logto", indicator).hasSize(1);
        ApiResource resource = found.get(0);
        assertThat(resource.name()).isEqualTo(orDefault(declared.getSpec().getName(),
            declared.getMetadata().getName()));
        Map<String, String> scopes = new TreeMap<>();
        client.listScopes(resource.id()).forEach(s -> scopes.put(s.name(), s.description()));
        Map<String, String> wanted = new TreeMap<>();
        declared.getSpec().getScopes().forEach(s -> wanted.put(s.getName(), s.getDescription()));
        assertThat(scopes).as("scopes of %s in Logto", indicator).isEqualTo(wanted);
        logtoIds.put("resource " + indicator, resource.id());
      }
    }

    private void assertRolesInLogto() {
      for (LogtoRole declared : roles) {
        String name = declared.getSpec().getName();
        List<Role> found = InLogto.roles(client, name);
        assertThat(found).as("roles named %s in Logto", name).hasSize(1);
        Role role = found.get(0);
        assertThat(role.type()).isEqualTo(Role.MACHINE_TO_MACHINE);
        assertThat(role.description()).isEqualTo(declared.getSpec().getDescription());
        assertThat(InLogto.roleGrants(client, role.id())).as("scopes of role %s in Logto", name)
            .isEqualTo(declaredGrants(declared));
        logtoIds.put("role " + name, role.id());
      }
    }

    private void assertAppsInLogto() {
      for (LogtoM2MApp declared : apps) {
        String name = declared.getMetadata().getName();
        List<Application> found = InLogto.applications(client, uids.get(name));
        assertThat(found).as("applications of LogtoM2MApp %s/%s in Logto", ns, name).hasSize(1);
        Application app = found.get(0);
        assertThat(app.type()).isEqualTo("MachineToMachine");
        assertThat(app.name()).isEqualTo(orDefault(declared.getSpec().getName(), name));
        assertThat(app.description()).isEqualTo(declared.getSpec().getDescription());
        assertThat(InLogto.roleNames(client, app.id())).as("roles of application %s", name)
            .isEqualTo(declaredRoleNames(declared));
        logtoIds.put("app " + name, app.id());
      }
    }

    /**
     * Each app's Secret obtains, for every API resource it could ask (this copy's and the
     * Management API), a token with exactly what its roles grant there when it asks for every
     * scope the resource has.
     */
    private void assertCredentialsGrantExactlyTheDeclaredScopes() {
      Set<String> indicators = new TreeSet<>();
      resources.forEach(r -> indicators.add(r.getSpec().getIndicator()));
      indicators.add(MANAGEMENT_API);
      for (LogtoM2MApp declared : apps) {
        String name = declared.getMetadata().getName();
        Map<String, String> data = ClusterObjects.decoded(secret(declared));
        assertThat(data.get("LOGTO_APP_ID")).as("the Secret of %s names its application", name)
            .isEqualTo(logtoIds.get("app " + name));
        assertThat(data).containsEntry("LOGTO_ENDPOINT", logto.endpoint().toString());
        Map<String, Set<String>> expected = expectedGrants(declared);
        for (String indicator : indicators) {
          assertThat(InLogto.grantedOfEveryScope(client, data.get("LOGTO_APP_ID"),
              data.get("LOGTO_APP_SECRET"), indicator))
              .as("scopes granted to %s's credentials for %s", name, indicator)
              .isEqualTo(expected.getOrDefault(indicator, Set.of()));
        }
        if (expected.size() == 1) {
          var only = expected.entrySet().iterator().next();
          assertThat(data).containsEntry("LOGTO_RESOURCE", only.getKey());
          assertThat(Set.of(data.get("LOGTO_SCOPES").split(" "))).isEqualTo(only.getValue());
        }
        credentials.put(name, data);
        grants.put(name, expected);
      }
    }

    /** The ConfigMap's issuer, keys and audience are those of the tokens Logto issues. */
    private void assertConfigMapsDescribeLogtosTokens() {
      for (LogtoApiResource declared : resources) {
        String name = declared.getMetadata().getName();
        ConfigMap configMap = admin.configMaps().inNamespace(ns).withName(name + "-logto-api")
            .get();
        assertThat(configMap).as("ConfigMap of %s", name).isNotNull();
        String indicator = declared.getSpec().getIndicator();
        assertThat(configMap.getData())
            .containsEntry("LOGTO_ISSUER", (String) discovery.get("issuer"))
            .containsEntry("LOGTO_JWKS_URI", (String) discovery.get("jwks_uri"))
            .containsEntry("LOGTO_AUDIENCE", indicator);
        assertThat(Set.of(configMap.getData().get("LOGTO_SCOPES").split(" ")))
            .isEqualTo(declared.getSpec().getScopes().stream().map(ApiScope::getName)
                .collect(Collectors.toSet()));
        for (var app : grants.entrySet()) {
          Set<String> scopes = app.getValue().get(indicator);
          if (scopes == null) {
            continue;
          }
          Map<String, String> data = credentials.get(app.getKey());
          TokenGrant token = client.requestToken(data.get("LOGTO_APP_ID"),
              data.get("LOGTO_APP_SECRET"), indicator, scopes);
          Map<String, Object> claims = claims(token.accessToken());
          assertThat(claims.get("iss")).isEqualTo(configMap.getData().get("LOGTO_ISSUER"));
          assertThat(claims.get("aud")).isEqualTo(indicator);
        }
      }
    }

    /** {@code kubectl delete -f examples/}: everything at once, and Logto keeps nothing. */
    void deleteAndAssertLogtoIsClean() {
      deleteAll();
      for (LogtoApiResource declared : resources) {
        assertThat(InLogto.resources(client, declared.getSpec().getIndicator())).isEmpty();
      }
      for (LogtoRole declared : roles) {
        assertThat(InLogto.roles(client, declared.getSpec().getName())).isEmpty();
      }
      for (LogtoM2MApp declared : apps) {
        String name = declared.getMetadata().getName();
        assertThat(InLogto.applications(client, uids.get(name))).as("application %s", name)
            .isEmpty();
        Map<String, String> data = credentials.get(name);
        assertThatThrownBy(() -> client.requestToken(data.get("LOGTO_APP_ID"),
            data.get("LOGTO_APP_SECRET"), MANAGEMENT_API, List.of()))
            .as("a token with the deleted application's credentials")
            // Logto 1.37.1 answers an id it no longer knows with 400, a wrong secret with 401.
            .isInstanceOfSatisfying(LogtoException.class, e -> assertThat(
                List.of(e.status(), e.code())).containsExactly(400, "oidc.invalid_client"));
        // A role named by logtoRoleName was not made by the operator: it stays as it was.
        for (AppRoleAssignment role : declared.getSpec().getRoles()) {
          if (role.getLogtoRoleName() != null) {
            assertThat(InLogto.roles(client, role.getLogtoRoleName())).hasSize(1);
          }
        }
      }
    }

    /** Retain: the Kubernetes objects go, Logto keeps every object as it was, still working. */
    void deleteAndAssertLogtoKeepsEverything() {
      deleteAll();
      assertResourcesInLogto();
      assertRolesInLogto();
      Map<String, String> before = new TreeMap<>(logtoIds);
      assertAppsInLogto();
      assertThat(logtoIds).as("the same objects, not new ones").isEqualTo(before);
      for (LogtoM2MApp declared : apps) {
        String name = declared.getMetadata().getName();
        Map<String, String> data = credentials.get(name);
        for (var grant : grants.get(name).entrySet()) {
          assertThat(InLogto.grantedOfEveryScope(client, data.get("LOGTO_APP_ID"),
              data.get("LOGTO_APP_SECRET"), grant.getKey()))
              .as("the retained %s's credentials at %s", name, grant.getKey())
              .isEqualTo(grant.getValue());
        }
      }
    }

    /** Deletes every object at once and waits until they are gone with their Secrets. */
    private void deleteAll() {
      objects.forEach(o -> admin.resource(o).delete());
      resources.forEach(r -> ClusterObjects.awaitGone(admin, LogtoApiResource.class, ns,
          r.getMetadata().getName()));
      roles.forEach(r -> ClusterObjects.awaitGone(admin, LogtoRole.class, ns,
          r.getMetadata().getName()));
      apps.forEach(a -> ClusterObjects.awaitGone(admin, LogtoM2MApp.class, ns,
          a.getMetadata().getName()));
      // The Secret goes with its app, the ConfigMap with its resource, under either policy.
      for (LogtoM2MApp app : apps) {
        assertThat(admin.secrets().inNamespace(ns).withName(secretName(app)).get()).isNull();
      }
      for (LogtoApiResource resource : resources) {
        assertThat(admin.configMaps().inNamespace(ns)
            .withName(resource.getMetadata().getName() + "-logto-api").get()).isNull();
      }
    }

    /** Removes from Logto whatever this copy's names or custom resources left there. */
    private void purgeLogto() {
      try {
        for (Application app : client.listApplications()) {
          if (app.customData() != null
              && app.customData().get("logtoOperator") instanceof Map<?, ?> identity
              && ns.equals(identity.get("namespace"))) {
            client.deleteApplication(app.id());
          }
        }
        for (LogtoRole declared : roles) {
          InLogto.roles(client, declared.getSpec().getName())
              .forEach(r -> client.deleteRole(r.id()));
        }
        for (LogtoApiResource declared : resources) {
          InLogto.resources(client, declared.getSpec().getIndicator())
              .forEach(r -> client.deleteApiResource(r.id()));
        }
      } catch (LogtoException e) {
        System.err.println(ns + ": cleaning Logto failed: " + e.getMessage());
      }
    }

    private Map<String, Set<String>> declaredGrants(LogtoRole role) {
      Map<String, Set<String>> grants = new TreeMap<>();
      for (RolePermission permission : role.getSpec().getPermissions()) {
        String indicator = permission.getIndicator() != null ? permission.getIndicator()
            : resources.stream()
                .filter(r -> r.getMetadata().getName().equals(permission.getResourceRef()
                    .getName()))
                .findFirst().orElseThrow().getSpec().getIndicator();
        grants.computeIfAbsent(indicator, k -> new TreeSet<>()).addAll(permission.getScopes());
      }
      return grants;
    }

    private Set<String> declaredRoleNames(LogtoM2MApp app) {
      Set<String> names = new TreeSet<>();
      for (AppRoleAssignment assignment : app.getSpec().getRoles()) {
        names.add(assignment.getLogtoRoleName() != null ? assignment.getLogtoRoleName()
            : role(assignment.getRoleRef().getName()).getSpec().getName());
      }
      return names;
    }

    /**
     * What the app's roles grant: a LogtoRole's declared permissions; a role named in Logto
     * only (the built-in Management API role), the scopes Logto gives that role.
     */
    private Map<String, Set<String>> expectedGrants(LogtoM2MApp app) {
      Map<String, Set<String>> expected = new TreeMap<>();
      for (AppRoleAssignment assignment : app.getSpec().getRoles()) {
        Map<String, Set<String>> ofRole;
        if (assignment.getLogtoRoleName() != null) {
          List<Role> found = InLogto.roles(client, assignment.getLogtoRoleName());
          assertThat(found).hasSize(1);
          ofRole = InLogto.roleGrants(client, found.get(0).id());
        } else {
          ofRole = declaredGrants(role(assignment.getRoleRef().getName()));
        }
        ofRole.forEach((k, v) -> expected.computeIfAbsent(k, x -> new TreeSet<>()).addAll(v));
      }
      return expected;
    }

    private LogtoRole role(String name) {
      return roles.stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst()
          .orElseThrow();
    }

    private Secret secret(LogtoM2MApp app) {
      Secret secret = admin.secrets().inNamespace(ns).withName(secretName(app)).get();
      assertThat(secret).as("Secret %s/%s", ns, secretName(app)).isNotNull();
      return secret;
    }

    private static String secretName(LogtoM2MApp app) {
      var secret = app.getSpec().getSecret();
      return secret != null && secret.getName() != null ? secret.getName()
          : app.getMetadata().getName() + "-logto-credentials";
    }
  }

  /** Logto's OpenID configuration: the issuer and keys its tokens are validated with. */
  private static Map<String, Object> discovery(URI endpoint) {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              endpoint.resolve("/oidc/.well-known/openid-configuration")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("Logto's OpenID configuration").isEqualTo(200);
      return json(response.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A JWT's claims (never printed: only compared). */
  private static Map<String, Object> claims(String jwt) {
    String[] parts = jwt.split("\\.");
    assertThat(parts).as("a JWT's three parts").hasSize(3);
    return json(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(String text) {
    return new LinkedHashMap<>(Serialization.unmarshal(text, Map.class));
  }

  private static String orDefault(String value, String fallback) {
    return value == null ? fallback : value;
  }

  private static String tail(String text) {
    List<String> lines = text.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
