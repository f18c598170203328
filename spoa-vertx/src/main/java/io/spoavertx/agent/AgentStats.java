package io.spoavertx.agent;

import io.spoavertx.codec.DisconnectStatus;
import io.spoavertx.codec.FrameType;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one agent, shared by its connections (any event loop). They are what the metrics
 * export reads ({@link io.spoavertx.metrics.SpoaMeters}) and what tests assert; recording is a
 * {@link LongAdder} increment, reading never blocks the event loops. Latency histograms, which
 * need a meter registry, are recorded through {@link LatencyRecorder} when metrics are on.
 */
public final class AgentStats {

  /** How a message's handling ended. */
  public enum Outcome { OK, ERROR, TIMEOUT, NO_HANDLER }

  /** Why a connection ended. */
  public enum CloseReason {
    /** HAProxy sent HAPROXY-DISCONNECT. */
    HAPROXY_DISCONNECT,
    /** We sent AGENT-DISCONNECT for a protocol error or a timeout. */
    PROTOCOL_ERROR,
    /** We sent AGENT-DISCONNECT status 0 because the agent is stopping. */
    SHUTDOWN,
    /** Health check (option spop-check): answered and closed. */
    HEALTHCHECK,
    /** The bytes were not SPOP. */
    NOT_SPOP,
    /** The peer closed or reset the connection. */
    PEER_CLOSED
  }

  /**
   * How a message reached a handler that does not run on the event loop that read it. A message
   * handled on its own event loop (a direct handler, or a handler verticle instance there) makes
   * no hop and is not counted.
   */
  public enum Hop {
    /** To a handler verticle instance on another event loop of this JVM: one task per batch. */
    CROSS_LOOP,
    /** To a worker or virtual-thread handler verticle in this JVM (a hop by design). */
    WORKER,
    /** Over the event bus: to another cluster node, or to an address with no handler in this JVM. */
    REMOTE
  }

  /** Receives latencies; one per agent when metrics are enabled. */
  public interface LatencyRecorder {
    /** NOTIFY read to ACK written. */
    void notifyToAck(long nanos);

    /** One message's handling, by message name and outcome. */
    void message(String name, Outcome outcome, long nanos);
  }

  private static final int[] FRAME_TYPES = {FrameType.UNSET, FrameType.HAPROXY_HELLO, FrameType.HAPROXY_DISCONNECT,
      FrameType.NOTIFY, FrameType.AGENT_HELLO, FrameType.AGENT_DISCONNECT, FrameType.ACK};

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
  private volatile LatencyRecorder latency;

  private static LongAdder[] adders(int n) {
    LongAdder[] a = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      a[i] = new LongAdder();
    }
    return a;
  }

  /** Frame types that are counted, for exporters. */
  public static int[] frameTypes() {
    return FRAME_TYPES.clone();
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

  public void agentDisconnect(DisconnectStatus status) {
    agentDisconnects.incrementAndGet(Math.min(status.code(), 99));
  }

  public void haproxyDisconnect(long status) {
    haproxyDisconnects.incrementAndGet((int) Math.min(Math.max(status, 0), 99));
  }

  // Reading.

  public long connectionsOpened() {
    return connectionsOpened.sum();
  }

  public long connectionsClosed() {
    long n = 0;
    for (LongAdder a : closed) {
      n += a.sum();
    }
    return n;
  }

  public long connectionsClosed(CloseReason reason) {
    return closed[reason.ordinal()].sum();
  }

  public long connectionsActive() {
    return connectionsOpened() - connectionsClosed();
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

  /** NOTIFYs read and not yet answered, over all connections. */
  public long inflight() {
    return inflight.sum();
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

  /** Connections closed at accept because listener.maxConnections was reached. */
  public long connectionsRefused() {
    return refused.sum();
  }

  public long messages(Outcome outcome) {
    return outcomes[outcome.ordinal()].sum();
  }

  /** Messages that crossed to another thread this way to reach their handler. */
  public long hops(Hop hop) {
    return hops[hop.ordinal()].sum();
  }

  public long framesReceived(int type) {
    return framesIn[type & 0x7F].sum();
  }

  public long framesSent(int type) {
    return framesOut[type & 0x7F].sum();
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
