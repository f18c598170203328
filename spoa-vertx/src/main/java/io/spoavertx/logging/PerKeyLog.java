package io.spoavertx.logging;

import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link RateLimitedLog}s by key (a message name): at most one line per key and interval, so one
 * noisy key does not hide the others. Past {@code maxKeys} keys, the others share one limit. Internal.
 */
public final class PerKeyLog {

  private final Log log;
  private final long intervalMs;
  private final int maxKeys;
  private final ConcurrentHashMap<String, RateLimitedLog> byKey = new ConcurrentHashMap<>();
  private final RateLimitedLog others;

  public PerKeyLog(Log log, long intervalMs, int maxKeys) {
    this.log = log;
    this.intervalMs = intervalMs;
    this.maxKeys = maxKeys;
    this.others = new RateLimitedLog(log, intervalMs);
  }

  /** Logs {@code message} at WARN unless a line of {@code key} was logged less than the interval ago. */
  public void warn(String key, String message) {
    RateLimitedLog l = byKey.get(key);
    if (l == null) {
      l = byKey.size() < maxKeys ? byKey.computeIfAbsent(key, k -> new RateLimitedLog(log, intervalMs)) : others;
    }
    l.warn(message);
  }
}
