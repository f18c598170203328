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

import java.util.Map;

/**
 * Deploys what an {@link AgentConfig} describes: its handler verticles, then the agent listener.
 * The launcher's main verticle, and usable as is from any Vert.x application:
 * {@code vertx.deployVerticle(new SpoaMainVerticle(), new DeploymentOptions().setConfig(json))}.
 */
public class SpoaMainVerticle extends VerticleBase {

  private SpoaAgent agent;
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
    for (HandlerDeployment h : config.handlers()) {
      chain = chain.compose(v -> vertx.deployVerticle(h.className(), new DeploymentOptions()
              .setInstances(h.instances())
              .setConfig(new JsonObject(h.config())))
          .recover(t -> Future.failedFuture(new IllegalArgumentException(
              "invalid agent config: handlers: cannot deploy '" + h.className() + "': " + t, t)))
          .mapEmpty());
    }
    return chain.compose(v -> {
      agent = SpoaAgent.create(vertx, config);
      for (Map.Entry<String, RouteOptions> route : config.dispatch().routes().entrySet()) {
        if (route.getValue().handler() != null) {
          agent.directHandler(route.getKey(), ConfigChecks.newDirectHandler(route.getKey(), route.getValue().handler()));
        }
      }
      return agent.start();
    });
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
