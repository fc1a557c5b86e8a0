package io.logto.operator.reconciler;

import io.logto.operator.simulator.LogtoSimulator;
import java.util.Map;

/** Counts of Management API calls served by the simulator, by kind of call. */
public final class LogtoCalls {

  private LogtoCalls() {}

  public static long writes(LogtoSimulator simulator) {
    return count(simulator, true, null);
  }

  public static long reads(LogtoSimulator simulator) {
    return count(simulator, false, null);
  }

  /** Writes whose path starts with the given prefix, e.g. "/api/applications". */
  public static long writes(LogtoSimulator simulator, String pathPrefix) {
    return count(simulator, true, pathPrefix);
  }

  public static long reads(LogtoSimulator simulator, String pathPrefix) {
    return count(simulator, false, pathPrefix);
  }

  private static long count(LogtoSimulator simulator, boolean writes, String prefix) {
    long total = 0;
    for (Map.Entry<String, Long> e : simulator.callCounts().entrySet()) {
      String[] parts = e.getKey().split(" ", 2);
      if (parts.length < 2 || !parts[1].startsWith("/api")) {
        continue;
      }
      if (prefix != null && !parts[1].startsWith(prefix)) {
        continue;
      }
      boolean isWrite = !parts[0].equals("GET");
      if (isWrite == writes) {
        total += e.getValue();
      }
    }
    return total;
  }
}
