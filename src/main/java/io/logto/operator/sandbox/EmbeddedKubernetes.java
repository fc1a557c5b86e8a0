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
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.logto.operator.sandbox.admission.Admission;

/**
 * An in-process Kubernetes API (the Fabric8 mock server in CRUD mode) with the operator's CRDs
 * installed: for the sandbox, the benchmark and the tests. Like a real API server it admits custom
 * resources by their CRD's schema and CEL rules, refusing invalid ones with 422 and a Status (see
 * the admission package). It does not do server-side apply, defaulting, pruning of unknown fields
 * or garbage collection (see shared/kubernetes-mock-server.md).
 */
public final class EmbeddedKubernetes implements AutoCloseable {

  /**
   * A request carrying this header with the value {@code true} is stored without admission. Only
   * for tests that store what a cluster would refuse on purpose, as objects stored before a CRD
   * change, to exercise the operator's own validation: use {@link #clientWithoutAdmission()}.
   */
  public static final String SKIP_ADMISSION_HEADER = "X-Embedded-Kubernetes-Skip-Admission";

  /** The generated CRDs, as the build writes them on the classpath. */
  public static final List<String> CRD_RESOURCES =
      List.of(
          "META-INF/fabric8/logtoapiresources.m2m.logto.io-v1.yml",
          "META-INF/fabric8/logtoroles.m2m.logto.io-v1.yml",
          "META-INF/fabric8/logtom2mapps.m2m.logto.io-v1.yml",
          "META-INF/fabric8/logtoconnections.m2m.logto.io-v1.yml",
          "META-INF/fabric8/clusterlogtoconnections.m2m.logto.io-v1.yml");

  /** The mock server logs every request through java.util.logging; kept quiet (and referenced). */
  private static final java.util.logging.Logger MOCK_SERVER_LOG = quiet("io.fabric8.mockwebserver");

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private KubernetesClient withoutAdmission;

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
            new EmbeddedDispatcher(expectations, webServer, new Admission()), false);
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

  /**
   * A client whose writes skip admission: for tests that must store an object a cluster would
   * refuse (an invalid spec, as left by an older CRD) to see how the operator copes with it.
   * Closed with this server.
   */
  public synchronized KubernetesClient clientWithoutAdmission() {
    if (withoutAdmission == null) {
      withoutAdmission = new KubernetesClientBuilder()
          .withConfig(new ConfigBuilder(client.getConfiguration())
              .withCustomHeaders(Map.of(SKIP_ADMISSION_HEADER, "true")).build())
          .build();
    }
    return withoutAdmission;
  }

  /** The API server's URL, e.g. for a kubeconfig. */
  public String url() {
    return client.getConfiguration().getMasterUrl();
  }

  @Override
  public synchronized void close() {
    if (withoutAdmission != null) {
      withoutAdmission.close();
    }
    client.close();
    server.destroy();
  }
}
