package io.spoavertx.agent.impl;

import io.spoavertx.config.ProtocolOptions;
import io.spoavertx.handler.Actions;
import io.spoavertx.handler.MessageContext;
import io.spoavertx.handler.internal.MessageContexts;
import io.spoavertx.metrics.AgentStats.Outcome;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;

import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * A connection's NOTIFYs awaiting their ACK: the results of their messages as they come in, in
 * any order, the deadlines (one timer per connection, armed for the earliest one, instead of one
 * per message), and the {@link PendingNotify} objects kept for reuse. When a NOTIFY's last message
 * is answered, the {@link Owner} writes its ACK. Confined to the connection's event loop.
 */
final class InFlight implements Dispatcher.Answers {

  /** The connection, told about finished NOTIFYs. */
  interface Owner {
    /** Whether ACKs may be written (HELLO done, not closing). */
    boolean ready();

    /** {@code pending}'s last message is answered (it is out of the in-flight list): write its ACK. */
    void answered(PendingNotify pending, long now);

    /** Writes what answers produced outside a read. */
    void flush();
  }

  private final Vertx vertx;
  private final AgentContext agent;
  private final ProtocolOptions protocol;
  private final Owner owner;
  private final ArrayList<PendingNotify> list = new ArrayList<>();
  /** Finished {@link PendingNotify}s ready for reuse. */
  private final ArrayDeque<PendingNotify> pool = new ArrayDeque<>();
  private long sweepTimer = -1;
  private long sweepAt;
  /** HAProxy's engine id and address, once HELLO is read: shown by the messages' contexts. */
  private String engineId;
  private SocketAddress peer;

  InFlight(Vertx vertx, AgentContext agent, Owner owner) {
    this.vertx = vertx;
    this.agent = agent;
    this.protocol = agent.config.protocol();
    this.owner = owner;
  }

  int size() {
    return list.size();
  }

  boolean isEmpty() {
    return list.isEmpty();
  }

  /** The connection's HAProxy: its engine id (or null) and address. */
  void peer(String engineId, SocketAddress peer) {
    this.engineId = engineId;
    this.peer = peer;
  }

  /** A (reused) object for a NOTIFY of {@code messages} messages read at {@code startNanos}. */
  PendingNotify next(long streamId, long frameId, int messages, long startNanos) {
    PendingNotify p = pool.isEmpty() ? new PendingNotify(Math.max(messages, 4)) : pool.poll();
    p.engineId = engineId;
    p.peer = peer;
    return p.init(streamId, frameId, messages, startNanos);
  }

  /** {@code pending} waits for the answers of its messages. */
  void add(PendingNotify pending) {
    list.add(pending);
    agent.inflight++;
  }

  /**
   * {@code pending} outlived its dispatch (not every message answered at once): it is counted in
   * the in-flight gauge and its deadline is watched.
   */
  void waiting(PendingNotify pending) {
    pending.counted = true;
    agent.stats.recordInflight(1);
    armSweep(pending.nextDeadline());
  }

  @Override
  public boolean complete(PendingNotify pending, int gen, int index, Actions actions, Outcome outcome) {
    if (pending.gen != gen || pending.done || pending.results[index] != null) {
      return false;
    }
    Route route = pending.routes[index];
    // its handler may still be using the view, context and lent list: cancelled below, at the end
    MessageContext cancelled = outcome == Outcome.TIMEOUT ? pending.forget(index) : null;
    long now = System.nanoTime();
    if (outcome != Outcome.TIMEOUT && now - (pending.startNanos + route.deadlineNanos) >= 0) {
      // Past its deadline an answer is a timeout, even before the sweep has run: an event loop busy
      // past the deadline runs the tasks already queued (an answer from another thread) before the
      // timers that fell due meanwhile (DeadlineTest).
      timeout(pending, gen, index);
      return false;
    }
    agent.stats.outcome(outcome);
    agent.latency.message(route.name, outcome, now - pending.startNanos);
    pending.results[index] = actions;
    if (--pending.remaining == 0) {
      pending.done = true;
      pending.release();
      list.remove(pending);
      agent.inflight--;
      if (pending.counted) {
        pending.counted = false;
        agent.stats.recordInflight(-1);
      }
      if (owner.ready()) {
        owner.answered(pending, now);
      }
    }
    if (cancelled != null) {
      MessageContexts.cancel(cancelled); // last: a handler's callback may answer (a late answer now)
    }
    return true;
  }

  /**
   * Keeps a finished NOTIFY's object, with its views, lent lists and envelopes, for a later one: as
   * many as the connection may have in flight, so a connection at its bound allocates none.
   */
  void recycle(PendingNotify pending) {
    pending.recycle();
    if (pool.size() < protocol.maxInFlightPerConnection()) {
      pool.push(pending);
    }
  }

  private void timeout(PendingNotify pending, int gen, int index) {
    Route route = pending.routes[index];
    if (complete(pending, gen, index, Actions.none(), Outcome.TIMEOUT)) {
      agent.handlerLog.warn("handler of message '" + route.name + "' missed its deadline of "
          + route.deadlineNanos / 1_000_000 + " ms");
    }
  }

  private void armSweep(long deadline) {
    if (deadline == Long.MAX_VALUE) {
      return;
    }
    if (sweepTimer != -1) {
      if (sweepAt <= deadline) {
        return;
      }
      vertx.cancelTimer(sweepTimer);
    }
    sweepAt = deadline;
    long delayMs = Math.max(1, (deadline - System.nanoTime() + 999_999) / 1_000_000);
    sweepTimer = vertx.setTimer(delayMs, t -> sweep());
  }

  /** Answers the messages past their deadline with no actions, then waits for the next deadline. */
  private void sweep() {
    sweepTimer = -1;
    if (!owner.ready()) {
      return;
    }
    long now = System.nanoTime();
    for (int k = list.size() - 1; k >= 0; k--) {
      if (k >= list.size()) {
        continue;
      }
      PendingNotify p = list.get(k);
      int gen = p.gen;
      for (int i = 0; i < p.count && p.gen == gen && !p.done; i++) {
        if (p.results[i] == null && now - (p.startNanos + p.routes[i].deadlineNanos) >= 0) {
          timeout(p, gen, i);
        }
      }
    }
    long next = Long.MAX_VALUE;
    for (PendingNotify p : list) {
      next = Math.min(next, p.nextDeadline());
    }
    armSweep(next);
    owner.flush();
  }

  /** Answers every message still unanswered with no actions, as timed out (the drain's end). */
  void expireAll() {
    for (int k = list.size() - 1; k >= 0; k--) {
      if (k >= list.size()) {
        continue;
      }
      PendingNotify p = list.get(k);
      int gen = p.gen;
      for (int i = 0; i < p.count && p.gen == gen && !p.done; i++) {
        complete(p, gen, i, Actions.none(), Outcome.TIMEOUT);
      }
    }
    owner.flush();
  }

  /**
   * The connection closed: the NOTIFYs in flight get no ACK, late answers are dropped, and the
   * messages still unanswered are cancelled.
   */
  void dropAll() {
    if (sweepTimer != -1) {
      vertx.cancelTimer(sweepTimer);
      sweepTimer = -1;
    }
    int counted = 0;
    ArrayList<MessageContext> cancelled = null;
    for (PendingNotify p : list) {
      p.done = true;
      p.release();
      if (p.counted) {
        p.counted = false;
        counted++;
      }
      for (int i = 0; i < p.count; i++) {
        if (p.results[i] == null) {
          MessageContext c = p.forget(i);
          if (c != null) {
            if (cancelled == null) {
              cancelled = new ArrayList<>();
            }
            cancelled.add(c);
          }
        }
      }
    }
    agent.stats.recordInflight(-counted);
    agent.inflight -= list.size();
    list.clear();
    if (cancelled != null) {
      for (MessageContext c : cancelled) {
        MessageContexts.cancel(c);
      }
    }
  }
}
