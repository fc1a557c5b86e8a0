package io.logto.operator.sandbox;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * A snapshot of calls made to Logto: per {@code "METHOD /path-template"}, token requests in total,
 * and those for the operator's own Management API token.
 */
public record CallCounts(Map<String, Long> calls, long tokenRequests, long operatorTokenRequests) {

  public static final CallCounts NONE = new CallCounts(Map.of(), 0, 0);

  public CallCounts {
    calls = Map.copyOf(calls);
  }

  /** What happened between {@code earlier} and this snapshot. */
  public CallCounts minus(CallCounts earlier) {
    Map<String, Long> diff = new TreeMap<>();
    calls.forEach((key, n) -> {
      long d = n - earlier.calls.getOrDefault(key, 0L);
      if (d != 0) {
        diff.put(key, d);
      }
    });
    return new CallCounts(diff, tokenRequests - earlier.tokenRequests,
        operatorTokenRequests - earlier.operatorTokenRequests);
  }

  /** The calls of both, as if made to one Logto (the benchmark's tenants together). */
  public CallCounts plus(CallCounts other) {
    Map<String, Long> sum = new TreeMap<>(calls);
    other.calls.forEach((key, n) -> sum.merge(key, n, Long::sum));
    return new CallCounts(sum, tokenRequests + other.tokenRequests,
        operatorTokenRequests + other.operatorTokenRequests);
  }

  /** Calls whose method and path template match. */
  public long count(BiPredicate<String, String> methodAndPath) {
    long total = 0;
    for (var entry : calls.entrySet()) {
      String key = entry.getKey();
      int space = key.indexOf(' ');
      if (space > 0 && methodAndPath.test(key.substring(0, space), key.substring(space + 1))) {
        total += entry.getValue();
      }
    }
    return total;
  }

  /** Calls to the Management API ({@code /api}) whose path starts with {@code prefix}. */
  public long managementCalls(String prefix, boolean writesOnly) {
    return count((method, path) -> path.startsWith(prefix)
        && (!writesOnly || !"GET".equals(method)));
  }

  /** Token requests other than the operator's: the verification of apps' credentials. */
  public long otherTokenRequests() {
    return tokenRequests - operatorTokenRequests;
  }

  /** Sorted, for printing. */
  public Map<String, Long> sortedCalls() {
    return new TreeMap<>(calls);
  }
}
