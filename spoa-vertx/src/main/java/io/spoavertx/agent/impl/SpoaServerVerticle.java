package io.spoavertx.agent.impl;

import io.spoavertx.logging.RateLimitedLog;

import io.spoavertx.logging.Log;

import io.spoavertx.codec.DisconnectStatus;
import io.spoavertx.codec.FrameType;
import io.spoavertx.codec.SpopWriter;
import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.handler.internal.EventBusCodecs;
import io.spoavertx.handler.internal.LocalHandlers;
import io.spoavertx.handler.MessageSpec;
import io.spoavertx.handler.SpoeHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PfxOptions;
import io.spoavertx.config.TlsOptions;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One NetServer instance of the agent, on one event loop. Several instances on the same host and
 * port share the bound socket; Vert.x spreads connections over them.
 */
public final class SpoaServerVerticle extends VerticleBase {

  private static final Log LOG = Log.get(SpoaServerVerticle.class);

  private final AgentConfig config;
  private final Map<String, SpoeHandler> directHandlers;
  private final Map<String, MessageSpec> directSpecs;
  private final MessageLogs messageLogs;
  private final Counters stats;
  private final RateLimitedLog handlerLog;
  private final RateLimitedLog connectionLog;
  private final int bindPort;
  private final AtomicInteger connectionCount;
  private final Set<SpopConnection> connections = new HashSet<>();
  private final Promise<Void> drained = Promise.promise();
  private boolean stopping;
  private NetServer server;
  private Thread eventLoop;
  private AgentContext agent;

  /** {@code bindPort} -1 asks Vert.x for a random port shared by all instances. */
  public SpoaServerVerticle(AgentConfig config, int bindPort, Map<String, SpoeHandler> directHandlers, Counters stats,
                            AtomicInteger connectionCount) {
    this(config, bindPort, directHandlers, Map.of(), stats, new MessageLogs(), connectionCount);
  }

  /**
   * {@code directSpecs}: the declarations of direct handlers, by message name; {@code messageLogs}
   * the agent's, shared by its instances.
   */
  public SpoaServerVerticle(AgentConfig config, int bindPort, Map<String, SpoeHandler> directHandlers,
                            Map<String, MessageSpec> directSpecs, Counters stats, MessageLogs messageLogs,
                            AtomicInteger connectionCount) {
    this.directSpecs = directSpecs;
    this.messageLogs = messageLogs;
    this.connectionCount = connectionCount;
    this.config = config;
    this.bindPort = bindPort;
    this.directHandlers = directHandlers;
    this.stats = stats;
    this.handlerLog = new RateLimitedLog(Log.get("io.spoavertx.handler"), 1000);
    this.connectionLog = new RateLimitedLog(LOG, 1000);
  }

  @Override
  public Future<?> start() {
    eventLoop = Thread.currentThread();
    EventBusCodecs.register(vertx);
    agent = new AgentContext(vertx, config, new RouteTable(config.dispatch(), directHandlers, directSpecs),
        vertx.eventBus(), stats, handlerLog, messageLogs,
        !vertx.isClustered() || config.cluster().preferLocal(), LocalHandlers.of(vertx));
    ListenerOptions l = config.listener();
    NetServerOptions options = new NetServerOptions()
        .setHost(l.host())
        .setPort(bindPort)
        .setAcceptBacklog(l.backlog())
        .setTcpNoDelay(true)
        .setReuseAddress(true);
    TlsOptions tls = l.tls();
    if (tls != null) {
      options.setSsl(true).setKeyCertOptions(tls.keyStore() != null
          ? new PfxOptions().setPath(tls.keyStore()).setPassword(tls.keyStorePassword())
          : new PemKeyCertOptions().setCertPath(tls.certPath()).setKeyPath(tls.keyPath()));
    }
    server = vertx.createNetServer(options);
    server.connectHandler(socket -> {
      if (stopping) {
        socket.close(); // HAProxy retries on another server
        return;
      }
      if (connectionCount.incrementAndGet() > l.maxConnections()) {
        connectionCount.decrementAndGet();
        stats.recordConnectionRefused();
        connectionLog.warn("refused a connection from " + socket.remoteAddress() + ": listener.maxConnections ("
            + l.maxConnections() + ") reached");
        refuse(socket);
        return;
      }
      SpopConnection[] self = new SpopConnection[1];
      self[0] = new SpopConnection(vertx, context, socket, agent, () -> {
        connectionCount.decrementAndGet();
        connections.remove(self[0]);
        if (stopping && connections.isEmpty()) {
          drained.tryComplete();
        }
      });
      connections.add(self[0]);
      self[0].start();
    });
    return server.listen().onSuccess(s -> LOG.debug("SPOA server instance listening on " + l.host() + ":" + s.actualPort()));
  }

  /**
   * A connection over {@code listener.maxConnections}: AGENT-DISCONNECT status 13 "too many
   * connections", so HAProxy (its health check included) learns why, then close. As after any
   * AGENT-DISCONNECT, what the peer sends meanwhile (its HELLO) is read and dropped until it closes
   * or {@link SpopConnection#LINGER_MS} pass: closing with unread input would reset the connection
   * and destroy the frame.
   */
  private void refuse(NetSocket socket) {
    Buffer frame = Buffer.buffer(48);
    SpopWriter.writeAgentDisconnect(frame, DisconnectStatus.RESOURCE_ALLOCATION_ERROR, TOO_MANY_CONNECTIONS);
    stats.agentDisconnect(DisconnectStatus.RESOURCE_ALLOCATION_ERROR);
    stats.recordFrameOut(FrameType.AGENT_DISCONNECT);
    socket.handler(dropped -> { });
    socket.exceptionHandler(t -> { }); // a peer that resets after reading it (HAProxy's check does) is no error
    long linger = vertx.setTimer(SpopConnection.LINGER_MS, t -> socket.close());
    socket.closeHandler(v -> vertx.cancelTimer(linger));
    socket.write(frame);
  }

  /** The message of the AGENT-DISCONNECT a connection over listener.maxConnections gets. */
  static final String TOO_MANY_CONNECTIONS = "too many connections";

  /** The thread of this instance's event loop, where its connections are read (after start). */
  public Thread eventLoop() {
    return eventLoop;
  }

  /** The bound port (the actual one when configured with port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  /**
   * Graceful stop: new connections are refused, each open connection answers the NOTIFYs it has
   * read and says AGENT-DISCONNECT status 0 (SpopConnection#drain); then the listener closes.
   * Connections still open after the drain timeout are closed with it.
   */
  @Override
  public Future<?> stop() {
    if (server == null) {
      return Future.succeededFuture();
    }
    stopping = true;
    long timeout = config.listener().drainTimeoutMs();
    if (connections.isEmpty()) {
      drained.tryComplete();
    } else {
      for (SpopConnection c : new ArrayList<>(connections)) {
        c.drain(timeout);
      }
      vertx.setTimer(timeout, t -> drained.tryComplete());
    }
    return drained.future().compose(v -> server.close()).onComplete(ar -> agent.latency.flush());
  }
}
