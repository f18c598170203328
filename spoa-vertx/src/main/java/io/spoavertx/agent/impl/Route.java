package io.spoavertx.agent.impl;

import io.spoavertx.handler.SpoeHandler;
import io.spoavertx.handler.internal.LocalEndpoint;
import io.vertx.core.eventbus.DeliveryOptions;

import java.nio.charset.StandardCharsets;

/**
 * Where messages of one name go: a direct handler or an event-bus address, and their deadline.
 * Each listener instance has its own routes (see {@link RouteTable}): confined to its event loop.
 */
final class Route {

  final String name;
  final byte[] nameBytes;
  final int hash;
  final SpoeHandler direct;
  final String address;
  final long deadlineNanos;
  final DeliveryOptions delivery;
  /**
   * The handler instances in this JVM at {@link #address}, as resolved by the {@link Dispatcher} of
   * the one event loop this route belongs to, at registry version {@link #localVersion}: the one on
   * that event loop (or null), and all of them.
   */
  int localVersion = -1;
  LocalEndpoint here;
  LocalEndpoint[] elsewhere;
  /** Round robin over {@link #elsewhere}. */
  int next;
  /**
   * Checks the messages against their handler's declaration: the direct handler's, or that of the
   * handler instances resolved here; null when the handler declared nothing (or is not in this JVM).
   */
  DriftCheck drift;

  Route(String name, SpoeHandler direct, String address, long deadlineMs) {
    this.name = name;
    this.nameBytes = name.getBytes(StandardCharsets.UTF_8);
    this.hash = RouteTable.hash(nameBytes);
    this.direct = direct;
    this.address = address;
    this.deadlineNanos = deadlineMs * 1_000_000L;
    // The agent enforces the deadline itself; the event-bus timeout only reclaims the reply
    // handler of a request whose answer never comes.
    this.delivery = new DeliveryOptions().setSendTimeout(deadlineMs + 1_000L);
  }
}
