package io.spoavertx.agent.impl;

import io.spoavertx.handler.Actions;

/**
 * One NOTIFY awaiting its ACK: the results of its messages, filled in any order. Owned by its
 * connection's event loop.
 */
final class PendingNotify {

  final long streamId;
  final long frameId;
  final long startNanos;
  final Route[] routes;
  final Actions[] results;
  int remaining;
  boolean done;

  PendingNotify(long streamId, long frameId, int messages, long startNanos) {
    this.streamId = streamId;
    this.frameId = frameId;
    this.startNanos = startNanos;
    this.routes = new Route[messages];
    this.results = new Actions[messages];
    this.remaining = messages;
  }

  /** Earliest deadline among the messages still unanswered. */
  long nextDeadline() {
    long next = Long.MAX_VALUE;
    for (int i = 0; i < results.length; i++) {
      if (results[i] == null && routes[i] != null) {
        next = Math.min(next, startNanos + routes[i].deadlineNanos);
      }
    }
    return next;
  }
}
