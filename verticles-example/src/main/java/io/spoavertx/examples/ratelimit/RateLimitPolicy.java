package io.spoavertx.examples.ratelimit;

import io.vertx.core.json.JsonObject;

import java.util.Locale;

/**
 * How many hits a key may make per window, from JSON:
 * {@code {"limit": 10, "windowMs": 1000, "algorithm": "sliding"}}.
 *
 * <ul>
 *   <li>{@code fixed}: a counter per window ({@code now / windowMs}); it resets at each boundary,
 *       so a client can burst up to twice the limit across one.</li>
 *   <li>{@code sliding} (default): the current window's count plus the previous window's count
 *       weighted by how much of it still overlaps the last {@code windowMs}, the approximation
 *       popularised by Cloudflare; same storage as fixed, no bursts at boundaries.</li>
 * </ul>
 *
 * Every hit counts, including limited ones: a client that keeps hammering stays limited.
 *
 * @param limit hits (sum of costs) allowed per window
 * @param windowMs window length in milliseconds
 * @param algorithm fixed or sliding
 */
record RateLimitPolicy(long limit, long windowMs, Algorithm algorithm) {

  enum Algorithm { FIXED, SLIDING }

  /** Outcome of one hit: whether to limit it and how many hits are left in the window. */
  record Decision(boolean limited, long remaining) {
  }

  RateLimitPolicy {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0: " + limit);
    }
    if (windowMs < 1) {
      throw new IllegalArgumentException("windowMs must be >= 1: " + windowMs);
    }
  }

  static RateLimitPolicy fromJson(JsonObject json) {
    String algorithm = json.getString("algorithm", "sliding");
    try {
      return new RateLimitPolicy(json.getLong("limit", 10L), json.getLong("windowMs", 1000L),
          Algorithm.valueOf(algorithm.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().startsWith("No enum")
          ? "algorithm must be fixed or sliding: '" + algorithm + "'" : e.getMessage(), e);
    }
  }

  /** The window a timestamp falls in. */
  long window(long nowMs) {
    return Math.floorDiv(nowMs, windowMs);
  }

  /**
   * Decides a hit from the counts after it was added.
   *
   * @param current hits in the current window, this one included
   * @param previous hits in the previous window (ignored by fixed)
   * @param nowMs the time of the hit
   */
  Decision decide(long current, long previous, long nowMs) {
    double used = current;
    if (algorithm == Algorithm.SLIDING && previous > 0) {
      long elapsed = Math.floorMod(nowMs, windowMs);
      used += previous * (double) (windowMs - elapsed) / windowMs;
    }
    long usedWhole = (long) Math.ceil(used);
    return new Decision(usedWhole > limit, Math.max(0, limit - usedWhole));
  }
}
