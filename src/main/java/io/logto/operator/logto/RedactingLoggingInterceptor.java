package io.logto.operator.logto;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each exchange with Logto: one DEBUG line (method, path, status, duration) and, at TRACE,
 * the JSON bodies with every secret masked by {@link Redactor}. Headers are never logged (they
 * carry the bearer token or the Basic credentials), nor any body of the token endpoint (its form
 * and its answer are nothing but credentials).
 */
final class RedactingLoggingInterceptor implements Interceptor {

  private static final Logger LOG = LoggerFactory.getLogger(LogtoClient.class);
  private static final long MAX_LOGGED_BODY = 64 * 1024;

  private final Redactor redactor;

  RedactingLoggingInterceptor(Redactor redactor) {
    this.redactor = redactor;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    boolean showBodies = LOG.isTraceEnabled() && !isTokenEndpoint(request);
    String target = target(request);
    if (showBodies && request.body() != null) {
      LOG.trace("{} {} request body: {}", request.method(), target, requestBody(request.body()));
    }
    long start = System.nanoTime();
    Response response;
    try {
      response = chain.proceed(request);
    } catch (IOException e) {
      LOG.debug("{} {} -> no answer ({}) in {} ms", request.method(), target,
          e.getClass().getSimpleName(), millisSince(start));
      throw e;
    }
    LOG.debug("{} {} -> {} in {} ms", request.method(), target, response.code(),
        millisSince(start));
    if (showBodies) {
      LOG.trace("{} {} answer body: {}", request.method(), target,
          redactor.redact(response.peekBody(MAX_LOGGED_BODY).string()));
    }
    return response;
  }

  private static boolean isTokenEndpoint(Request request) {
    return TokenEndpoint.TEMPLATE.equals(PathTemplate.of(request));
  }

  private static String target(Request request) {
    String query = request.url().encodedQuery();
    return request.url().encodedPath() + (query == null ? "" : "?" + query);
  }

  private String requestBody(RequestBody body) throws IOException {
    MediaType type = body.contentType();
    if (type == null || !"json".equals(type.subtype())) {
      return "<" + type + ": not shown>";
    }
    Buffer buffer = new Buffer();
    body.writeTo(buffer);
    return redactor.redact(buffer.readUtf8());
  }

  private static long millisSince(long start) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }
}
