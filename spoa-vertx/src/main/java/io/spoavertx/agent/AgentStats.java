package io.spoavertx.agent;

import io.spoavertx.codec.DisconnectStatus;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one agent, shared by its connections (any event loop). They are what the metrics
 * module exports and what tests assert; reading them never blocks the event loops.
 */
public final class AgentStats {

  /** How a message's handling ended. */
  public enum Outcome { OK, ERROR, TIMEOUT, NO_HANDLER }

  private final LongAdder connectionsOpened = new LongAdder();
  private final LongAdder connectionsClosed = new LongAdder();
  private final LongAdder hellos = new LongAdder();
  private final LongAdder healthchecks = new LongAdder();
  private final LongAdder notifies = new LongAdder();
  private final LongAdder acks = new LongAdder();
  private final LongAdder fragmentsReassembled = new LongAdder();
  private final LongAdder framesAborted = new LongAdder();
  private final LongAdder acksTooBig = new LongAdder();
  private final LongAdder[] outcomes = new LongAdder[Outcome.values().length];
  private final AtomicLongArray agentDisconnects = new AtomicLongArray(100);
  private final AtomicLongArray haproxyDisconnects = new AtomicLongArray(100);

  public AgentStats() {
    for (int i = 0; i < outcomes.length; i++) {
      outcomes[i] = new LongAdder();
    }
  }

  // Recording, called by the agent's connections.

  public void recordConnectionsOpened() {
    connectionsOpened.increment();
  }

  public void recordConnectionsClosed() {
    connectionsClosed.increment();
  }

  public void recordHellos() {
    hellos.increment();
  }

  public void recordHealthchecks() {
    healthchecks.increment();
  }

  public void recordNotifies() {
    notifies.increment();
  }

  public void recordAcks() {
    acks.increment();
  }

  public void recordFragmentsReassembled() {
    fragmentsReassembled.increment();
  }

  public void recordFramesAborted() {
    framesAborted.increment();
  }

  public void recordAcksTooBig() {
    acksTooBig.increment();
  }

  public void outcome(Outcome o) {
    outcomes[o.ordinal()].increment();
  }

  public void agentDisconnect(DisconnectStatus status) {
    agentDisconnects.incrementAndGet(Math.min(status.code(), 99));
  }

  public void haproxyDisconnect(long status) {
    haproxyDisconnects.incrementAndGet((int) Math.min(Math.max(status, 0), 99));
  }

  public long connectionsOpened() {
    return connectionsOpened.sum();
  }

  public long connectionsClosed() {
    return connectionsClosed.sum();
  }

  public long connectionsActive() {
    return connectionsOpened.sum() - connectionsClosed.sum();
  }

  /** HELLOs answered on normal (non health-check) connections. */
  public long hellos() {
    return hellos.sum();
  }

  public long healthchecks() {
    return healthchecks.sum();
  }

  public long notifies() {
    return notifies.sum();
  }

  public long acks() {
    return acks.sum();
  }

  public long fragmentsReassembled() {
    return fragmentsReassembled.sum();
  }

  /** Fragmented NOTIFYs cancelled by HAProxy (ABORT flag): they get no ACK. */
  public long framesAborted() {
    return framesAborted.sum();
  }

  /** ACKs whose actions did not fit max-frame-size: sent without actions. */
  public long acksTooBig() {
    return acksTooBig.sum();
  }

  public long messages(Outcome outcome) {
    return outcomes[outcome.ordinal()].sum();
  }

  /** AGENT-DISCONNECT frames we sent with this status. */
  public long agentDisconnects(DisconnectStatus status) {
    return agentDisconnects.get(Math.min(status.code(), 99));
  }

  /** HAPROXY-DISCONNECT frames received with this status code. */
  public long haproxyDisconnects(int statusCode) {
    return haproxyDisconnects.get(Math.min(Math.max(statusCode, 0), 99));
  }
}
