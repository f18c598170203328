package io.spoavertx.agent;

import io.spoavertx.agent.impl.Counters;
import io.spoavertx.agent.impl.MessageLogs;
import io.spoavertx.agent.impl.MeterBinding;
import io.spoavertx.agent.impl.EventLoops;
import io.spoavertx.agent.impl.SpoaServerVerticle;
import io.spoavertx.handler.internal.LocalEndpoint;
import io.spoavertx.handler.internal.LocalHandlers;
import io.spoavertx.config.AgentConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.spoavertx.handler.MessageSpec;
import io.spoavertx.handler.SpoeHandler;
import io.spoavertx.metrics.AgentStats;
import io.spoavertx.metrics.SpoaMeters;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.spoavertx.logging.Log;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

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
 * address configured for them), where {@link io.spoavertx.agent.SpoeHandlers} register handlers.
 */
public final class SpoaAgent {

  private static final Log LOG = Log.get(SpoaAgent.class);

  private final Vertx vertx;
  private final AgentConfig config;
  private final Map<String, SpoeHandler> directHandlers = new LinkedHashMap<>();
  private final Map<String, MessageSpec> directSpecs = new LinkedHashMap<>();
  private final Counters stats = new Counters();
  private final MessageLogs messageLogs = new MessageLogs();
  private final List<String> deployments = new ArrayList<>();
  private volatile int port = -1;
  private boolean started;
  /** A Micrometer {@code MeterRegistry}, typed Object so that Micrometer stays optional. */
  private Object meterRegistry;
  private final AtomicInteger connectionCount = new AtomicInteger();

  private SpoaAgent(Vertx vertx, AgentConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /**
   * Creates an agent; nothing listens before {@link #start()}.
   *
   * @param vertx  the Vert.x instance to run in
   * @param config the configuration, e.g. {@link AgentConfig#DEFAULT}
   * @return the agent
   */
  public static SpoaAgent create(Vertx vertx, AgentConfig config) {
    return new SpoaAgent(vertx, config);
  }

  /**
   * Answers messages named {@code messageName} in-process, on the connection's event loop: the
   * fastest path, for handlers that do not block. Register before {@link #start()}.
   *
   * @param messageName the SPOE message name
   * @param handler     the handler, which must not block
   * @return this agent
   * @throws IllegalStateException if the agent is started
   */
  public synchronized SpoaAgent directHandler(String messageName, SpoeHandler handler) {
    if (started) {
      throw new IllegalStateException("register direct handlers before start()");
    }
    directHandlers.put(messageName, handler);
    directSpecs.remove(messageName); // a later registration without a declaration replaces it
    return this;
  }

  /**
   * As {@link #directHandler(String, SpoeHandler)} for the message {@code spec} declares, keeping
   * the declaration ({@link #declaredMessages()}). Register before {@link #start()}.
   *
   * @param spec what the handler expects and sets; its name is the message name
   * @param handler the handler, which must not block
   * @return this agent
   */
  public synchronized SpoaAgent directHandler(MessageSpec spec, SpoeHandler handler) {
    directHandler(spec.name(), handler);
    directSpecs.put(spec.name(), spec);
    return this;
  }

  /**
   * What the handlers of this agent declared: its direct handlers' and those registered in its
   * Vert.x instance with {@link SpoeHandlers#register(Vertx, MessageSpec, SpoeHandler)}, each once,
   * direct handlers first. Handlers on other cluster nodes are not known here.
   *
   * @return the declarations
   */
  public synchronized List<MessageSpec> declaredMessages() {
    Set<MessageSpec> all = new LinkedHashSet<>(directSpecs.values());
    all.addAll(SpoeHandlers.declaredMessages(vertx));
    return List.copyOf(all);
  }

  /**
   * Where the agent's meters go (see {@link SpoaMeters}). By default, with {@code metrics.enabled},
   * the registry of Vert.x's Micrometer metrics if they are on; set one to export elsewhere.
   *
   * @param registry the registry
   * @return this agent
   */
  public synchronized SpoaAgent meterRegistry(MeterRegistry registry) {
    this.meterRegistry = registry;
    return this;
  }

  /**
   * Binds the listener with the configured number of instances.
   *
   * @return the bound port; fails if already started or the port cannot be bound
   */
  public synchronized Future<Integer> start() {
    if (started) {
      return Future.failedFuture(new IllegalStateException("already started"));
    }
    started = true;
    if (meterRegistry != null || config.metrics().enabled()) {
      if (MeterBinding.MICROMETER) {
        MeterBinding.bind(meterRegistry, stats);
      } else {
        LOG.info("metrics: Micrometer is not on the class path (io.micrometer:micrometer-core and "
            + "io.vertx:vertx-micrometer-metrics), the agent's meters are not exported");
      }
    }
    Map<String, SpoeHandler> handlers = Map.copyOf(directHandlers);
    Map<String, MessageSpec> specs = Map.copyOf(directSpecs);
    List<SpoaServerVerticle> instances = new CopyOnWriteArrayList<>();
    // All instances share one listening socket: Vert.x shares servers bound to the same host and
    // port, and a random port only when asked for with -1 (port 0 gives each instance its own).
    int bindPort = config.listener().port() == 0 && config.listener().instances() > 1 ? -1 : config.listener().port();
    return vertx.deployVerticle(() -> {
      SpoaServerVerticle v = new SpoaServerVerticle(config, bindPort, handlers, specs, stats, messageLogs, connectionCount);
      instances.add(v);
      return v;
    }, new DeploymentOptions().setInstances(config.listener().instances())).map(id -> {
      deployments.add(id);
      port = instances.get(0).actualPort();
      return port;
    }).onSuccess(p -> LOG.info("SPOA agent listening on " + config.listener().host() + ":" + p
        + " (" + (vertx.isNativeTransportEnabled() ? "native transport" : "NIO") + "; " + layout(instances)
        + "; direct handlers " + handlers.keySet() + ", routes " + config.dispatch().routes().keySet()
        + ", default address prefix '" + config.dispatch().addressPrefix() + "')"));
  }

  /**
   * Where things run, for the startup line: the event loops, the listener instances' loops, and per
   * handler address the loops of its instances, naming the listener loops that have none (messages
   * read there are handled on another thread).
   */
  private String layout(List<SpoaServerVerticle> listeners) {
    Set<Thread> listenerLoops = new LinkedHashSet<>();
    for (SpoaServerVerticle v : listeners) {
      listenerLoops.add(v.eventLoop());
    }
    StringBuilder sb = new StringBuilder().append(EventLoops.count(vertx)).append(" event loops, ")
        .append(listeners.size()).append(" listener instance(s) on loops ").append(EventLoops.describe(listenerLoops));
    Map<String, List<LocalEndpoint>> local = LocalHandlers.of(vertx).snapshot();
    if (local.isEmpty()) {
      sb.append(", no handler verticles in this JVM");
    }
    for (Map.Entry<String, List<LocalEndpoint>> e : local.entrySet()) {
      Set<Thread> loops = new LinkedHashSet<>();
      int others = 0;
      for (LocalEndpoint endpoint : e.getValue()) {
        if (endpoint.eventLoop() != null) {
          loops.add(endpoint.eventLoop());
        } else {
          others++;
        }
      }
      sb.append(", ").append(e.getKey()).append(": ").append(e.getValue().size()).append(" instance(s)");
      if (!loops.isEmpty()) {
        sb.append(" on loops ").append(EventLoops.describe(loops));
      }
      if (others > 0) {
        sb.append(others == e.getValue().size() ? " on worker threads" : " (" + others + " on worker threads)");
      }
      Set<Thread> uncovered = new LinkedHashSet<>(listenerLoops);
      uncovered.removeAll(loops);
      if (!uncovered.isEmpty()) {
        sb.append(" (messages read on loops ").append(EventLoops.describe(uncovered)).append(" cross threads)");
      }
    }
    return sb.toString();
  }

  /**
   * Deploys a handler verticle with one instance per event loop of {@code vertx} (whatever
   * {@code options} says of instances), so that every listener instance has one on its own event
   * loop and handles the messages it reads without a hop between threads. The launcher deploys
   * its {@code handlers} this way unless their {@code instances} is set.
   *
   * @param vertx        the Vert.x instance
   * @param verticleName the verticle's name, e.g. its class name
   * @param options      the deployment options; their instances are overridden
   * @return the deployment id
   */
  public static Future<String> deployOnEveryEventLoop(Vertx vertx, String verticleName, DeploymentOptions options) {
    return vertx.deployVerticle(verticleName, new DeploymentOptions(options).setInstances(EventLoops.count(vertx)));
  }

  /**
   * As {@link #deployOnEveryEventLoop(Vertx, String, DeploymentOptions)}, for a verticle supplier.
   *
   * @param vertx    the Vert.x instance
   * @param verticle supplies one verticle per instance
   * @param options  the deployment options; their instances are overridden
   * @return the deployment id
   */
  public static Future<String> deployOnEveryEventLoop(Vertx vertx, Supplier<? extends Deployable> verticle,
                                                     DeploymentOptions options) {
    return vertx.deployVerticle(verticle, new DeploymentOptions(options).setInstances(EventLoops.count(vertx)));
  }

  /**
   * The number of event loops of {@code vertx}: the instances {@link #deployOnEveryEventLoop} deploys.
   *
   * @param vertx the Vert.x instance
   * @return the number of event loops
   */
  public static int eventLoops(Vertx vertx) {
    return EventLoops.count(vertx);
  }

  /** {@return the bound port, or -1 before {@link #start()} completes} */
  public int port() {
    return port;
  }

  /** {@return the agent's counters (connections, frames, outcomes, latency)} */
  public AgentStats stats() {
    return stats;
  }

  /** {@return the configuration the agent was created with} */
  public AgentConfig config() {
    return config;
  }

  /**
   * Closes the listener and its connections.
   *
   * @return completes once the listener instances are undeployed
   */
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
