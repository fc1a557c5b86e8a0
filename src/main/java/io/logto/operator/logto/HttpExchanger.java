package io.logto.operator.logto;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Semaphore;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Performs one HTTP exchange with Logto: waits for a slot of the shared concurrency bound, sends,
 * reads the whole answer, frees the slot, and reports the exchange to the listener. The slot is
 * held only while the exchange is in flight, never during a backoff.
 */
final class HttpExchanger {

  private static final Logger LOG = LoggerFactory.getLogger(HttpExchanger.class);

  /** A failed exchange, telling whether the request had been sent before it failed. */
  static final class ExchangeFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean requestSent;

    ExchangeFailure(IOException cause, boolean requestSent) {
      super(cause.getClass().getSimpleName(), cause);
      this.requestSent = requestSent;
    }

    IOException io() {
      return (IOException) getCause();
    }

    boolean requestSent() {
      return requestSent;
    }
  }

  private final OkHttpClient http;
  private final Semaphore slots;
  private final LogtoCallListener listener;

  HttpExchanger(OkHttpClient http, int maxConcurrentCalls, LogtoCallListener listener) {
    if (maxConcurrentCalls < 1) {
      throw new IllegalArgumentException("maxConcurrentCalls must be at least 1");
    }
    this.http = http;
    this.slots = new Semaphore(maxConcurrentCalls, true);
    this.listener = listener;
  }

  /**
   * Sends the request and reads its answer. The request must carry a {@link PathTemplate} tag.
   *
   * @throws ExchangeFailure when no answer came
   * @throws InterruptedException when interrupted while waiting for a slot
   */
  Answer exchange(Request request) throws ExchangeFailure, InterruptedException {
    SendTracker tracker = new SendTracker();
    Request tracked = request.newBuilder().tag(SendTracker.class, tracker).build();
    String template = PathTemplate.of(request);
    slots.acquire();
    long start = System.nanoTime();
    int status = LogtoException.NO_RESPONSE;
    try (Response response = http.newCall(tracked).execute()) {
      status = response.code();
      ResponseBody body = response.body();
      return new Answer(status, response.headers(), body.string());
    } catch (IOException e) {
      // Reading the body may fail after the status arrived: that is still no usable answer.
      status = LogtoException.NO_RESPONSE;
      if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("interrupted during " + template);
      }
      throw new ExchangeFailure(e, tracker.requestSent());
    } finally {
      long nanos = System.nanoTime() - start;
      slots.release();
      report(request.method(), template, status, nanos);
    }
  }

  private void report(String method, String template, int status, long nanos) {
    try {
      listener.onCall(method, template, status, nanos);
    } catch (RuntimeException e) {
      LOG.warn("Call listener failed on {} {}", method, template, e);
    }
  }
}
