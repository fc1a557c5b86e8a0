package io.logto.operator.sandbox;

import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.CustomResourceAware;
import io.fabric8.kubernetes.client.server.mock.Resetable;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.logto.operator.sandbox.admission.Admission;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * What Fabric8's {@code KubernetesMixedDispatcher} does (a request with an expectation set gets
 * that answer, any other goes to the CRUD store), over the name-indexed CRUD store, which that class
 * cannot take. It also drops the mock web server's journal of past requests as requests come:
 * kept for tests calling {@code takeRequest()}, which nothing here does, it held every request and
 * its body for the life of the server (about 100 MB after the benchmark's 5,000 apps).
 * Writes of custom resources pass the CRDs' admission (see {@link Admission}), unless the request
 * carries {@link EmbeddedKubernetes#SKIP_ADMISSION_HEADER}.
 */
final class EmbeddedDispatcher extends Dispatcher implements Resetable, CustomResourceAware {

  private final Map<ServerRequest, Queue<ServerResponse>> expectations;
  private final MockDispatcher expected;
  private final NameIndexedCrudDispatcher crud;
  private final MockWebServer journal;

  EmbeddedDispatcher(Map<ServerRequest, Queue<ServerResponse>> expectations,
      MockWebServer journal, Admission admission) {
    this.expectations = expectations;
    this.expected = new MockDispatcher(expectations);
    this.journal = journal;
    this.crud = new NameIndexedCrudDispatcher(admission);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    dropJournal();
    Queue<ServerResponse> answers =
        expectations.get(new SimpleRequest(HttpMethod.valueOf(request.getMethod()),
            request.getPath()));
    if (answers != null && !answers.isEmpty()) {
      return expected.dispatch(request);
    }
    NameIndexedCrudDispatcher.SKIP_ADMISSION.set(
        "true".equals(request.getHeader(EmbeddedKubernetes.SKIP_ADMISSION_HEADER)));
    try {
      return crud.dispatch(withoutNamespaceIfClusterScoped(request));
    } catch (NameIndexedCrudDispatcher.Refused refused) {
      return new MockResponse().setResponseCode(refused.refusal().code())
          .setBody(Serialization.asJson(refused.refusal().status()));
    } finally {
      NameIndexedCrudDispatcher.SKIP_ADMISSION.remove();
    }
  }

  /**
   * A write of a cluster-scoped object (a path without {@code /namespaces/}) that carries
   * metadata.namespace: the API server ignores that namespace, where the mock server's store fails
   * on it and never answers.
   */
  private static RecordedRequest withoutNamespaceIfClusterScoped(RecordedRequest request) {
    String path = request.getPath();
    boolean write = "POST".equals(request.getMethod()) || "PUT".equals(request.getMethod());
    if (!write || path == null || !path.startsWith("/apis/") || path.contains("/namespaces/")
        || request.getBody() == null || request.getBody().size() == 0) {
      return request;
    }
    try {
      // getBytes leaves the body to be read again, unlike getUtf8Body.
      var body = Serialization.jsonMapper().readTree(request.getBody().getBytes());
      if (!(body.path("metadata") instanceof com.fasterxml.jackson.databind.node.ObjectNode meta)
          || !meta.has("namespace")) {
        return request;
      }
      meta.remove("namespace");
      return new RecordedRequest(request.getHttpVersion(), request.method(), path,
          request.getHeaders(), new Buffer(Serialization.jsonMapper().writeValueAsBytes(body)));
    } catch (java.io.IOException e) {
      return request;
    }
  }

  private void dropJournal() {
    try {
      while (journal.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
        // dropped
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void reset() {
    crud.reset();
  }

  @Override
  public void expectCustomResource(CustomResourceDefinitionContext context) {
    crud.expectCustomResource(context);
  }
}
