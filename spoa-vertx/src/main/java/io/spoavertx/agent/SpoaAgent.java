package io.spoavertx.agent;

import io.spoavertx.agent.impl.SpoaServerVerticle;
import io.spoavertx.config.AgentConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.spoavertx.handler.SpoeHandler;
import io.spoavertx.metrics.SpoaMeters;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.spoavertx.agent.impl.Log;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An SPOA agent inside a Vert.x instance: HAProxy connects to it and its messages reach handlers.
 *
 * <pre>{@code
 * SpoaAgent agent = SpoaAgent.create(vertx, AgentConfig.DEFAULT)
 *     .directHandler("check-client-ip", msg -> Future.succeededFuture(
 *         Actions.create().setVar(Scope.TXN, "score", 42)));
 * agent.start().onSuccess(port -> ...);
 * }</pre>
 *
 * Messages without a direct handler go over the event bus to {@code spoa.message.<name>} (or the
 * address configured for them), where {@link io.spoavertx.handler.SpoeHandlers} register handlers.
 */
public final class SpoaAgent {

  private static final Log LOG = Log.get(SpoaAgent.class);

  private final Vertx vertx;
  private final AgentConfig config;
  private final Map<String, SpoeHandler> directHandlers = new LinkedHashMap<>();
  private final AgentStats stats = new AgentStats();
  private final List<String> deployments = new ArrayList<>();
  private volatile int port = -1;
  private boolean started;
  private MeterRegistry meterRegistry;
  private final AtomicInteger connectionCount = new AtomicInteger();

  private SpoaAgent(Vertx vertx, AgentConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  public static SpoaAgent create(Vertx vertx, AgentConfig config) {
    return new SpoaAgent(vertx, config);
  }

  /**
   * Answers messages named {@code messageName} in-process, on the connection's event loop: the
   * fastest path, for handlers that do not block. Register before {@link #start()}.
   */
  public synchronized SpoaAgent directHandler(String messageName, SpoeHandler handler) {
    if (started) {
      throw new IllegalStateException("register direct handlers before start()");
    }
    directHandlers.put(messageName, handler);
    return this;
  }

  /**
   * Where the agent's meters go (see {@link SpoaMeters}). By default, with {@code metrics.enabled},
   * the registry of Vert.x's Micrometer metrics if they are on; set one to export elsewhere.
   */
  public synchronized SpoaAgent meterRegistry(MeterRegistry registry) {
    this.meterRegistry = registry;
    return this;
  }

  /** Binds the listener with the configured number of instances; completes with the bound port. */
  public synchronized Future<Integer> start() {
    if (started) {
      return Future.failedFuture(new IllegalStateException("already started"));
    }
    started = true;
    MeterRegistry registry = meterRegistry != null ? meterRegistry
        : config.metrics().enabled() ? BackendRegistries.getDefaultNow() : null;
    if (registry != null) {
      SpoaMeters.bind(registry, stats);
    }
    Map<String, SpoeHandler> handlers = Map.copyOf(directHandlers);
    AtomicReference<SpoaServerVerticle> any = new AtomicReference<>();
    // All instances share one listening socket: Vert.x shares servers bound to the same host and
    // port, and a random port only when asked for with -1 (port 0 gives each instance its own).
    int bindPort = config.listener().port() == 0 && config.listener().instances() > 1 ? -1 : config.listener().port();
    return vertx.deployVerticle(() -> {
      SpoaServerVerticle v = new SpoaServerVerticle(config, bindPort, handlers, stats, connectionCount);
      any.set(v);
      return v;
    }, new DeploymentOptions().setInstances(config.listener().instances())).map(id -> {
      deployments.add(id);
      port = any.get().actualPort();
      return port;
    }).onSuccess(p -> LOG.info("SPOA agent listening on " + config.listener().host() + ":" + p
        + " (" + (vertx.isNativeTransportEnabled() ? "native transport" : "NIO") + ", "
        + config.listener().instances() + " instance(s), direct handlers " + handlers.keySet()
        + ", routes " + config.dispatch().routes().keySet() + ", default address prefix '"
        + config.dispatch().addressPrefix() + "')"));
  }

  /** The bound port, or -1 before {@link #start()} completes. */
  public int port() {
    return port;
  }

  public AgentStats stats() {
    return stats;
  }

  public AgentConfig config() {
    return config;
  }

  /** Closes the listener and its connections. */
  public synchronized Future<Void> stop() {
    List<Future<Void>> undeploys = new ArrayList<>();
    for (String id : deployments) {
      // a parent verticle's undeploy or vertx.close() may have undeployed it already
      if (vertx.deploymentIDs().contains(id)) {
        undeploys.add(vertx.undeploy(id));
      }
    }
    deployments.clear();
    return Future.all(undeploys).<Void>mapEmpty().onComplete(ar -> LOG.info("SPOA agent stopped: "
        + stats.notifies() + " NOTIFYs read, " + stats.acks() + " ACKs sent, "
        + stats.framesAborted() + " aborted by HAProxy"));
  }
}
