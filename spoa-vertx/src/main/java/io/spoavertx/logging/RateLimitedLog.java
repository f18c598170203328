package io.spoavertx.logging;

import java.util.concurrent.atomic.AtomicLong;

/** Logs at most one line per interval; the next line says how many were suppressed. Internal. */
public final class RateLimitedLog {

  private final Log log;
  private final long intervalNanos;
  private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  public RateLimitedLog(Log log, long intervalMs) {
    this.log = log;
    this.intervalNanos = intervalMs * 1_000_000L;
  }

  public void warn(String message) {
    long now = System.nanoTime();
    long n = next.get();
    if ((n == Long.MIN_VALUE || now - n >= 0) && next.compareAndSet(n, now + intervalNanos)) {
      long s = suppressed.getAndSet(0);
      log.warn(s > 0 ? message + " (" + s + " similar lines suppressed)" : message);
    } else {
      suppressed.incrementAndGet();
    }
  }
}
