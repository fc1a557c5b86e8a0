package io.logto.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JvmCpuTest {

  /** Spins until it has had {@code millis} of CPU time, however loaded the machine is. */
  private static Thread spinner(String name, long millis) {
    return new Thread(() -> {
      var threads = java.lang.management.ManagementFactory.getThreadMXBean();
      long until = threads.getCurrentThreadCpuTime() + millis * 1_000_000;
      long x = 0;
      while (threads.getCurrentThreadCpuTime() < until) {
        x += Long.bitCount(x ^ System.nanoTime());
      }
      if (x == 42) {
        System.out.print("");
      }
    }, name);
  }

  @Test
  void cpuIsSplitByThreadNameAndAThreadThatEndedStillCounts() throws Exception {
    try (JvmCpu cpu = JvmCpu.start()) {
      JvmCpu.Mark before = cpu.mark();
      Thread harness = spinner(JvmCpu.THREAD_PREFIX + "test-harness", 400);
      harness.start();
      harness.join();
      Thread operator = spinner("reconciler-test", 400);
      operator.start();
      operator.join();
      // Both threads have ended; the sampler read them while they ran.
      JvmCpu.Split split = cpu.mark().since(before);

      // Each spent 0.4 s of CPU; the sampler may miss up to its period of a thread's last work.
      assertThat(split.harnessSeconds()).isBetween(0.4 - 0.1, 0.5);
      assertThat(split.operatorSeconds()).isBetween(0.4 - 0.1, 0.5 + 0.2);
      assertThat(split.vmSeconds()).isNotNegative();
      assertThat(split.processSeconds()).isGreaterThanOrEqualTo(
          split.harnessSeconds() + split.operatorSeconds());
    }
  }

  @Test
  void theJitTopTierIsTheJvmsTieredStopAtLevel() {
    int expected = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
        .stream()
        .filter(argument -> argument.startsWith("-XX:TieredStopAtLevel="))
        .map(argument -> Integer.parseInt(argument.substring(argument.indexOf('=') + 1)))
        .reduce((first, last) -> last)
        .orElse(JvmCpu.C2_TIER);

    assertThat(JvmCpu.jitTopTier()).isEqualTo(expected).isBetween(0, JvmCpu.C2_TIER);
  }

  @Test
  void theMockServersVertxThreadsAreTheHarnessAndOkHttpIsTheOperator() {
    assertThat(JvmCpu.HARNESS).accepts("vert.x-eventloop-thread-0", "bench-create-3")
        .rejects("OkHttp Dispatcher", "ReconcilerExecutor-logtom2mapp-12", "main");
  }
}
