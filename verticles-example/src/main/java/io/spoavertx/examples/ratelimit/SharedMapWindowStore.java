package io.spoavertx.examples.ratelimit;

import io.vertx.core.Future;
import io.vertx.core.shareddata.AsyncMap;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counters in a Vert.x {@link AsyncMap} ({@code vertx.sharedData().getAsyncMap}): cluster-wide
 * when Vert.x is clustered, a local map otherwise. One entry per key and window
 * ({@code key@window}), created with a TTL of two windows (so the sliding algorithm can still
 * read the previous one), incremented with compare-and-set ({@code putIfAbsent}, then
 * {@code replaceIfPresent} with a few retries under contention). Everything is asynchronous:
 * the event loop never waits for the cluster.
 *
 * <p>Cost: one to three data-grid round trips per hit (plus one read for sliding). When that is
 * too much, give each node {@code limit / nodes} with {@link LocalWindowStore} instead.
 *
 * <p>TTL: the four-argument {@code replaceIfPresent(k, old, new, ttl)} is not implemented by every
 * cluster manager (vertx-hazelcast 5.1.5 fails it with {@link UnsupportedOperationException});
 * the store then falls back to the plain one, which does not renew the TTL. Whether the TTL set
 * at creation survives a replace is the cluster manager's business: with Hazelcast also set a
 * map-level {@code time-to-live-seconds} for {@code spoa.ratelimit.*} as a safety net.
 */
final class SharedMapWindowStore implements WindowStore {

  private static final int MAX_ATTEMPTS = 16;

  private final AsyncMap<String, Long> map;
  private final long ttlMs;
  private final boolean readPrevious;
  private final AtomicBoolean ttlReplaceUnsupported = new AtomicBoolean();

  SharedMapWindowStore(AsyncMap<String, Long> map, RateLimitPolicy policy) {
    this.map = map;
    this.ttlMs = 2 * policy.windowMs() + 1000;
    this.readPrevious = policy.algorithm() == RateLimitPolicy.Algorithm.SLIDING;
  }

  @Override
  public Future<Counts> add(String key, long window, long cost) {
    Future<Long> current = increment(key + '@' + window, cost, 1);
    Future<Long> previous = readPrevious
        ? map.get(key + '@' + (window - 1)).map(v -> v == null ? 0L : v)
        : Future.succeededFuture(0L);
    return Future.all(current, previous).map(all -> new Counts(current.result(), previous.result()));
  }

  private Future<Long> increment(String k, long cost, int attempt) {
    return map.putIfAbsent(k, cost, ttlMs).compose(existing -> {
      if (existing == null) {
        return Future.succeededFuture(cost);
      }
      if (cost == 0) {
        return Future.succeededFuture(existing);
      }
      long next = existing + cost;
      return replace(k, existing, next).compose(replaced -> {
        if (replaced) {
          return Future.succeededFuture(next);
        }
        if (attempt >= MAX_ATTEMPTS) {
          return Future.failedFuture("rate-limit counter " + k + ": too much contention");
        }
        return increment(k, cost, attempt + 1);
      });
    });
  }

  private Future<Boolean> replace(String k, long expected, long next) {
    if (ttlReplaceUnsupported.get()) {
      return map.replaceIfPresent(k, expected, next);
    }
    return map.replaceIfPresent(k, expected, next, ttlMs).recover(t -> {
      if (t instanceof UnsupportedOperationException) {
        ttlReplaceUnsupported.set(true);
        return map.replaceIfPresent(k, expected, next);
      }
      return Future.failedFuture(t);
    });
  }
}
