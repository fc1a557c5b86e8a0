package io.logto.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcessCpuTest {

  @Test
  void userAndSystemTicksAreReadAfterACommandNameWithSpacesAndParentheses() {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    String line = "5193 (node (logto) x) S 1 5193 5193 0 -1 4194560 1200 0 3 0 1234 567 0 0 20 0";

    assertThat(ProcessCpu.parse(line)).isEqualTo(1234 + 567);
  }

  @Test
  void thisProcessHasSpentCpuAndItGrowsWithWork() {
    ProcessCpu self = new ProcessCpu(ProcessHandle.current().pid());
    double before = self.seconds();
    long deadline = System.nanoTime() + 300_000_000L;
    long spin = 0;
    while (System.nanoTime() < deadline) {
      spin += Long.numberOfTrailingZeros(spin + System.nanoTime());
    }

    assertThat(spin).isNotNegative();
    // 0.3 s of spinning on one thread; ticks are 10 ms.
    assertThat(self.seconds() - before).isGreaterThanOrEqualTo(0.2);
  }

  @Test
  void anUnknownPidIsAClearError() {
    assertThatThrownBy(() -> new ProcessCpu(Integer.MAX_VALUE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no process " + Integer.MAX_VALUE);
  }

  @Test
  void aLineWithoutItsFieldsIsRefused() {
    assertThatThrownBy(() -> ProcessCpu.parse("12 (sh) S 1 2"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
