package io.logto.operator.sandbox;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

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

  /** The mock server logs every request through java.util.logging; kept quiet (and referenced). */
  private static final java.util.logging.Logger MOCK_SERVER_LOG = quiet("io.fabric8.mockwebserver");

  private final KubernetesMockServer server;
  private final KubernetesClient client;

  private EmbeddedKubernetes(KubernetesMockServer server, KubernetesClient client) {
    this.server = server;
    this.client = client;
  }

  public static EmbeddedKubernetes start() {
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    MockWebServer webServer = new MockWebServer();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), webServer, expectations,
            new EmbeddedDispatcher(expectations, webServer), false);
    try {
      server.init(InetAddress.getLoopbackAddress(), 0);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot start the embedded Kubernetes API", e);
    }
    // Leader election first asks the API server whether it may use Leases; the mock server has no
    // authorization, so it answers that everything is allowed.
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, new SelfSubjectRulesReviewBuilder()
            .withNewStatus().addNewResourceRule().withApiGroups("*").withResources("*")
            .withVerbs("*").endResourceRule().withIncomplete(false).endStatus().build())
        .always();
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

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(java.util.logging.Level.WARNING);
    return logger;
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
