package io.logto.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class MachineCpuTest {

  @Test
  void busyIsEverythingButIdleAndIoWaitAndCoresAreTheNumberedLines() {
    MachineCpu.Mark earlier = MachineCpu.parse(List.of(
        "cpu  100 0 50 800 50 0 0 0 0 0", "cpu0 50 0 25 400 25 0 0 0 0 0",
        "cpu1 50 0 25 400 25 0 0 0 0 0", "intr 1 2 3"));
    // 300 ticks later on the two cores: 150 user, 30 system, 100 idle, 20 waiting for I/O.
    MachineCpu.Mark later = MachineCpu.parse(List.of(
        "cpu  250 0 80 900 70 0 0 0 5 0", "cpu0 125 0 40 450 35 0 0 0 0 0",
        "cpu1 125 0 40 450 35 0 0 0 0 0"));

    assertThat(later.cores()).isEqualTo(2);
    // guest (5) is inside user already: not counted twice.
    assertThat(later.busyCoresSince(earlier)).isCloseTo(2 * 180.0 / 300, within(1e-9));
  }

  @Test
  void thisMachinesCountersAdvance() throws InterruptedException {
    var before = MachineCpu.mark();
    Thread.sleep(50);
    var after = MachineCpu.mark();

    assertThat(before).isPresent();
    assertThat(after.get().allTicks()).isGreaterThanOrEqualTo(before.get().allTicks());
    assertThat(after.get().busyCoresSince(before.get()))
        .isBetween(0.0, (double) after.get().cores());
  }
}
