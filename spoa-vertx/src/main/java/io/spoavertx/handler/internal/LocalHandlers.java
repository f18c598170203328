package io.spoavertx.handler.internal;

import io.vertx.core.Vertx;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which event-bus addresses have a SPOE handler in this JVM, per Vert.x instance. The agent sends
 * a {@link LocalRequest} only where one exists; elsewhere it uses request/reply, which also reports
 * "no handler" and reaches other cluster nodes. Internal.
 */
public final class LocalHandlers {

  private static final Map<Vertx, ConcurrentHashMap<String, AtomicInteger>> BY_VERTX = new WeakHashMap<>();

  private LocalHandlers() {
  }

  private static ConcurrentHashMap<String, AtomicInteger> of(Vertx vertx) {
    synchronized (BY_VERTX) {
      return BY_VERTX.computeIfAbsent(vertx, v -> new ConcurrentHashMap<>());
    }
  }

  public static void added(Vertx vertx, String address) {
    of(vertx).computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
  }

  public static void removed(Vertx vertx, String address) {
    AtomicInteger n = of(vertx).get(address);
    if (n != null) {
      n.decrementAndGet();
    }
  }

  /** A view the agent keeps (one map lookup per message, no lock). */
  public static Map<String, AtomicInteger> registry(Vertx vertx) {
    return of(vertx);
  }

  /** How many SPOE handlers (verticle instances) are registered at {@code address}. */
  public static int count(Map<String, AtomicInteger> registry, String address) {
    AtomicInteger n = registry.get(address);
    return n == null ? 0 : Math.max(0, n.get());
  }

  public static boolean has(Map<String, AtomicInteger> registry, String address) {
    AtomicInteger n = registry.get(address);
    return n != null && n.get() > 0;
  }
}
