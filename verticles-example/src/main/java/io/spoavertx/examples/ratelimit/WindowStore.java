package io.spoavertx.examples.ratelimit;

import io.vertx.core.Future;

/** Where the per-key window counters live. Implementations never block the calling thread. */
interface WindowStore {

  /** Counts of a key after a hit. */
  record Counts(long current, long previous) {
  }

  /**
   * Adds {@code cost} to the counter of {@code key} in {@code window} and returns the counts of
   * this window and the previous one.
   */
  Future<Counts> add(String key, long window, long cost);

  /** Releases timers; the data itself stays (it is shared). */
  default void close() {
  }
}
