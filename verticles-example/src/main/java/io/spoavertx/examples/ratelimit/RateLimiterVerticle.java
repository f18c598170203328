package io.spoavertx.examples.ratelimit;

import io.spoavertx.handler.Actions;
import io.spoavertx.handler.DataType;
import io.spoavertx.handler.MessageSpec;
import io.spoavertx.handler.Scope;
import io.spoavertx.agent.SpoeHandlers;
import io.spoavertx.handler.SpoeMessage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

import java.util.function.LongSupplier;

/**
 * Rate limiter: answers {@code rate-limit} (arguments {@code key}, any type, e.g. {@code src} or a
 * header; optional integer {@code cost}, default 1) with {@code txn.<prefix>.limited} (bool) and
 * {@code txn.<prefix>.remaining} (int). HAProxy then answers 429:
 * {@code http-request deny deny_status 429 if { var(txn.spoa.limited) -m bool }}.
 *
 * <p>Config ({@code handlers[].config}):
 * <pre>{@code
 * { "limit": 10, "windowMs": 1000, "algorithm": "sliding",   // see RateLimitPolicy
 *   "store": "auto",        // auto: "shared" when Vert.x is clustered, else "local"
 *   "name": "default",      // counters live in shared data "spoa.ratelimit.<name>"
 *   "message": "rate-limit" }
 * }</pre>
 *
 * A message without a key (a NULL sample) gets no actions: it is not limited. If the store fails
 * (cluster trouble), the handler fails and the agent answers without actions: fail open.
 */
public class RateLimiterVerticle extends VerticleBase {

  public static final String MESSAGE = "rate-limit";

  private final LongSupplier clock;
  private RateLimitPolicy policy;
  private WindowStore store;

  public RateLimiterVerticle() {
    this(System::currentTimeMillis);
  }

  /** With a clock of its own, for tests. */
  RateLimiterVerticle(LongSupplier clock) {
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    JsonObject cfg = config();
    try {
      policy = RateLimitPolicy.fromJson(cfg);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    String mapName = "spoa.ratelimit." + cfg.getString("name", "default");
    String kind = cfg.getString("store", "auto");
    if (kind.equals("auto")) {
      kind = vertx.isClustered() ? "shared" : "local";
    }
    Future<WindowStore> created;
    switch (kind) {
      case "local" -> created = Future.succeededFuture(new LocalWindowStore(vertx, mapName, policy, clock));
      case "shared" -> created = vertx.sharedData().<String, Long>getAsyncMap(mapName)
          .map(m -> new SharedMapWindowStore(m, policy));
      default -> {
        return Future.failedFuture(new IllegalArgumentException("store must be auto, local or shared: '" + kind + "'"));
      }
    }
    return created.compose(s -> {
      store = s;
      return SpoeHandlers.register(vertx, spec(cfg.getString("message", MESSAGE)), this::check).completion();
    });
  }

  /**
   * What HAProxy sends and gets: the key (here the client address; a header such as
   * {@code req.hdr(x-api-key)} works too) and an optional cost; {@code limited} (HAProxy answers 429
   * on it) and {@code remaining}.
   */
  static MessageSpec spec(String message) {
    return MessageSpec.builder(message)
        .arg("key", "src")
        .optionalArg("cost", "int(1)", DataType.INT32, DataType.UINT32, DataType.INT64, DataType.UINT64)
        .sets(Scope.TXN, "limited", DataType.BOOL)
        .sets(Scope.TXN, "remaining", DataType.INT32)
        .denies("limited", 429)
        .responseHeader("remaining", "X-RateLimit-Remaining")
        .build();
  }

  @Override
  public Future<?> stop() {
    if (store != null) {
      store.close();
    }
    return Future.succeededFuture();
  }

  Future<Actions> check(SpoeMessage message) {
    String key = message.getString("key");
    if (key == null) {
      return Future.succeededFuture(Actions.none());
    }
    long cost = Math.max(0, message.getLong("cost", 1));
    long now = clock.getAsLong();
    return store.add(key, policy.window(now), cost).map(counts -> {
      RateLimitPolicy.Decision d = policy.decide(counts.current(), counts.previous(), now);
      return Actions.create()
          .setVar(Scope.TXN, "limited", d.limited())
          .setVar(Scope.TXN, "remaining", (int) Math.min(d.remaining(), Integer.MAX_VALUE));
    });
  }
}
