package io.logto.operator.bench;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The CPU time a Logto on this machine spends for the benchmark: its Node process and, when its
 * pid is given, its PostgreSQL server (the postmaster and the backend it forks per connection),
 * where Logto's queries run.
 */
final class LogtoServerCpu {

  /** CPU seconds spent over an interval; the database's only when it is measured. */
  record Spent(double logtoSeconds, OptionalDouble databaseSeconds) {
    OptionalDouble withDatabaseSeconds() {
      return databaseSeconds.isPresent()
          ? OptionalDouble.of(logtoSeconds + databaseSeconds.getAsDouble())
          : OptionalDouble.empty();
    }
  }

  /** The totals at one instant; subtract two for an interval. */
  record Mark(double logtoSeconds, OptionalDouble databaseSeconds) {
    Spent since(Mark earlier) {
      return new Spent(logtoSeconds - earlier.logtoSeconds,
          databaseSeconds.isPresent() && earlier.databaseSeconds.isPresent()
              ? OptionalDouble.of(databaseSeconds.getAsDouble()
                  - earlier.databaseSeconds.getAsDouble())
              : OptionalDouble.empty());
    }
  }

  private final ProcessCpu logto;
  private final Optional<ProcessCpu> database;

  private LogtoServerCpu(ProcessCpu logto, Optional<ProcessCpu> database) {
    this.logto = logto;
    this.database = database;
  }

  /** Empty without Logto's pid: a Logto elsewhere, or the simulator. */
  static Optional<LogtoServerCpu> of(OptionalLong logtoPid, OptionalLong databasePid) {
    if (logtoPid.isEmpty()) {
      return Optional.empty();
    }
    Optional<ProcessCpu> database = databasePid.isPresent()
        ? Optional.of(ProcessCpu.withChildren(databasePid.getAsLong())) : Optional.empty();
    return Optional.of(new LogtoServerCpu(new ProcessCpu(logtoPid.getAsLong()), database));
  }

  long logtoPid() {
    return logto.pid();
  }

  OptionalLong databasePid() {
    return database.map(d -> OptionalLong.of(d.pid())).orElse(OptionalLong.empty());
  }

  Mark mark() {
    return new Mark(logto.seconds(), database.map(d -> OptionalDouble.of(d.seconds()))
        .orElse(OptionalDouble.empty()));
  }
}
