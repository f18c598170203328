package io.spoavertx.launcher;

import io.spoavertx.metrics.AgentStats;
import io.spoavertx.agent.SpoaAgent;
import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ConfigException;
import io.spoavertx.config.HandlerDeployment;
import io.spoavertx.config.RouteOptions;
import io.spoavertx.metrics.ProcessMeters;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spoavertx.config.MetricsOptions;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.spoavertx.logging.Log;
import io.vertx.micrometer.PrometheusRequestHandler;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Deploys what an {@link AgentConfig} describes: the metrics and health endpoint, its handler
 * verticles, then the agent listener. The launcher's main verticle, and usable as is from any
 * Vert.x application:
 * {@code vertx.deployVerticle(new SpoaMainVerticle(), new DeploymentOptions().setConfig(json))}, or
 * with a config already parsed: {@code vertx.deployVerticle(new SpoaMainVerticle(config))}.
 *
 * <p>{@link #reload(JsonObject)} applies a changed config to the handler verticles without
 * touching the listener or its connections (the launcher calls it on SIGHUP).
 */
public class SpoaMainVerticle extends VerticleBase {

  private static final Log LOG = Log.get(SpoaMainVerticle.class);

  /** The config given to the constructor (already parsed and checked), or null: parse {@code config()}. */
  private final AgentConfig given;
  private volatile SpoaAgent agent;
  private volatile HttpServer metricsServer;
  private ProcessMeters processMeters;
  /** Set by the launcher: print the final counts, as java.util.logging may be shut down by then. */
  boolean printSummaryOnStop;
  /** The config in effect: what started, with the handlers of the last successful reload. */
  private AgentConfig running;
  /** The handler verticles deployed, in config order. */
  private final List<Deployed> handlers = new ArrayList<>();
  private volatile boolean handlersDeployed;
  private volatile boolean stopping;
  /** Reloads run one after the other, on this verticle's context. */
  private Future<?> reloading = Future.succeededFuture();

  /** A handler deployment of the config and the id of its Vert.x deployment. */
  private record Deployed(HandlerDeployment spec, String id) {
  }

  /** Runs the agent described by the verticle's JSON {@code config()}, parsed and checked at start. */
  public SpoaMainVerticle() {
    this(null);
  }

  /**
   * Runs the agent described by {@code config} (the verticle's JSON config is not read).
   *
   * @param config the configuration
   */
  public SpoaMainVerticle(AgentConfig config) {
    this.given = config;
  }

  /** {@return the running agent (after start); null on a {@code cluster.role} {@code handlers} node} */
  public SpoaAgent agent() {
    return agent;
  }

  @Override
  public Future<?> start() {
    AgentConfig config;
    try {
      config = given != null ? given : ConfigChecks.check(AgentConfig.fromJson(config()));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    running = config;
    PrometheusMeterRegistry registry = null;
    if (config.metrics().enabled()) {
      // Vert.x's own registry when its metrics are on (the launcher turns them on), so one
      // scrape shows both; else one for the agent's meters only.
      registry = BackendRegistries.getDefaultNow() instanceof PrometheusMeterRegistry p ? p
          : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      processMeters = ProcessMeters.bind(registry);
    }
    PrometheusMeterRegistry scraped = registry;
    // The metrics server first, on every node role: /health answers 503 until the rest is up.
    Future<?> chain = scraped == null ? Future.succeededFuture() : startMetricsServer(config, scraped);
    if (config.cluster().runsHandlers()) {
      for (int i = 0; i < config.handlers().size(); i++) {
        int index = i;
        HandlerDeployment h = config.handlers().get(i);
        chain = chain.compose(v -> deployHandler(vertx, index, h)).map(id -> handlers.add(new Deployed(h, id)));
      }
    }
    chain = chain.onSuccess(v -> handlersDeployed = true);
    if (!config.cluster().runsListener()) {
      return chain.onSuccess(v -> LOG.info("handler node: " + config.handlers().size() + " handler deployment(s), no SPOA listener"
          + (vertx.isClustered() ? "" : " (not clustered: nothing will reach these handlers)")));
    }
    return chain.compose(v -> {
      agent = SpoaAgent.create(vertx, config);
      if (scraped != null) {
        agent.meterRegistry(scraped);
      }
      for (Map.Entry<String, RouteOptions> route : config.dispatch().routes().entrySet()) {
        if (route.getValue().handler() != null) {
          agent.directHandler(route.getKey(), ConfigChecks.newDirectHandler(route.getKey(), route.getValue().handler()));
        }
      }
      return agent.start().recover(t -> Future.failedFuture(StartupException.listener(config.listener(), t)));
    });
  }

  /**
   * Deploys handler verticle {@code index} of the config: the one place that does, at start and
   * on reload. {@code instances} of it, or by default one per event loop
   * ({@link SpoaAgent#deployOnEveryEventLoop}), so that every listener instance has one on its own
   * event loop. A {@link ConfigException} from the verticle is reported under its place in the
   * config ({@code handlers[0].config.deny[1]: ...}); any other failure names the class.
   * ({@link HandlerDeclarations} deploys them the same way.)
   */
  static Future<String> deployHandler(Vertx vertx, int index, HandlerDeployment h) {
    DeploymentOptions options = new DeploymentOptions()
        .setThreadingModel(h.vertxThreadingModel())
        .setConfig(new JsonObject(h.config()));
    Future<String> deployed = h.instances() != null
        ? vertx.deployVerticle(h.className(), options.setInstances(h.instances()))
        : SpoaAgent.deployOnEveryEventLoop(vertx, h.className(), options);
    return deployed.recover(t -> Future.failedFuture(handlerError(index, h, t)));
  }

  private static ConfigException handlerError(int index, HandlerDeployment h, Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof ConfigException ce) {
        return ce.under("handlers[" + index + "].config");
      }
    }
    return new ConfigException("handlers[" + index + "]", "cannot deploy '" + h.className() + "': "
        + StartupException.rootMessage(t), t);
  }

  private Future<?> startMetricsServer(AgentConfig config, PrometheusMeterRegistry registry) {
    MetricsOptions m = config.metrics();
    Handler<HttpServerRequest> scrape = PrometheusRequestHandler.create(registry);
    return vertx.createHttpServer()
        .requestHandler(req -> {
          if (req.path().equals(m.path())) {
            scrape.handle(req);
          } else if (req.path().equals(MetricsOptions.HEALTH_PATH)) {
            JsonObject health = health();
            req.response().setStatusCode(health.getString("status").equals("UP") ? 200 : 503)
                .putHeader("content-type", "application/json").end(health.encode());
          } else {
            req.response().setStatusCode(404).end();
          }
        })
        .listen(m.port(), m.host())
        .recover(t -> Future.failedFuture(StartupException.metrics(m, t)))
        .onSuccess(s -> {
          metricsServer = s;
          LOG.info("metrics at http://" + m.host() + ":" + s.actualPort() + m.path() + " (health at http://" + m.host()
              + ":" + s.actualPort() + MetricsOptions.HEALTH_PATH + ")");
        });
  }

  /**
   * What {@code GET /health} answers: {@code status} {@code UP} when the listener is bound (on
   * nodes that run one), every handler verticle of the config is deployed, the node has joined
   * its cluster (when clustered) and it is not stopping; {@code DOWN} otherwise.
   *
   * @return the status and, per part, whether it is up
   */
  public JsonObject health() {
    AgentConfig config = running;
    boolean up = !stopping;
    JsonObject h = new JsonObject();
    if (config != null && config.cluster().runsListener()) {
      boolean bound = agent != null && agent.port() >= 0 && !stopping;
      h.put("listener", bound);
      up &= bound;
    }
    h.put("handlers", handlersDeployed);
    up &= handlersDeployed;
    if (vertx.isClustered()) {
      h.put("cluster", true); // a clustered Vert.x exists only once it has joined
    }
    if (stopping) {
      h.put("stopping", true);
    }
    return new JsonObject().put("status", up ? "UP" : "DOWN").mergeIn(h);
  }

  /** {@return the port of the metrics endpoint, or -1 when metrics are off} */
  public int metricsPort() {
    return metricsServer == null ? -1 : metricsServer.actualPort();
  }

  /**
   * Applies {@code newConfig} without dropping traffic: the handler verticles whose entry changed
   * (class, instances, config or threading model) are deployed anew first, then the old ones are
   * undeployed, so messages already with an old instance are answered by it and the next ones go to
   * the new; unchanged entries keep running. The listener and its connections stay up. Keys
   * outside {@code handlers} need a restart: a change to them is logged and not applied.
   *
   * <p>A config that does not validate, or a new handler verticle that fails to start, is refused
   * with the same one-line error as at startup (the future fails with the {@link ConfigException});
   * the handlers that run stay as they were. Reloads run one at a time, in call order.
   *
   * @param newConfig the new configuration, as JSON
   * @return completes once applied; fails if refused
   */
  public Future<Void> reload(JsonObject newConfig) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      reloading = reloading.transform(ignored -> doReload(newConfig)).onComplete(done);
    });
    return done.future();
  }

  private Future<Void> doReload(JsonObject json) {
    AgentConfig next;
    try {
      next = AgentConfig.fromJson(json);
      ConfigChecks.check(next);
    } catch (IllegalArgumentException e) {
      LOG.warn("reload refused, the running config stays: " + e.getMessage());
      return Future.failedFuture(e);
    }
    AgentConfig current = running;
    List<String> needRestart = changedOutsideHandlers(current, next);
    if (!needRestart.isEmpty()) {
      LOG.warn("reload: " + String.join(", ", needRestart) + " changed: not applied, that needs a restart");
    }
    if (!current.cluster().runsHandlers()) {
      running = withHandlers(current, next.handlers());
      LOG.info("reload: this node runs no handler verticles (cluster.role " + current.cluster().role() + ")");
      return Future.succeededFuture();
    }
    // entries unchanged keep their deployment; the others are deployed anew
    List<Deployed> old = new ArrayList<>(handlers);
    Deployed[] kept = new Deployed[next.handlers().size()];
    for (int i = 0; i < kept.length; i++) {
      for (int k = 0; k < old.size(); k++) {
        if (old.get(k).spec().equals(next.handlers().get(i))) {
          kept[i] = old.remove(k);
          break;
        }
      }
    }
    List<Deployed> started = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < kept.length; i++) {
      if (kept[i] == null) {
        int index = i;
        HandlerDeployment h = next.handlers().get(i);
        chain = chain.compose(v -> deployHandler(vertx, index, h)).map(id -> {
          Deployed d = new Deployed(h, id);
          started.add(d);
          kept[index] = d;
          return null;
        });
      }
    }
    return chain.recover(t -> {
      // back to what ran: the ones this reload started go away again
      LOG.warn("reload refused, the running config stays: " + t.getMessage());
      return undeploy(started).transform(ignored -> Future.failedFuture(t));
    }).compose(v -> {
      // the new instances are registered: the old ones get no new messages once undeployed
      List<Deployed> now = new ArrayList<>(List.of(kept));
      return undeploy(old).onComplete(ar -> {
        handlers.clear();
        handlers.addAll(now);
        running = withHandlers(current, next.handlers());
        LOG.info("reload: " + started.size() + " handler deployment(s) started, " + old.size() + " stopped, "
            + (now.size() - started.size()) + " unchanged");
      });
    });
  }

  private Future<Void> undeploy(List<Deployed> deployments) {
    List<Future<Void>> all = new ArrayList<>();
    for (Deployed d : deployments) {
      if (vertx.deploymentIDs().contains(d.id())) {
        all.add(vertx.undeploy(d.id()).onFailure(t -> LOG.warn("reload: undeploying " + d.spec().className()
            + " failed: " + t)));
      }
    }
    return Future.join(all).mapEmpty();
  }

  private static AgentConfig withHandlers(AgentConfig c, List<HandlerDeployment> handlers) {
    return new AgentConfig(c.listener(), c.protocol(), c.dispatch(), handlers, c.metrics(), c.cluster());
  }

  /** The keys outside {@code handlers} whose values differ, as dotted paths. */
  static List<String> changedOutsideHandlers(AgentConfig a, AgentConfig b) {
    Map<String, Object> x = new TreeMap<>();
    Map<String, Object> y = new TreeMap<>();
    flatten("", a.toJson().put("handlers", (Object) null), x);
    flatten("", b.toJson().put("handlers", (Object) null), y);
    List<String> changed = new ArrayList<>();
    TreeMap<String, Object> keys = new TreeMap<>(x);
    keys.putAll(y);
    for (String k : keys.keySet()) {
      if (!Objects.equals(x.get(k), y.get(k))) {
        changed.add(k);
      }
    }
    return changed;
  }

  private static void flatten(String prefix, JsonObject json, Map<String, Object> out) {
    for (Map.Entry<String, Object> e : json) {
      if (e.getValue() instanceof JsonObject o) {
        flatten(prefix + e.getKey() + ".", o, out);
      } else if (e.getValue() != null) {
        out.put(prefix + e.getKey(), e.getValue());
      }
    }
  }

  /**
   * From now on {@code GET /health} answers 503 ({@code "stopping": true}), so an orchestrator or a
   * load balancer looking at it turns away before the listener drains. The launcher calls it when
   * the JVM is asked to stop (SIGTERM); an application that undeploys this verticle can call it
   * first (undeploying drains the listener before this verticle's own {@link #stop()} runs).
   */
  public void prepareToStop() {
    stopping = true;
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    Future<Void> stopped = agent == null ? Future.succeededFuture() : agent.stop().onComplete(ar -> {
      if (printSummaryOnStop) {
        AgentStats s = agent.stats();
        System.err.println("SPOA agent stopped: " + s.notifies() + " NOTIFYs read, " + s.acks() + " ACKs sent, "
            + s.framesAborted() + " aborted by HAProxy");
      }
    });
    return stopped.onComplete(ar -> {
      if (processMeters != null) {
        processMeters.close();
      }
    });
  }
}
