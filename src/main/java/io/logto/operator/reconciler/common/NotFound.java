package io.logto.operator.reconciler.common;

import io.logto.operator.logto.LogtoException;
import java.util.Optional;
import java.util.function.Supplier;

/** Logto's 404 where it is an answer rather than an error: gone, or already deleted. */
public final class NotFound {

  private NotFound() {}

  /** The object, or empty when Logto says it does not exist. */
  public static <T> Optional<T> asEmpty(Supplier<T> read) {
    try {
      return Optional.of(read.get());
    } catch (LogtoException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Runs a delete; one that finds nothing to delete is done too. */
  public static void ignore(Runnable delete) {
    try {
      delete.run();
    } catch (LogtoException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
  }
}
