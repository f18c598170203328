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
    /** The handler failed or threw: no actions. */
    ERROR,
    /** The handler missed its deadline ({@code dispatch.deadlineMs}): no actions. */
    TIMEOUT,
    /** Nobody is registered at the message's address: no actions. */
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
    /**
     * Records the time from reading a NOTIFY to writing its ACK.
     *
     * @param nanos the time, in nanoseconds
     */
    void notifyToAck(long nanos);

    /**
     * Records one message's handling time, by message name and outcome.
     *
     * @param name    the message name
     * @param outcome how its handling ended
     * @param nanos   the time, in nanoseconds
     */
    void message(String name, Outcome outcome, long nanos);
  }

  /**
   * {@return the SPOP frame types counted: 0 UNSET (a continuation fragment), 1 HAPROXY-HELLO,
   * 2 HAPROXY-DISCONNECT, 3 NOTIFY, 101 AGENT-HELLO, 102 AGENT-DISCONNECT, 103 ACK}
   */
  static int[] frameTypes() {
    return new int[] {0, 1, 2, 3, 101, 102, 103};
  }

  /** {@return the number of connections accepted} */
  long connectionsOpened();

  /** {@return the number of connections closed, all reasons} */
  long connectionsClosed();

  /**
   * The number of connections closed for one reason.
   *
   * @param reason the reason
   * @return the number closed for {@code reason}
   */
  long connectionsClosed(CloseReason reason);

  /** {@return the number of connections open now} */
  long connectionsActive();

  /** {@return the number of HELLOs answered on normal (non health-check) connections} */
  long hellos();

  /** {@return the number of HELLOs of health checks ({@code option spop-check}), answered and closed} */
  long healthchecks();

  /** {@return the number of NOTIFY frames read (a fragmented one once, when complete)} */
  long notifies();

  /** {@return the number of ACK frames written} */
  long acks();

  /** {@return the number of NOTIFYs read and not yet answered, over all connections} */
  long inflight();

  /** {@return the number of NOTIFYs reassembled from fragments} */
  long fragmentsReassembled();

  /** {@return the number of fragmented NOTIFYs cancelled by HAProxy (ABORT flag): they get no ACK} */
  long framesAborted();

  /** {@return the number of ACKs whose actions did not fit max-frame-size: sent without actions} */
  long acksTooBig();

  /** {@return the number of connections closed at accept because listener.maxConnections was reached} */
  long connectionsRefused();

  /**
   * The number of messages whose handling ended one way.
   *
   * @param outcome the outcome
   * @return the number that ended with {@code outcome}
   */
  long messages(Outcome outcome);

  /**
   * The number of messages that crossed to another thread one way to reach their handler.
   *
   * @param hop the way
   * @return the number that made that hop
   */
  long hops(Hop hop);

  /**
   * The number of frames of one type read from HAProxy.
   *
   * @param type the frame type (see {@link #frameTypes()})
   * @return the number of such frames read
   */
  long framesReceived(int type);

  /**
   * The number of frames of one type written to HAProxy.
   *
   * @param type the frame type (see {@link #frameTypes()})
   * @return the number of such frames written
   */
  long framesSent(int type);

  /**
   * The number of AGENT-DISCONNECT frames sent with one SPOP status code.
   *
   * @param statusCode the status code (0 normal, 1-13 errors, 99 unknown)
   * @return the number sent with that code
   */
  long agentDisconnects(int statusCode);

  /**
   * The number of HAPROXY-DISCONNECT frames received with one SPOP status code.
   *
   * @param statusCode the status code
   * @return the number received with that code
   */
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
