package io.spoavertx.handler.internal;

import io.spoavertx.handler.MessageSpec;
import io.spoavertx.handler.SpoeHandler;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SPOE handlers registered in this JVM, per Vert.x instance and address, each with the context
 * it runs on ({@link LocalEndpoint}). The agent hands a message straight to the one on the event
 * loop that read it, or else to another one here, without the event bus; only addresses with none
 * here go over the event bus (other cluster nodes, or "no handler"). Internal.
 *
 * <p>Readers take a snapshot array per address; {@link #version()} changes with every
 * registration, so a reader can keep what it resolved until it changes.
 */
public final class LocalHandlers {

  private static final Map<Vertx, LocalHandlers> BY_VERTX = new WeakHashMap<>();
  private static final LocalEndpoint[] NONE = new LocalEndpoint[0];

  private final ConcurrentHashMap<String, LocalEndpoint[]> byAddress = new ConcurrentHashMap<>();
  private volatile int version;

  private LocalHandlers() {
  }

  /** The registry of {@code vertx}'s handlers. */
  public static LocalHandlers of(Vertx vertx) {
    synchronized (BY_VERTX) {
      return BY_VERTX.computeIfAbsent(vertx, v -> new LocalHandlers());
    }
  }

  /**
   * Registers {@code handler} at {@code address}, running on {@code context}. On an event-loop
   * context the endpoint is usable at once when called on that event loop; otherwise it is added
   * from a task on the context (the event loop's thread is learnt there).
   */
  public LocalEndpoint add(String address, Context context, SpoeHandler handler) {
    return add(address, context, handler, null);
  }

  /**
   * {@link #add(String, Context, SpoeHandler)} with the handler's declaration.
   *
   * @param address the event-bus address the handler answers at
   * @param context the context it runs on
   * @param handler the handler
   * @param spec its declaration, or null
   * @return the endpoint, to {@link #remove} it
   */
  public LocalEndpoint add(String address, Context context, SpoeHandler handler, MessageSpec spec) {
    LocalEndpoint endpoint = new LocalEndpoint(address, context, handler, spec);
    if (!context.isEventLoopContext() || Vertx.currentContext() == context) {
      add(endpoint);
    } else {
      context.runOnContext(v -> {
        if (!endpoint.removed) {
          add(endpoint);
        }
      });
    }
    return endpoint;
  }

  private synchronized void add(LocalEndpoint endpoint) {
    endpoint.learnThread();
    LocalEndpoint[] old = byAddress.getOrDefault(endpoint.address(), NONE);
    LocalEndpoint[] now = Arrays.copyOf(old, old.length + 1);
    now[old.length] = endpoint;
    byAddress.put(endpoint.address(), now);
    version++;
  }

  /** Forgets {@code endpoint} (its consumer was unregistered or its verticle undeployed); idempotent. */
  public synchronized void remove(LocalEndpoint endpoint) {
    endpoint.removed = true;
    LocalEndpoint[] old = byAddress.get(endpoint.address());
    if (old == null) {
      return;
    }
    int i = Arrays.asList(old).indexOf(endpoint);
    if (i < 0) {
      return;
    }
    if (old.length == 1) {
      byAddress.remove(endpoint.address());
    } else {
      LocalEndpoint[] now = new LocalEndpoint[old.length - 1];
      System.arraycopy(old, 0, now, 0, i);
      System.arraycopy(old, i + 1, now, i, old.length - i - 1);
      byAddress.put(endpoint.address(), now);
    }
    version++;
  }

  /** Changes whenever a handler is added or removed. */
  public int version() {
    return version;
  }

  /** The handlers at {@code address} now (do not modify the array). */
  public LocalEndpoint[] endpoints(String address) {
    return byAddress.getOrDefault(address, NONE);
  }

  /**
   * The declarations of the handlers registered now, each once (instances of one handler declare
   * the same), sorted by message name.
   *
   * @return the declarations, unmodifiable
   */
  public List<MessageSpec> declaredSpecs() {
    Set<MessageSpec> specs = new HashSet<>();
    for (LocalEndpoint[] endpoints : byAddress.values()) {
      for (LocalEndpoint e : endpoints) {
        if (e.spec() != null) {
          specs.add(e.spec());
        }
      }
    }
    List<MessageSpec> sorted = new ArrayList<>(specs);
    sorted.sort(Comparator.comparing(MessageSpec::name).thenComparing(MessageSpec::toString));
    return List.copyOf(sorted);
  }

  /** Every address with its handlers, for the startup line. */
  public Map<String, List<LocalEndpoint>> snapshot() {
    Map<String, List<LocalEndpoint>> m = new LinkedHashMap<>();
    byAddress.forEach((a, e) -> m.put(a, new ArrayList<>(Arrays.asList(e))));
    return m;
  }
}
