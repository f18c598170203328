package io.spoavertx.examples.ratelimit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.function.LongSupplier;

/**
 * Counters in a Vert.x {@link LocalMap}: shared by every verticle instance of this JVM, updated
 * with one atomic {@code compute} per hit, no future chain, no allocation but the new slot.
 * One entry per key holds this window's and the previous window's counts; a periodic sweep
 * drops keys that have been quiet for two windows. The right store when Vert.x is not clustered
 * (or when each node may enforce its own share of the limit).
 */
final class LocalWindowStore implements WindowStore {

  /** One key's counters; immutable, {@link Shareable} so the local map accepts it without copying. */
  record Slot(long window, long current, long previous) implements Shareable {
  }

  private final LocalMap<String, Slot> map;
  private final Vertx vertx;
  private final long timerId;

  LocalWindowStore(Vertx vertx, String mapName, RateLimitPolicy policy, LongSupplier clock) {
    this.vertx = vertx;
    this.map = vertx.sharedData().getLocalMap(mapName);
    long every = Math.max(1000, 2 * policy.windowMs());
    this.timerId = vertx.setPeriodic(every, id -> sweep(policy.window(clock.getAsLong())));
  }

  @Override
  public Future<Counts> add(String key, long window, long cost) {
    Slot s = map.compute(key, (k, old) -> next(old, window, cost));
    return Future.succeededFuture(new Counts(s.current(), s.previous()));
  }

  static Slot next(Slot old, long window, long cost) {
    if (old == null || old.window() < window - 1) {
      return new Slot(window, cost, 0);
    }
    if (old.window() == window - 1) {
      return new Slot(window, cost, old.current());
    }
    // same window (or a clock that stepped back: keep counting in the newer window)
    return new Slot(old.window(), old.current() + cost, old.previous());
  }

  /** Removes keys whose counters no longer matter in {@code window}. */
  void sweep(long window) {
    for (String key : map.keySet()) {
      map.computeIfPresent(key, (k, s) -> s.window() < window - 1 ? null : s);
    }
  }

  int size() {
    return map.size();
  }

  @Override
  public void close() {
    vertx.cancelTimer(timerId);
  }
}
