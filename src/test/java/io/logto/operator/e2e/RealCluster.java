package io.logto.operator.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.logto.operator.packaging.Project;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real API server for the whole end-to-end suite, started before the first class that uses
 * it, with the committed {@code crds/} installed, and stopped when the test JVM's run ends (JUnit
 * closes the root store's AutoCloseable values then, also after a failure). Injected as a
 * {@link RealApiServer} parameter.
 *
 * <p>Without {@code ../shared/kube-apiserver} the suite is skipped with a loud message, except in
 * CI ({@code CI=true}), where it must run and its absence fails.
 */
public final class RealCluster implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(RealCluster.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    server(context);
  }

  private static RealApiServer server(ExtensionContext context) {
    if (!RealApiServer.available()) {
      String message = "No real API server: " + RealApiServer.SCRIPT_DIR + "/start.sh is absent"
          + " (set KUBE_APISERVER_DIR to its folder). The end-to-end suite on a real"
          + " kube-apiserver is SKIPPED.";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(message.replace("SKIPPED", "required in CI"));
      }
      System.err.println("\n" + "!".repeat(100) + "\n" + message + "\n" + "!".repeat(100) + "\n");
      assumeTrue(false, message);
    }
    return context.getRoot().getStore(STORE)
        .getOrComputeIfAbsent("server", key -> startWithCrds(), RealApiServer.class);
  }

  private static RealApiServer startWithCrds() {
    RealApiServer server = RealApiServer.start(Project.path("target/kube-real"));
    try (KubernetesClient admin = server.adminClient()) {
      installCrds(admin);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** {@code kubectl apply -f crds/}, then wait until the API server serves the kinds. */
  static void installCrds(KubernetesClient admin) {
    List<Path> files = Project.list(Project.path("crds"), ".yaml");
    for (Path file : files) {
      CustomResourceDefinition crd =
          Serialization.unmarshal(Project.read(file), CustomResourceDefinition.class);
      admin.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
      admin.apiextensions().v1().customResourceDefinitions()
          .withName(crd.getMetadata().getName())
          .waitUntilCondition(c -> c != null && c.getStatus() != null
              && c.getStatus().getConditions() != null
              && c.getStatus().getConditions().stream().anyMatch(
                  x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
              30, TimeUnit.SECONDS);
    }
  }

  /** Creates the namespaces if they do not exist (namespaces are never deleted: no controller). */
  public static void createNamespaces(KubernetesClient admin, String... names) {
    for (String name : names) {
      Namespace namespace = new NamespaceBuilder().withNewMetadata().withName(name).endMetadata()
          .build();
      admin.namespaces().resource(namespace).serverSideApply();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RealApiServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return server(context);
  }
}
