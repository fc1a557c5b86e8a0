package io.logto.operator.sandbox;

import io.logto.operator.logto.LogtoCallListener;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the calls a Logto client makes, for runs against a real Logto where no simulator can be
 * asked: calls by {@code "METHOD /path-template"} (each retry counts, as the simulator counts), the
 * operator's token requests, and the objects it created.
 */
public final class CallTally implements LogtoCallListener {

  private static final String TOKEN = "POST /oidc/token";

  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> created = new ConcurrentHashMap<>();
  private final LongAdder operatorTokenRequests = new LongAdder();

  @Override
  public void onCall(String method, String pathTemplate, int status, long durationNanos) {
    String key = method + " " + pathTemplate;
    calls.computeIfAbsent(key, k -> new LongAdder()).increment();
    if ("POST".equals(method) && status >= 200 && status < 300) {
      created.computeIfAbsent(pathTemplate, k -> new LongAdder()).increment();
    }
  }

  @Override
  public void onOperatorTokenRequest(boolean success) {
    operatorTokenRequests.increment();
  }

  public CallCounts counts() {
    Map<String, Long> snapshot = new TreeMap<>();
    calls.forEach((k, v) -> snapshot.put(k, v.sum()));
    return new CallCounts(snapshot, snapshot.getOrDefault(TOKEN, 0L),
        operatorTokenRequests.sum());
  }

  /** Successful POSTs to a collection, e.g. {@code /api/applications}: objects created. */
  public long created(String collectionTemplate) {
    LongAdder n = created.get(collectionTemplate);
    return n == null ? 0 : n.sum();
  }
}
