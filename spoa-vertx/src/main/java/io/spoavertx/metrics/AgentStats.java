package io.spoavertx.metrics;

/**
 * What one agent has counted, over all its connections and event loops: read by the metrics
 * export ({@link SpoaMeters}), by tests, and by anyone holding the agent
 * ({@code SpoaAgent.stats()}). Reading never blocks the event loops; every figure counts up from the
 * agent's start, except {@link #connectionsActive()} and {@link #inflight()}.
 */
public interface AgentStats {

  /** How a message's handling ended. */
  public enum Outcome {
    /** The handler answered in time. */
    OK,
    /** The handler failed or threw. */
    ERROR,
    /** The handler missed its deadline. */
    TIMEOUT,
    /** Nobody is registered for the message. */
    NO_HANDLER,
    /**
     * The handler found an argument missing, NULL or of another type
     * ({@link io.spoavertx.handler.BadArgumentException}).
     */
    BAD_ARGS
  }

  /**
   * How a message differs from what its handler declared ({@link io.spoavertx.handler.MessageSpec}):
   * drift between HAProxy's {@code spoe-message} and the handler.
   */
  public enum Drift {
    /** The message carries an argument the declaration does not list. */
    UNDECLARED_ARG,
    /** The message lacks an argument the declaration requires. */
    MISSING_ARG,
    /** An argument has a type its declaration does not accept (NULL is always accepted). */
    WRONG_TYPE
  }

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

  /** SPOP frame types: 0 UNSET (a continuation fragment), 1 HAPROXY-HELLO, 2 HAPROXY-DISCONNECT, 3 NOTIFY, 101 AGENT-HELLO, 102 AGENT-DISCONNECT, 103 ACK. */
  static int[] frameTypes() {
    return new int[] {0, 1, 2, 3, 101, 102, 103};
  }

  /** Connections accepted. */
  long connectionsOpened();

  /** Connections closed, all reasons. */
  long connectionsClosed();

  /** Connections closed for {@code reason}. */
  long connectionsClosed(CloseReason reason);

  /** Connections open now. */
  long connectionsActive();

  /** HELLOs answered on normal (non health-check) connections. */
  long hellos();

  /** HELLOs of health checks ({@code option spop-check}), answered and closed. */
  long healthchecks();

  /** NOTIFY frames read (a fragmented one once, when complete). */
  long notifies();

  /** ACK frames written. */
  long acks();

  /** NOTIFYs read and not yet answered, over all connections. */
  long inflight();

  /** NOTIFYs reassembled from fragments. */
  long fragmentsReassembled();

  /** Fragmented NOTIFYs cancelled by HAProxy (ABORT flag): they get no ACK. */
  long framesAborted();

  /** ACKs whose actions did not fit max-frame-size: sent without actions. */
  long acksTooBig();

  /** Connections closed at accept because listener.maxConnections was reached. */
  long connectionsRefused();

  /** Messages whose handling ended with {@code outcome}. */
  long messages(Outcome outcome);

  /** Messages that crossed to another thread this way to reach their handler. */
  long hops(Hop hop);

  /** Frames of {@code type} (see {@link #frameTypes()}) read from HAProxy. */
  long framesReceived(int type);

  /** Frames of {@code type} (see {@link #frameTypes()}) written to HAProxy. */
  long framesSent(int type);

  /** AGENT-DISCONNECT frames sent with this SPOP status code (0 normal, 1-13 errors, 99 unknown). */
  long agentDisconnects(int statusCode);

  /** HAPROXY-DISCONNECT frames received with this SPOP status code. */
  long haproxyDisconnects(int statusCode);

  /**
   * Messages named {@code message} that differed from their handler's declaration so (only
   * handlers in the agent's JVM registered with a {@link io.spoavertx.handler.MessageSpec} are
   * checked). Past 256 message names, the others are counted under {@code "other"}.
   *
   * @param message a message name
   * @param kind how it differed
   * @return the count
   */
  default long drift(String message, Drift kind) {
    return 0;
  }
}
