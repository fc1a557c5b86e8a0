package io.logto.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {

  @Test
  void userAndSystemTicksAreReadAfterACommandNameWithSpacesAndParentheses() {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    String line = "5193 (node (logto) x) S 1 5193 5193 0 -1 4194560 1200 0 3 0 1234 567 0 0 20 0";

    assertThat(ProcessCpu.parseStat(line).ownTicks()).isEqualTo(1234 + 567);
  }

  @Test
  void thisProcessHasSpentCpuAndItGrowsWithWork() {
    ProcessCpu self = new ProcessCpu(ProcessHandle.current().pid());
    var thread = java.lang.management.ManagementFactory.getThreadMXBean();
    double before = self.seconds();
    // Spin until this thread has had 0.3 s of CPU, however loaded the machine is.
    long start = thread.getCurrentThreadCpuTime();
    long spin = 0;
    while (thread.getCurrentThreadCpuTime() - start < 300_000_000L) {
      spin += Long.numberOfTrailingZeros(spin + System.nanoTime());
    }

    assertThat(spin).isNotNegative();
    // Ticks are 10 ms; the process spent at least what this thread did.
    assertThat(self.seconds() - before).isGreaterThanOrEqualTo(0.28);
  }

  @Test
  void parentChildrenAndCpuFieldsAreRead() {
    // ... utime stime cutime cstime priority nice
    String line = "700 (postgres) S 612 700 700 0 -1 4194560 1200 0 3 0 11 4 250 30 20 0";

    assertThat(ProcessCpu.parseStat(line)).isEqualTo(new ProcessCpu.Stat(612, 15, 280));
  }

  /**
   * A spinning child is counted while it lives (a backend of the database) and still after it has
   * ended and been waited for (a connection closed): neither lost nor counted twice.
   */
  @Test
  void withChildrenCountsALiveChildAndStillCountsItWhenItHasEnded() throws Exception {
    long self = ProcessHandle.current().pid();
    ProcessCpu own = new ProcessCpu(self);
    ProcessCpu tree = ProcessCpu.withChildren(self);
    double before = tree.seconds() - own.seconds();
    Process child = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
    try {
      // Until it has spun 0.3 s of CPU, however loaded the machine; counted only while it lives.
      double alive = before;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (alive - before < 0.3 && System.nanoTime() < deadline) {
        Thread.sleep(50);
        alive = tree.seconds() - own.seconds();
      }
      child.destroy();
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      double ended = tree.seconds() - own.seconds();

      assertThat(alive - before).isBetween(0.3, 0.5);
      // Once waited for, its time is the parent's cutime: kept, and not added a second time
      // (give or take a few 10 ms ticks: this JVM's own time is read after the tree's).
      assertThat(ended - before).isBetween(alive - before - 0.03, alive - before + 0.1);
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void anUnknownPidIsAClearError() {
    assertThatThrownBy(() -> new ProcessCpu(Integer.MAX_VALUE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no process " + Integer.MAX_VALUE);
    assertThatThrownBy(() -> ProcessCpu.withChildren(Integer.MAX_VALUE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no process " + Integer.MAX_VALUE, "PostgreSQL");
  }

  @Test
  void aLineWithoutItsFieldsIsRefused() {
    assertThatThrownBy(() -> ProcessCpu.parseStat("12 (sh) S 1 2"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
