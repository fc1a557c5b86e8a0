package io.logto.operator.sandbox;

import io.logto.operator.logto.LogtoCallListener;
import io.logto.operator.logto.LogtoConnection;
import java.util.Optional;

/**
 * The Logto the sandbox and the benchmark run against: the in-process simulator, or a real Logto
 * given by its endpoint and the operator's credentials. Either way it tells what was called.
 */
public interface LogtoTarget extends AutoCloseable {

  /** Objects in Logto, not counting the built-in ones (bootstrap app, Management API, its role). */
  record Inventory(long applications, long roles, long resources) {}

  LogtoConnection connection();

  /** The listener to give the operator's Logto client. */
  LogtoCallListener listener();

  /** Calls made so far. */
  CallCounts counts();

  /** The simulator's objects, or for a real Logto the objects created through this run. */
  Inventory inventory();

  /** One line for people: what Logto this is. */
  String describe();

  /** The simulator, when it is one (local credentials, test controls). */
  Optional<io.logto.operator.simulator.LogtoSimulator> simulator();

  @Override
  void close();
}
