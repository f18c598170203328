package io.spoavertx.agent.impl;

import io.spoavertx.agent.AgentStats;
import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.handler.SpoaCodecs;
import io.spoavertx.handler.SpoeHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;

import java.util.Map;

/**
 * One NetServer instance of the agent, on one event loop. Several instances on the same host and
 * port share the bound socket; Vert.x spreads connections over them.
 */
public final class SpoaServerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SpoaServerVerticle.class);

  private final AgentConfig config;
  private final Map<String, SpoeHandler> directHandlers;
  private final AgentStats stats;
  private final RateLimitedLog handlerLog;
  private NetServer server;

  public SpoaServerVerticle(AgentConfig config, Map<String, SpoeHandler> directHandlers, AgentStats stats) {
    this.config = config;
    this.directHandlers = directHandlers;
    this.stats = stats;
    this.handlerLog = new RateLimitedLog(LoggerFactory.getLogger("io.spoavertx.handler"), 1000);
  }

  @Override
  public Future<?> start() {
    SpoaCodecs.register(vertx);
    AgentContext agent = new AgentContext(config, new RouteTable(config.dispatch(), directHandlers),
        vertx.eventBus(), stats, handlerLog);
    ListenerOptions l = config.listener();
    NetServerOptions options = new NetServerOptions()
        .setHost(l.host())
        .setPort(l.port())
        .setAcceptBacklog(l.backlog())
        .setTcpNoDelay(true)
        .setReuseAddress(true);
    server = vertx.createNetServer(options);
    server.connectHandler(socket -> new SpopConnection(vertx, context, socket, agent).start());
    return server.listen().onSuccess(s -> LOG.debug("SPOA server instance listening on " + l.host() + ":" + s.actualPort()));
  }

  /** The bound port (the actual one when configured with port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    // Graceful: stop accepting, let each connection answer what it read, then close (see
    // SpopConnection#drain); connections still open after the drain timeout are closed.
    return server == null ? Future.succeededFuture()
        : server.shutdown(java.time.Duration.ofMillis(config.listener().drainTimeoutMs()));
  }
}
