package io.spoavertx.config;

import static io.spoavertx.config.Check.orDefault;
import static io.spoavertx.config.Check.positive;
import static io.spoavertx.config.Check.range;

/**
 * Where the agent listens for HAProxy.
 *
 * @param host interface to bind (default {@code 127.0.0.1}; {@code 0.0.0.0} for all)
 * @param port TCP port (default 12345; 0 picks a free port)
 * @param instances NetServer verticle instances sharing the port, one event loop each (default: the
 *     available processors; the launcher runs as many event loops, and a handler verticle instance on
 *     each, so every message is handled on the event loop that read it)
 * @param backlog TCP accept backlog (default 1024: HAProxy 3.x opens 20-30 connections at once)
 * @param drainTimeoutMs on stop, how long in-flight NOTIFYs may take to be answered before each
 *     connection gets AGENT-DISCONNECT status 0 and is closed (default 5000)
 * @param maxConnections connections accepted at once, all instances together; more are closed at
 *     once, so HAProxy retries elsewhere (default 10000)
 * @param tls TLS on the listener (default none: plain TCP)
 * @param nativeTransport with the launcher, use Netty's native transport (epoll) when its
 *     library is on the classpath, as in the example fat JAR (default true; NIO otherwise)
 */
public record ListenerOptions(String host, Integer port, Integer instances, Integer backlog, Long drainTimeoutMs,
                              Integer maxConnections, TlsOptions tls, Boolean nativeTransport) {

  /** All defaults. */
  public static final ListenerOptions DEFAULT = new ListenerOptions(null, null, null, null, null, null, null, null);

  /**
   * Applies the defaults to null components and validates the others.
   *
   * @param host            null for {@code 127.0.0.1}
   * @param port            0..65535; null for 12345
   * @param instances       1..1024; null for the available processors
   * @param backlog         null for 1024
   * @param drainTimeoutMs  positive; null for 5000
   * @param maxConnections  null for 10000
   * @param tls             null for plain TCP
   * @param nativeTransport null for true
   * @throws IllegalArgumentException if a value is out of range; the message starts with its key
   */
  public ListenerOptions {
    host = orDefault(host, "127.0.0.1");
    port = range("port", orDefault(port, 12345), 0, 65535);
    instances = range("instances", orDefault(instances, Runtime.getRuntime().availableProcessors()), 1, 1024);
    backlog = range("backlog", orDefault(backlog, 1024), 1, 1 << 20);
    drainTimeoutMs = positive("drainTimeoutMs", orDefault(drainTimeoutMs, 5_000L));
    maxConnections = range("maxConnections", orDefault(maxConnections, 10_000), 1, 1 << 24);
    nativeTransport = orDefault(nativeTransport, true);
  }

  /**
   * {@return a copy with another port}
   *
   * @param newPort the port, 0 for a free one
   */
  public ListenerOptions withPort(int newPort) {
    return new ListenerOptions(host, newPort, instances, backlog, drainTimeoutMs, maxConnections, tls, nativeTransport);
  }

  /**
   * {@return a copy with another interface}
   *
   * @param newHost the interface to bind
   */
  public ListenerOptions withHost(String newHost) {
    return new ListenerOptions(newHost, port, instances, backlog, drainTimeoutMs, maxConnections, tls, nativeTransport);
  }

  /**
   * {@return a copy with another drain timeout}
   *
   * @param ms the drain timeout, positive
   */
  public ListenerOptions withDrainTimeoutMs(long ms) {
    return new ListenerOptions(host, port, instances, backlog, ms, maxConnections, tls, nativeTransport);
  }

  /**
   * {@return a copy with another connection limit}
   *
   * @param n the connections accepted at once
   */
  public ListenerOptions withMaxConnections(int n) {
    return new ListenerOptions(host, port, instances, backlog, drainTimeoutMs, n, tls, nativeTransport);
  }

  /**
   * {@return a copy with other TLS options}
   *
   * @param t the TLS options, null for plain TCP
   */
  public ListenerOptions withTls(TlsOptions t) {
    return new ListenerOptions(host, port, instances, backlog, drainTimeoutMs, maxConnections, t, nativeTransport);
  }

  /**
   * {@return a copy with another number of instances}
   *
   * @param newInstances the NetServer verticle instances
   */
  public ListenerOptions withInstances(int newInstances) {
    return new ListenerOptions(host, port, newInstances, backlog, drainTimeoutMs, maxConnections, tls, nativeTransport);
  }
}
