package io.logto.operator.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * This process's CPU time, split between the operator and the benchmark's harness (the in-process
 * Kubernetes API, the threads creating the objects) by the names of the threads that spent it.
 *
 * <p>A thread's CPU time can be read only while it lives, so every thread is read every {@link
 * #SAMPLE_MILLIS} ms and its last reading kept: a thread that ends between two readings loses at
 * most that much, counted nowhere. What no Java thread spent (garbage collection, the VM's own
 * threads) is reported apart: it serves the operator and the harness alike.
 */
final class JvmCpu implements AutoCloseable {

  static final long SAMPLE_MILLIS = 50;

  static final String THREAD_PREFIX = "bench-";

  /**
   * The harness's threads: the Fabric8 mock server runs on Vert.x; the benchmark names its own
   * {@code bench-}. The operator's clients (Kubernetes and Logto) use OkHttp, never Vert.x.
   */
  static final Predicate<String> HARNESS =
      name -> name.startsWith("vert.x-") || name.startsWith(THREAD_PREFIX);

  /** CPU seconds of one interval. */
  record Split(double operatorSeconds, double harnessSeconds, double vmSeconds,
      double compileSeconds, double gcSeconds) {
    double processSeconds() {
      return operatorSeconds + harnessSeconds + vmSeconds;
    }
  }

  private record Reading(String name, long nanos) {}

  /** The tier C2 compiles to: the JVM's default top tier, and C2's alone without tiering. */
  static final int C2_TIER = 4;

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final Map<Long, Reading> last = new HashMap<>();
  private final Thread sampler;
  private volatile boolean stopped;

  private JvmCpu() {
    if (!threads.isThreadCpuTimeSupported()) {
      throw new IllegalStateException("this JVM does not measure the CPU time of threads");
    }
    threads.setThreadCpuTimeEnabled(true);
    sampler = new Thread(this::sampleUntilClosed, THREAD_PREFIX + "cpu-sampler");
    sampler.setDaemon(true);
  }

  static JvmCpu start() {
    JvmCpu cpu = new JvmCpu();
    cpu.sample();
    cpu.sampler.start();
    return cpu;
  }

  /**
   * The highest tier this JVM compiles to: 1 when C1 alone compiles ({@code
   * -XX:TieredStopAtLevel=1}, as the image runs the operator), 4 when C2 compiles too, the JVM's
   * default. C2's compiling is a large share of {@link Split#vmSeconds()}, so the figures say it.
   */
  static int jitTopTier() {
    var hotspot = ManagementFactory.getPlatformMXBean(
        com.sun.management.HotSpotDiagnosticMXBean.class);
    if (hotspot == null) {
      return C2_TIER;
    }
    if (!Boolean.parseBoolean(hotspot.getVMOption("TieredCompilation").getValue())) {
      return C2_TIER;
    }
    return Math.min(C2_TIER, Integer.parseInt(hotspot.getVMOption("TieredStopAtLevel").getValue()));
  }

  /** The totals since the start; subtract two marks for an interval. */
  synchronized Mark mark() {
    sample();
    long operator = 0;
    long harness = 0;
    for (Reading reading : last.values()) {
      if (HARNESS.test(reading.name())) {
        harness += reading.nanos();
      } else {
        operator += reading.nanos();
      }
    }
    long gc = 0;
    for (var collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      gc += Math.max(0, collector.getCollectionTime());
    }
    var compilation = ManagementFactory.getCompilationMXBean();
    long compile = compilation != null && compilation.isCompilationTimeMonitoringSupported()
        ? compilation.getTotalCompilationTime() : 0;
    return new Mark(os.getProcessCpuTime(), operator, harness, compile, gc);
  }

  /**
   * Totals at one instant: CPU in nanoseconds; the time the JIT compilers and the garbage
   * collector say they took (elapsed, not CPU), in milliseconds.
   */
  record Mark(long processNanos, long operatorNanos, long harnessNanos, long compileMillis,
      long gcMillis) {
    Split since(Mark earlier) {
      long operator = operatorNanos - earlier.operatorNanos;
      long harness = harnessNanos - earlier.harnessNanos;
      long vm = Math.max(0, processNanos - earlier.processNanos - operator - harness);
      return new Split(operator / 1e9, harness / 1e9, vm / 1e9,
          (compileMillis - earlier.compileMillis) / 1e3, (gcMillis - earlier.gcMillis) / 1e3);
    }
  }

  private synchronized void sample() {
    long[] ids = threads.getAllThreadIds();
    ThreadInfo[] infos = threads.getThreadInfo(ids);
    for (int i = 0; i < ids.length; i++) {
      long nanos = threads.getThreadCpuTime(ids[i]);
      if (nanos >= 0 && infos[i] != null) {
        last.put(ids[i], new Reading(infos[i].getThreadName(), nanos));
      }
    }
  }

  private void sampleUntilClosed() {
    while (!stopped) {
      sample();
      try {
        Thread.sleep(SAMPLE_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    stopped = true;
    sampler.interrupt();
  }
}
