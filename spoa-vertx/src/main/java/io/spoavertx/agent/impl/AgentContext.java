package io.spoavertx.agent.impl;

import io.spoavertx.logging.PerKeyLog;
import io.spoavertx.logging.RateLimitedLog;

import io.spoavertx.metrics.AgentStats;
import io.spoavertx.config.AgentConfig;
import io.spoavertx.handler.internal.LocalHandlers;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;

/** What every connection of one server verticle instance shares (all on its event loop). */
final class AgentContext {

  final AgentConfig config;
  final RouteTable routes;
  final EventBus eventBus;
  final Counters stats;
  final RateLimitedLog handlerLog;
  /** Messages failed for bad arguments, and messages that drift from their declaration: per message name, for the agent. */
  final PerKeyLog badArgsLog;
  final PerKeyLog driftLog;
  /** Latencies of this event loop, on their way to the meters in batches. */
  final LatencyBuffer latency;
  /**
   * Handlers registered in this JVM get messages as LocalRequests: always when not clustered, and
   * in a cluster when cluster.preferLocal (else requests spread over all nodes' handlers).
   */
  final boolean localFirst;
  final LocalHandlers localHandlers;
  /** This instance's share of protocol.maxInFlightTotal, and what is in flight on it now. */
  final int maxInFlight;
  int inflight;
  /** Connections paused because the instance was at maxInFlight, resumed as ACKs drain. */
  final java.util.ArrayDeque<SpopConnection> waiting = new java.util.ArrayDeque<>();

  AgentContext(Vertx vertx, AgentConfig config, RouteTable routes, EventBus eventBus, Counters stats,
               RateLimitedLog handlerLog, MessageLogs messageLogs, boolean localFirst, LocalHandlers localHandlers) {
    this.localFirst = localFirst;
    this.localHandlers = localHandlers;
    int instances = config.listener().instances();
    this.maxInFlight = Math.max(1, (config.protocol().maxInFlightTotal() + instances - 1) / instances);
    this.config = config;
    this.routes = routes;
    this.eventBus = eventBus;
    this.stats = stats;
    this.handlerLog = handlerLog;
    this.badArgsLog = messageLogs.badArgs;
    this.driftLog = messageLogs.drift;
    this.latency = new LatencyBuffer(stats, vertx);
  }
}
