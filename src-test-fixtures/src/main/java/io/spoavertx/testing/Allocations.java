package io.spoavertx.testing;

import java.lang.management.ManagementFactory;

/**
 * Measures heap allocation by the current thread, to pin "this allocates at most N bytes" in tests:
 * <pre>{@code
 * long bytes = Allocations.bytesAllocatedBy(() -> scanner.scan(frame, 0, frame.length()));
 * assertThat(bytes).isLessThanOrEqualTo(0);
 * }</pre>
 *
 * <p>Uses {@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes} (HotSpot). The
 * action is run many times first so the JIT compiles it (escape analysis removes allocations only
 * in compiled code), then measured several times; the minimum is returned, which filters out
 * one-off noise such as a TLAB refill or a class being loaded. The counter itself is exact to the
 * byte once the measurement overhead (calibrated with an empty action) is subtracted.
 */
public final class Allocations {

  private static final com.sun.management.ThreadMXBean THREADS = threadBean();

  /** Warm-up runs before measuring. */
  public static final int DEFAULT_WARMUP = 20_000;
  /** Measured runs; the minimum is kept. */
  public static final int DEFAULT_ROUNDS = 20;

  private static volatile long overhead = -1;

  private Allocations() {
  }

  /** {@return true when the JVM can count allocated bytes per thread} */
  public static boolean isSupported() {
    return THREADS != null && THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled();
  }

  /**
   * Bytes one run of {@code action} allocates on this thread, after warm-up (minimum of several runs).
   *
   * @param action the code to measure
   * @return the bytes allocated by one run, never negative
   * @throws UnsupportedOperationException if the JVM cannot measure it (see {@link #isSupported()})
   */
  public static long bytesAllocatedBy(Runnable action) {
    return bytesAllocatedBy(action, DEFAULT_WARMUP, DEFAULT_ROUNDS);
  }

  /**
   * Runs {@code action} {@code warmup} times, then measures {@code rounds} single runs and returns
   * the smallest count of bytes allocated (never negative).
   *
   * @param action the code to measure
   * @param warmup runs before measuring, e.g. {@link #DEFAULT_WARMUP}
   * @param rounds measured runs, at least 1, e.g. {@link #DEFAULT_ROUNDS}
   * @return the fewest bytes allocated by one measured run
   * @throws UnsupportedOperationException if the JVM cannot measure it (see {@link #isSupported()})
   * @throws IllegalArgumentException      if {@code rounds} is less than 1
   */
  public static long bytesAllocatedBy(Runnable action, int warmup, int rounds) {
    if (!isSupported()) {
      throw new UnsupportedOperationException("this JVM does not count allocated bytes per thread");
    }
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds must be >= 1");
    }
    for (int i = 0; i < warmup; i++) {
      action.run();
    }
    long base = overhead();
    long min = Long.MAX_VALUE;
    for (int i = 0; i < rounds; i++) {
      long before = THREADS.getCurrentThreadAllocatedBytes();
      action.run();
      long after = THREADS.getCurrentThreadAllocatedBytes();
      min = Math.min(min, after - before);
    }
    return Math.max(0, min - base);
  }

  /**
   * Average bytes per run over {@code runs} runs after warm-up: for actions whose allocation varies.
   *
   * @param action the code to measure
   * @param warmup runs before measuring
   * @param runs   measured runs
   * @return the bytes allocated per measured run, on average
   * @throws UnsupportedOperationException if the JVM cannot measure it (see {@link #isSupported()})
   */
  public static double averageBytesAllocatedBy(Runnable action, int warmup, int runs) {
    if (!isSupported()) {
      throw new UnsupportedOperationException("this JVM does not count allocated bytes per thread");
    }
    for (int i = 0; i < warmup; i++) {
      action.run();
    }
    long before = THREADS.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < runs; i++) {
      action.run();
    }
    long after = THREADS.getCurrentThreadAllocatedBytes();
    return Math.max(0, after - before - overhead()) / (double) runs;
  }

  /** What two back-to-back reads of the counter report (0 on current HotSpot builds). */
  private static long overhead() {
    long o = overhead;
    if (o < 0) {
      o = Long.MAX_VALUE;
      for (int i = 0; i < 1000; i++) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        long after = THREADS.getCurrentThreadAllocatedBytes();
        o = Math.min(o, after - before);
      }
      overhead = o;
    }
    return o;
  }

  private static com.sun.management.ThreadMXBean threadBean() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    return bean instanceof com.sun.management.ThreadMXBean b ? b : null;
  }
}
