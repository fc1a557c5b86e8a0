package io.logto.operator.logto;

import okhttp3.Call;
import okhttp3.EventListener;

/**
 * Notes whether a call got as far as sending its request. Attached to each request as a tag, so
 * that the retry policy can tell "Logto never saw it" from "Logto may have processed it".
 */
final class SendTracker extends EventListener {

  /** Finds the tracker a request carries, for OkHttp's event listener factory. */
  static final EventListener.Factory FACTORY =
      (Call call) -> {
        SendTracker tracker = call.request().tag(SendTracker.class);
        return tracker == null ? EventListener.NONE : tracker;
      };

  private volatile boolean sent;

  @Override
  public void requestHeadersStart(Call call) {
    sent = true;
  }

  boolean requestSent() {
    return sent;
  }
}
