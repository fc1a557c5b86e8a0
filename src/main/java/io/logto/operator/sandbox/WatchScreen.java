package io.logto.operator.sandbox;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the sandbox prints as it keeps a folder applied: each change, refusal and problem once, and
 * once a change has settled, one line per object whose state changed rather than the whole table
 * again (which a user asks for when wanted).
 */
final class WatchScreen {

  private final PrintWriter out;
  private final PrintWriter err;
  private final Map<ObjectKey, String> shown = new HashMap<>();
  /** The problems of the last sync: one that lasts (an unreadable file) is not news at each poll. */
  private Set<String> lastErrors = Set.of();

  WatchScreen(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  /** Prints what a sync did: objects created, updated or deleted, files fixed, documents refused. */
  void sync(ExamplesFolder.SyncResult result) {
    result.changes().stream()
        .filter(c -> c.action() != ExamplesFolder.Action.UNCHANGED)
        .forEach(c -> out.println("  " + c));
    result.repaired().forEach(file -> out.println("  fixed " + file + " (valid YAML again)"));
    result.rejected().forEach(this::printRefused);
    result.errors().stream()
        .filter(e -> !lastErrors.contains(e))
        .forEach(e -> err.println("sandbox: " + e));
    lastErrors = Set.copyOf(result.errors());
    out.flush();
    err.flush();
  }

  /** With the table asked for: the documents refused still, reported when they were refused. */
  void stillRefused(List<Rejection> rejected) {
    if (rejected.isEmpty()) {
      return;
    }
    out.println();
    out.println("Still refused:");
    rejected.forEach(this::printRefused);
    out.flush();
  }

  private void printRefused(Rejection rejection) {
    out.println("  " + rejection.toString().replace("\n", "\n    "));
  }

  /** Takes the states as the user has seen them (in the table). */
  void shown(List<ObjectState> states) {
    shown.clear();
    states.forEach(state -> shown.put(state.key(), SandboxReport.describe(state)));
  }

  /** Prints one line per object whose state is not the one last shown. */
  void settled(List<ObjectState> states) {
    int changed = 0;
    for (ObjectState state : states) {
      String now = SandboxReport.describe(state);
      if (!now.equals(shown.get(state.key()))) {
        out.println("  " + state.key() + ": " + now);
        changed++;
      }
    }
    if (changed == 0) {
      out.println("  no object changed state");
    }
    shown(states);
    out.flush();
  }
}
