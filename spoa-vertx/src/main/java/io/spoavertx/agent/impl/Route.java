package io.spoavertx.agent.impl;

import io.spoavertx.handler.SpoaCodecs;
import io.spoavertx.handler.SpoeHandler;
import io.spoavertx.handler.SyncSpoeHandler;
import io.vertx.core.eventbus.DeliveryOptions;

import java.nio.charset.StandardCharsets;

/** Where messages of one name go: a direct handler or an event-bus address, and their deadline. */
final class Route {

  final String name;
  final byte[] nameBytes;
  final int hash;
  final SpoeHandler direct;
  /** {@code direct}'s synchronous form when it is a {@link SpoeHandler#sync} handler, else null. */
  final SpoeHandler.Sync sync;
  final String address;
  final long deadlineNanos;
  final DeliveryOptions delivery;
  /** For LocalRequests: consumers in this JVM only (never encoded for the wire). */
  final DeliveryOptions localDelivery;
  /** For LocalBatches (their codec is the default one of their class). */
  final DeliveryOptions localBatchDelivery;

  Route(String name, SpoeHandler direct, String address, long deadlineMs) {
    this.name = name;
    this.nameBytes = name.getBytes(StandardCharsets.UTF_8);
    this.hash = RouteTable.hash(nameBytes);
    this.direct = direct;
    this.sync = direct instanceof SyncSpoeHandler ? ((SyncSpoeHandler) direct).sync() : null;
    this.address = address;
    this.deadlineNanos = deadlineMs * 1_000_000L;
    // The agent enforces the deadline itself; the event-bus timeout only reclaims the reply
    // handler of a request whose answer never comes.
    this.delivery = new DeliveryOptions().setSendTimeout(deadlineMs + 1_000L);
    this.localDelivery = new DeliveryOptions().setLocalOnly(true).setCodecName(SpoaCodecs.LOCAL_REQUEST_CODEC);
    this.localBatchDelivery = new DeliveryOptions().setLocalOnly(true);
  }
}
