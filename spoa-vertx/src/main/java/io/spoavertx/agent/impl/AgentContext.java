package io.spoavertx.agent.impl;

import io.spoavertx.agent.AgentStats;
import io.spoavertx.config.AgentConfig;
import io.vertx.core.eventbus.EventBus;

/** What every connection of one server verticle instance shares (all on its event loop). */
final class AgentContext {

  final AgentConfig config;
  final RouteTable routes;
  final EventBus eventBus;
  final AgentStats stats;
  final RateLimitedLog handlerLog;
  /** Clustered, and handlers in this JVM are to be tried first. */
  final boolean preferLocal;
  /** This instance's share of protocol.maxInFlightTotal, and what is in flight on it now. */
  final int maxInFlight;
  int inflight;
  /** Connections paused because the instance was at maxInFlight, resumed as ACKs drain. */
  final java.util.ArrayDeque<SpopConnection> waiting = new java.util.ArrayDeque<>();

  AgentContext(AgentConfig config, RouteTable routes, EventBus eventBus, AgentStats stats, RateLimitedLog handlerLog,
               boolean preferLocal) {
    this.preferLocal = preferLocal;
    int instances = config.listener().instances();
    this.maxInFlight = Math.max(1, (config.protocol().maxInFlightTotal() + instances - 1) / instances);
    this.config = config;
    this.routes = routes;
    this.eventBus = eventBus;
    this.stats = stats;
    this.handlerLog = handlerLog;
  }
}
