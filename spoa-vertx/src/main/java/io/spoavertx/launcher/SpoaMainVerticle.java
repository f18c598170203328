package io.spoavertx.launcher;

import io.spoavertx.agent.AgentStats;
import io.spoavertx.agent.SpoaAgent;
import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.HandlerDeployment;
import io.spoavertx.config.RouteOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spoavertx.config.MetricsOptions;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.micrometer.PrometheusRequestHandler;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.List;
import java.util.Map;

/**
 * Deploys what an {@link AgentConfig} describes: its handler verticles, then the agent listener.
 * The launcher's main verticle, and usable as is from any Vert.x application:
 * {@code vertx.deployVerticle(new SpoaMainVerticle(), new DeploymentOptions().setConfig(json))}.
 */
public class SpoaMainVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SpoaMainVerticle.class);

  private SpoaAgent agent;
  private HttpServer metricsServer;
  /** Set by the launcher: print the final counts, as java.util.logging may be shut down by then. */
  boolean printSummaryOnStop;

  /** The running agent (after start). */
  public SpoaAgent agent() {
    return agent;
  }

  @Override
  public Future<?> start() {
    AgentConfig config;
    try {
      config = AgentConfig.fromJson(config());
      ConfigChecks.checkClasses(config);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Future<Void> chain = Future.succeededFuture();
    for (HandlerDeployment h : config.cluster().runsHandlers() ? config.handlers() : List.<HandlerDeployment>of()) {
      chain = chain.compose(v -> deployHandler(h));
    }
    if (!config.cluster().runsListener()) {
      LOG.info("handler node: " + config.handlers().size() + " handler deployment(s), no SPOA listener"
          + (vertx.isClustered() ? "" : " (not clustered: nothing will reach these handlers)"));
      return chain;
    }
    return chain.compose(v -> {
      agent = SpoaAgent.create(vertx, config);
      PrometheusMeterRegistry registry = null;
      if (config.metrics().enabled()) {
        // Vert.x's own registry when its metrics are on (the launcher turns them on), so one
        // scrape shows both; else one for the agent's meters only.
        registry = BackendRegistries.getDefaultNow() instanceof PrometheusMeterRegistry p ? p
            : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        agent.meterRegistry(registry);
      }
      for (Map.Entry<String, RouteOptions> route : config.dispatch().routes().entrySet()) {
        if (route.getValue().handler() != null) {
          agent.directHandler(route.getKey(), ConfigChecks.newDirectHandler(route.getKey(), route.getValue().handler()));
        }
      }
      PrometheusMeterRegistry scraped = registry;
      return agent.start().compose(port -> scraped == null ? Future.succeededFuture() : startMetricsServer(config, scraped));
    });
  }

  /**
   * Deploys one {@code handlers[]} entry: {@code instances} of it, or by default one per event loop
   * ({@link SpoaAgent#deployOnEveryEventLoop}), so that every listener instance has one on its own
   * event loop.
   */
  private Future<Void> deployHandler(HandlerDeployment h) {
    DeploymentOptions options = new DeploymentOptions()
        .setThreadingModel(h.vertxThreadingModel())
        .setConfig(new JsonObject(h.config()));
    Future<String> deployed = h.instances() != null
        ? vertx.deployVerticle(h.className(), options.setInstances(h.instances()))
        : SpoaAgent.deployOnEveryEventLoop(vertx, h.className(), options);
    return deployed
        .recover(t -> Future.failedFuture(new IllegalArgumentException(
            "invalid agent config: handlers: cannot deploy '" + h.className() + "': " + t, t)))
        .mapEmpty();
  }

  private Future<?> startMetricsServer(AgentConfig config, PrometheusMeterRegistry registry) {
    MetricsOptions m = config.metrics();
    Handler<HttpServerRequest> scrape = PrometheusRequestHandler.create(registry);
    return vertx.createHttpServer()
        .requestHandler(req -> {
          if (req.path().equals(m.path())) {
            scrape.handle(req);
          } else {
            req.response().setStatusCode(404).end();
          }
        })
        .listen(m.port(), m.host())
        .onSuccess(s -> {
          metricsServer = s;
          LOG.info("metrics at http://" + m.host() + ":" + s.actualPort() + m.path());
        });
  }

  /** Port of the metrics endpoint, or -1 when metrics are off. */
  public int metricsPort() {
    return metricsServer == null ? -1 : metricsServer.actualPort();
  }

  @Override
  public Future<?> stop() {
    if (agent == null) {
      return Future.succeededFuture();
    }
    return agent.stop().onComplete(ar -> {
      if (printSummaryOnStop) {
        AgentStats s = agent.stats();
        System.err.println("SPOA agent stopped: " + s.notifies() + " NOTIFYs read, " + s.acks() + " ACKs sent, "
            + s.framesAborted() + " aborted by HAProxy");
      }
    });
  }
}
