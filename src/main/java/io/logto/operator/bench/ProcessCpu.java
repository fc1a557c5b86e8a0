package io.logto.operator.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The CPU time another process has spent (user and system, all its threads), read from Linux's
 * {@code /proc/PID/stat}: how much work a local Logto did for the benchmark. With its children:
 * a PostgreSQL server, whose postmaster forks a process per client connection.
 */
final class ProcessCpu {

  /**
   * Linux reports {@code /proc} times in USER_HZ ticks, which is 100 on every architecture it
   * supports (the kernel's ABI, whatever the kernel's own HZ).
   */
  static final double TICKS_PER_SECOND = 100.0;

  private static final Path PROC = Path.of("/proc");

  /**
   * The fields of one {@code /proc/PID/stat} line the benchmark needs, in ticks.
   *
   * @param childrenTicks cutime + cstime: what its children spent that it has waited for
   */
  record Stat(long ppid, long ownTicks, long childrenTicks) {}

  private final long pid;
  private final boolean withChildren;

  private ProcessCpu(long pid, boolean withChildren, String role) {
    this.pid = pid;
    this.withChildren = withChildren;
    if (read(pid).isEmpty()) {
      throw new IllegalStateException("no process " + pid + " on this machine ("
          + PROC.resolve(Long.toString(pid)).resolve("stat") + " does not exist): give the pid of "
          + role);
    }
  }

  ProcessCpu(long pid) {
    this(pid, false, "the Logto this benchmark talks to");
  }

  /**
   * A process and its children, live or ended: a child's time moves into its parent's cutime
   * when it ends, so the sum over an interval counts every child once, wherever it is read.
   */
  static ProcessCpu withChildren(long pid) {
    return new ProcessCpu(pid, true, "the PostgreSQL server (postmaster) of that Logto");
  }

  long pid() {
    return pid;
  }

  /** CPU seconds since the process started (with its children: theirs too). */
  double seconds() {
    Stat own = read(pid).orElseThrow(() -> new IllegalStateException("process " + pid
        + " has ended while the benchmark measured it"));
    if (!withChildren) {
      return own.ownTicks() / TICKS_PER_SECOND;
    }
    long ticks = own.ownTicks() + own.childrenTicks();
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC,
        path -> path.getFileName().toString().chars().allMatch(Character::isDigit))) {
      for (Path process : processes) {
        long child = Long.parseLong(process.getFileName().toString());
        Optional<Stat> stat = read(child);
        if (stat.isPresent() && stat.get().ppid() == pid) {
          ticks += stat.get().ownTicks();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + PROC, e);
    }
    return ticks / TICKS_PER_SECOND;
  }

  /** Empty when there is no such process (any more). */
  private static Optional<Stat> read(long pid) {
    Path stat = PROC.resolve(Long.toString(pid)).resolve("stat");
    try {
      return Optional.of(parseStat(Files.readString(stat, StandardCharsets.US_ASCII)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      // A process that ends while read answers ESRCH on some kernels.
      if (!Files.exists(stat)) {
        return Optional.empty();
      }
      throw new UncheckedIOException("cannot read " + stat, e);
    }
  }

  /**
   * ppid is field 4, utime and stime 14 and 15, cutime and cstime 16 and 17, counted after the
   * command name, which is in parentheses and may itself hold spaces and parentheses.
   */
  static Stat parseStat(String line) {
    int end = line.lastIndexOf(')');
    if (end < 0) {
      throw new IllegalArgumentException("not a /proc/PID/stat line: " + line);
    }
    String[] fields = line.substring(end + 1).trim().split("\\s+");
    // fields[0] is field 3 (state): field n is fields[n - 3].
    if (fields.length < 15) {
      throw new IllegalArgumentException("not a /proc/PID/stat line: " + line);
    }
    return new Stat(Long.parseLong(fields[1]),
        Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
        Long.parseLong(fields[13]) + Long.parseLong(fields[14]));
  }
}
