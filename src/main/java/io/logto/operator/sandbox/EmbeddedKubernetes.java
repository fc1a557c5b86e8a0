package io.logto.operator.sandbox;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;

/**
 * An in-process Kubernetes API (the Fabric8 mock server in CRUD mode) with the operator's CRDs
 * installed: for the sandbox, the benchmark and the tests. It does not apply schemas, server-side
 * apply or garbage collection (see shared/kubernetes-mock-server.md).
 */
public final class EmbeddedKubernetes implements AutoCloseable {

  /** The generated CRDs, as the build writes them on the classpath. */
  public static final List<String> CRD_RESOURCES =
      List.of(
          "META-INF/fabric8/logtoapiresources.m2m.logto.io-v1.yml",
          "META-INF/fabric8/logtoroles.m2m.logto.io-v1.yml",
          "META-INF/fabric8/logtom2mapps.m2m.logto.io-v1.yml");

  /**
   * The mock web server logs every request at INFO through java.util.logging, which logback's
   * configuration does not reach. Held here so that the level set stays in force (JUL keeps loggers
   * weakly).
   */
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final KubernetesMockServer server;
  private final KubernetesClient client;

  private EmbeddedKubernetes(KubernetesMockServer server, KubernetesClient client) {
    this.server = server;
    this.client = client;
  }

  public static EmbeddedKubernetes start() {
    MockWebServer webServer = new MockWebServer();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), webServer, new HashMap<>(), new NameIndexedCrudDispatcher(webServer),
            false);
    try {
      server.init(InetAddress.getLoopbackAddress(), 0);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot start the embedded Kubernetes API", e);
    }
    KubernetesClient client = server.createClient();
    for (String crd : CRD_RESOURCES) {
      try (InputStream in = EmbeddedKubernetes.class.getClassLoader().getResourceAsStream(crd)) {
        if (in == null) {
          throw new IllegalStateException(crd + " is not on the classpath: build with mvn package");
        }
        client.apiextensions().v1().customResourceDefinitions()
            .resource(client.getKubernetesSerialization().unmarshal(in,
                CustomResourceDefinition.class))
            .create();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new EmbeddedKubernetes(server, client);
  }

  public KubernetesClient client() {
    return client;
  }

  /** The API server's URL, e.g. for a kubeconfig. */
  public String url() {
    return client.getConfiguration().getMasterUrl();
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
