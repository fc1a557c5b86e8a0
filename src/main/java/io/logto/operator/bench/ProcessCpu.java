package io.logto.operator.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The CPU time another process has spent (user and system, all its threads), read from Linux's
 * {@code /proc/PID/stat}: how much work a local Logto did for the benchmark.
 */
final class ProcessCpu {

  /**
   * Linux reports {@code /proc} times in USER_HZ ticks, which is 100 on every architecture it
   * supports (the kernel's ABI, whatever the kernel's own HZ).
   */
  static final double TICKS_PER_SECOND = 100.0;

  private final long pid;
  private final Path stat;

  ProcessCpu(long pid) {
    this.pid = pid;
    this.stat = Path.of("/proc", Long.toString(pid), "stat");
    seconds();
  }

  long pid() {
    return pid;
  }

  /** CPU seconds since the process started. */
  double seconds() {
    String line;
    try {
      line = Files.readString(stat, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new IllegalStateException("no process " + pid + " on this machine (" + stat
          + " does not exist): give the pid of the Logto this benchmark talks to", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + stat, e);
    }
    return parse(line) / TICKS_PER_SECOND;
  }

  /**
   * utime + stime in ticks: fields 14 and 15 of the line, counted after the command name, which is
   * in parentheses and may itself hold spaces and parentheses.
   */
  static long parse(String line) {
    int end = line.lastIndexOf(')');
    if (end < 0) {
      throw new IllegalArgumentException("not a /proc/PID/stat line: " + line);
    }
    String[] fields = line.substring(end + 1).trim().split("\\s+");
    // fields[0] is field 3 (state): utime, field 14, is fields[11].
    if (fields.length < 13) {
      throw new IllegalArgumentException("not a /proc/PID/stat line: " + line);
    }
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }
}
