/**
 * spoa-vertx: HAProxy Stream Processing Offload Agents (SPOP v2) on Vert.x 5.
 *
 * <p>Exported, the API: {@code io.spoavertx.agent} (the agent and handler registration),
 * {@code io.spoavertx.handler} (what a handler sees: messages, actions), {@code io.spoavertx.config}
 * (the configuration), {@code io.spoavertx.metrics} (counters and their Micrometer export) and
 * {@code io.spoavertx.launcher} (the fat-JAR entry point and main verticle). Everything else
 * (wire format, connection, dispatch, logging) is internal.
 *
 * <p>Micrometer, Vert.x's Micrometer metrics, the Prometheus registry and Vert.x's application
 * launcher are optional: add them for metrics and for the launcher (the example fat JAR does).
 */
module io.spoavertx {
  requires transitive io.vertx.core;
  requires com.fasterxml.jackson.databind;
  requires io.netty.buffer;
  requires io.netty.common;
  requires io.netty.transport;
  requires java.logging;
  requires jdk.unsupported;

  requires static micrometer.core;
  requires static io.vertx.metrics.micrometer;
  requires static micrometer.registry.prometheus;
  requires static io.vertx.launcher.application;

  exports io.spoavertx.agent;
  exports io.spoavertx.config;
  exports io.spoavertx.handler;
  exports io.spoavertx.launcher;
  exports io.spoavertx.metrics;

  // Jackson builds the config records reflectively
  opens io.spoavertx.config to com.fasterxml.jackson.databind;
}
