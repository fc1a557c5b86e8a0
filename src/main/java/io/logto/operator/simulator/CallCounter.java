package io.logto.operator.simulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts calls per "METHOD /path-template", calls to /api, and token requests per client. */
final class CallCounter {
  static final String TOKEN_ROUTE = "POST /oidc/token";

  private final Map<String, LongAdder> byRoute = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> tokenRequestsByClient = new ConcurrentHashMap<>();
  private final LongAdder managementCalls = new LongAdder();

  void record(String methodAndTemplate, boolean management) {
    byRoute.computeIfAbsent(methodAndTemplate, k -> new LongAdder()).increment();
    if (management) {
      managementCalls.increment();
    }
  }

  void recordTokenRequest(String clientId) {
    if (clientId != null) {
      tokenRequestsByClient.computeIfAbsent(clientId, k -> new LongAdder()).increment();
    }
  }

  long tokenRequests() {
    LongAdder adder = byRoute.get(TOKEN_ROUTE);
    return adder == null ? 0 : adder.sum();
  }

  long tokenRequests(String clientId) {
    LongAdder adder = tokenRequestsByClient.get(clientId);
    return adder == null ? 0 : adder.sum();
  }

  long managementCalls() {
    return managementCalls.sum();
  }

  /** A sorted snapshot. */
  Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    byRoute.forEach((k, v) -> {
      long n = v.sum();
      if (n > 0) {
        out.put(k, n);
      }
    });
    return out;
  }

  void reset() {
    byRoute.clear();
    tokenRequestsByClient.clear();
    managementCalls.reset();
  }
}
