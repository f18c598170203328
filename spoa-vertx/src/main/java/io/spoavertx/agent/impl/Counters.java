package io.spoavertx.agent.impl;

import io.spoavertx.codec.DisconnectStatus;
import io.spoavertx.metrics.AgentStats;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The agent's {@link AgentStats}, and what its connections record into them from any event loop:
 * each a {@link LongAdder} increment. Latencies, which need a meter registry, go to the
 * {@link AgentStats.LatencyRecorder} when metrics are on (through each event loop's
 * {@link LatencyBuffer}).
 */
public final class Counters implements AgentStats {

  private final LongAdder connectionsOpened = new LongAdder();
  private final LongAdder[] closed = adders(CloseReason.values().length);
  private final LongAdder hellos = new LongAdder();
  private final LongAdder healthchecks = new LongAdder();
  private final LongAdder notifies = new LongAdder();
  private final LongAdder acks = new LongAdder();
  private final LongAdder inflight = new LongAdder();
  private final LongAdder fragmentsReassembled = new LongAdder();
  private final LongAdder framesAborted = new LongAdder();
  private final LongAdder acksTooBig = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final LongAdder[] outcomes = adders(Outcome.values().length);
  private final LongAdder[] hops = adders(Hop.values().length);
  private final LongAdder[] framesIn = adders(128);
  private final LongAdder[] framesOut = adders(128);
  private final AtomicLongArray agentDisconnects = new AtomicLongArray(100);
  private final AtomicLongArray haproxyDisconnects = new AtomicLongArray(100);
  /** Per message name, per {@link Drift}: bounded like the meters' message names. */
  private final ConcurrentHashMap<String, LongAdder[]> drift = new ConcurrentHashMap<>();
  private volatile LatencyRecorder latency;

  /** Message names counted apart in {@link #drift}; past it, under "other". */
  static final int MAX_DRIFT_NAMES = 256;

  private static LongAdder[] adders(int n) {
    LongAdder[] a = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      a[i] = new LongAdder();
    }
    return a;
  }

  /** Installs the latency recorder (metrics on); null turns latencies off. */
  public void latencyRecorder(LatencyRecorder recorder) {
    this.latency = recorder;
  }

  /** The latency recorder, or null when latencies are off. */
  public LatencyRecorder latencyRecorder() {
    return latency;
  }

  // Recording, called by the agent's connections.

  public void recordConnectionOpened() {
    connectionsOpened.increment();
  }

  public void recordConnectionClosed(CloseReason reason) {
    closed[reason.ordinal()].increment();
  }

  public void recordHello(boolean healthcheck) {
    (healthcheck ? healthchecks : hellos).increment();
  }

  public void recordNotify() {
    notifies.increment();
  }

  /** An ACK went out (its latency goes to the {@link #latencyRecorder() recorder} separately). */
  public void recordAck() {
    acks.increment();
  }

  public void recordInflight(int delta) {
    inflight.add(delta);
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

  public void recordConnectionRefused() {
    refused.increment();
  }

  public void recordFrameIn(int type) {
    framesIn[type & 0x7F].increment();
  }

  public void recordFrameOut(int type) {
    framesOut[type & 0x7F].increment();
  }

  /** A message's handling ended so (its latency goes to the {@link #latencyRecorder() recorder} separately). */
  public void outcome(Outcome o) {
    outcomes[o.ordinal()].increment();
  }

  /** {@code messages} messages left their event loop this way. */
  public void recordHops(Hop hop, int messages) {
    hops[hop.ordinal()].add(messages);
  }

  /** A message named {@code message} differed from its handler's declaration: {@code kinds} is a mask of {@link Drift} ordinals. */
  public void recordDrift(String message, int kinds) {
    LongAdder[] a = drift.get(message);
    if (a == null) {
      a = drift.computeIfAbsent(drift.size() < MAX_DRIFT_NAMES ? message : "other", k -> adders(Drift.values().length));
    }
    for (Drift d : DRIFTS) {
      if ((kinds & 1 << d.ordinal()) != 0) {
        a[d.ordinal()].increment();
      }
    }
  }

  private static final Drift[] DRIFTS = Drift.values();

  public void agentDisconnect(DisconnectStatus status) {
    agentDisconnects.incrementAndGet(Math.min(status.code(), 99));
  }

  public void haproxyDisconnect(long status) {
    haproxyDisconnects.incrementAndGet((int) Math.min(Math.max(status, 0), 99));
  }

  // Reading.

  @Override
  public long connectionsOpened() {
    return connectionsOpened.sum();
  }

  @Override
  public long connectionsClosed() {
    long n = 0;
    for (LongAdder a : closed) {
      n += a.sum();
    }
    return n;
  }

  @Override
  public long connectionsClosed(CloseReason reason) {
    return closed[reason.ordinal()].sum();
  }

  @Override
  public long connectionsActive() {
    return connectionsOpened() - connectionsClosed();
  }

  @Override
  public long hellos() {
    return hellos.sum();
  }

  @Override
  public long healthchecks() {
    return healthchecks.sum();
  }

  @Override
  public long notifies() {
    return notifies.sum();
  }

  @Override
  public long acks() {
    return acks.sum();
  }

  @Override
  public long inflight() {
    return inflight.sum();
  }

  @Override
  public long fragmentsReassembled() {
    return fragmentsReassembled.sum();
  }

  @Override
  public long framesAborted() {
    return framesAborted.sum();
  }

  @Override
  public long acksTooBig() {
    return acksTooBig.sum();
  }

  @Override
  public long connectionsRefused() {
    return refused.sum();
  }

  @Override
  public long messages(Outcome outcome) {
    return outcomes[outcome.ordinal()].sum();
  }

  @Override
  public long hops(Hop hop) {
    return hops[hop.ordinal()].sum();
  }

  @Override
  public long framesReceived(int type) {
    return framesIn[type & 0x7F].sum();
  }

  @Override
  public long framesSent(int type) {
    return framesOut[type & 0x7F].sum();
  }

  @Override
  public long agentDisconnects(int statusCode) {
    return agentDisconnects.get(Math.min(Math.max(statusCode, 0), 99));
  }

  @Override
  public long drift(String message, Drift kind) {
    LongAdder[] a = drift.get(message);
    return a == null ? 0 : a[kind.ordinal()].sum();
  }

  @Override
  public long haproxyDisconnects(int statusCode) {
    return haproxyDisconnects.get(Math.min(Math.max(statusCode, 0), 99));
  }
}
