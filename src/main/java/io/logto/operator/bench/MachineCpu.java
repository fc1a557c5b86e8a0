package io.logto.operator.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How busy the whole machine was, from Linux's {@code /proc/stat}: when every core is busy, the
 * limit is the machine, shared by Logto, its database, the operator and the harness, and no
 * client can make Logto go faster.
 */
final class MachineCpu {

  private static final Path STAT = Path.of("/proc/stat");

  /**
   * Ticks of all cores since boot: busy (not idle, not waiting for I/O) and in all, and how many
   * cores the machine has (not only those this process may use).
   */
  record Mark(long busyTicks, long allTicks, int cores) {
    /** Cores busy on average between {@code earlier} and this mark. */
    double busyCoresSince(Mark earlier) {
      long all = allTicks - earlier.allTicks;
      return all <= 0 ? 0 : cores * (double) (busyTicks - earlier.busyTicks) / all;
    }
  }

  private MachineCpu() {}

  /** Empty where there is no {@code /proc/stat} (not Linux). */
  static Optional<Mark> mark() {
    if (!Files.isReadable(STAT)) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(Files.readAllLines(STAT)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + STAT, e);
    }
  }

  static Mark parse(java.util.List<String> lines) {
    int cores = (int) lines.stream().filter(l -> l.matches("cpu\\d+\\s.*")).count();
    Mark all = parseTotal(lines.get(0));
    return new Mark(all.busyTicks(), all.allTicks(), Math.max(1, cores));
  }

  /** The first line: {@code cpu user nice system idle iowait irq softirq steal ...}. */
  static Mark parseTotal(String line) {
    String[] fields = line.trim().split("\\s+");
    if (fields.length < 6 || !"cpu".equals(fields[0])) {
      throw new IllegalArgumentException("not the first line of /proc/stat: " + line);
    }
    long all = 0;
    // guest and guest_nice (fields 9 and 10) are already counted in user and nice.
    for (int i = 1; i < Math.min(fields.length, 9); i++) {
      all += Long.parseLong(fields[i]);
    }
    long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
    return new Mark(all - idle, all, 1);
  }
}
