package io.spoavertx.agent.impl;

import io.spoavertx.logging.RateLimitedLog;

import io.spoavertx.logging.Log;

import io.spoavertx.metrics.AgentStats.CloseReason;
import io.spoavertx.codec.DisconnectStatus;
import io.spoavertx.codec.FrameHeader;
import io.spoavertx.codec.FrameParser;
import io.spoavertx.codec.FrameType;
import io.spoavertx.codec.HaproxyDisconnect;
import io.spoavertx.codec.HaproxyHello;
import io.spoavertx.codec.NotifyScanner;
import io.spoavertx.codec.SpopException;
import io.spoavertx.codec.SpopReader;
import io.spoavertx.config.ProtocolOptions;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The SPOP state machine of one TCP connection from HAProxy (doc/SPOE.txt 3.2), confined to the
 * connection's event loop: it reads frames ({@link SocketIo}, {@link FrameParser}), negotiates
 * HELLO, reassembles fragments, turns each NOTIFY into a {@link PendingNotify} whose messages the
 * {@link Dispatcher} hands to their handlers, pauses reading when too much is in flight, drains
 * on shutdown and closes with AGENT-DISCONNECT. The NOTIFYs awaiting answers are in
 * {@link InFlight}; what it writes goes through {@link Output}.
 *
 * <p>Every NOTIFY read gets exactly one ACK with its stream-id and frame-id, unless the connection
 * closes first (then with an AGENT-DISCONNECT saying why, or because HAProxy closed it). ACKs that
 * complete together leave in one write.
 */
final class SpopConnection implements FrameParser.Handler, SocketIo.Reader, InFlight.Owner {

  private static final Log LOG = Log.get(SpopConnection.class);
  private static final AtomicLong IDS = new AtomicLong();
  /** HAPROXY-DISCONNECTs with an error status: one line per second at most, for all connections. */
  private static final RateLimitedLog DISCONNECT_LOG = new RateLimitedLog(LOG, 1000);
  /** How long a connection that sent AGENT-DISCONNECT waits for the peer to close it (see {@link #close}). */
  static final long LINGER_MS = 1000;

  private enum State { AWAIT_HELLO, READY, CLOSING, CLOSED }

  private final long id = IDS.incrementAndGet();
  private final NetSocket socket;
  private final Context context;
  private final Vertx vertx;
  private final AgentContext agent;
  private final ProtocolOptions protocol;
  private final FrameParser parser;
  private final SpopReader reader = new SpopReader();
  private final FrameHeader header = new FrameHeader();
  private final NotifyScanner scanner = new NotifyScanner();
  private final SocketIo io;
  private final Output output;
  private final InFlight inflight;
  private final Dispatcher dispatcher;

  private State state = State.AWAIT_HELLO;
  private boolean framesSeen;
  private boolean unknownFrameLogged;
  private int maxFrameSize;
  private boolean fragmentation;
  private String engineId;

  /** The read being parsed: frames in it are not copies. */
  private Buffer currentRead;
  private boolean socketPaused;
  private boolean draining;
  private CloseReason closeReason = CloseReason.PEER_CLOSED;

  private long helloTimer = -1;
  private long idleTimer = -1;
  private long lastReadNanos = System.nanoTime();
  private long lingerTimer = -1;

  private Buffer fragments;
  private long fragmentStreamId;
  private long fragmentFrameId;


  private final Runnable onClose;

  SpopConnection(Vertx vertx, Context context, NetSocket socket, AgentContext agent, Runnable onClose) {
    this.onClose = onClose;
    this.vertx = vertx;
    this.context = context;
    this.socket = socket;
    this.agent = agent;
    this.protocol = agent.config.protocol();
    this.maxFrameSize = protocol.maxFrameSize();
    this.parser = new FrameParser(maxFrameSize, this);
    this.io = SocketIo.of(socket);
    this.output = new Output(io, context, agent, id);
    this.inflight = new InFlight(vertx, agent, this);
    this.dispatcher = new Dispatcher(context, agent, inflight);
  }

  void start() {
    agent.stats.recordConnectionOpened();
    // frames are parsed in place and the messages handed to handlers are views of the read, which
    // a NOTIFY keeps until its ACK (SocketIo.retainRead)
    io.start(this);
    socket.closeHandler(v -> onClosed());
    socket.exceptionHandler(this::onException);
    helloTimer = vertx.setTimer(protocol.helloTimeoutMs(), t -> {
      helloTimer = -1;
      if (state == State.AWAIT_HELLO) {
        fail(new SpopException(DisconnectStatus.TIMEOUT, "no HELLO within " + protocol.helloTimeoutMs() + " ms"));
      }
    });
  }

  /** Connection id used in log lines. */
  public long id() {
    return id;
  }

  // ---------------------------------------------------------------------------------------------
  // Input

  @Override
  public void onRead(Buffer data) {
    lastReadNanos = System.nanoTime();
    currentRead = data;
    output.beginRead();
    try {
      parser.handle(data);
      dispatcher.sendBatches();
    } finally {
      currentRead = null;
      output.endRead();
    }
  }

  @Override
  public void beforeRelease() {
    parser.detach(); // frames held back by a pause are copied: the read is released
  }

  @Override
  public void frame(Buffer buf, int start, int end) {
    if (state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    framesSeen = true;
    try {
      reader.reset(buf, start, end);
      header.read(reader);
      agent.stats.recordFrameIn(header.type);
      if (state == State.AWAIT_HELLO) {
        if (header.type != FrameType.HAPROXY_HELLO) {
          throw new SpopException(DisconnectStatus.INVALID_FRAME,
              "expected HAPROXY-HELLO, got " + FrameType.name(header.type));
        }
        onHello();
        return;
      }
      switch (header.type) {
        case FrameType.NOTIFY:
          onNotify(buf, reader.pos(), end);
          break;
        case FrameType.UNSET:
          onContinuation(buf, reader.pos(), end);
          break;
        case FrameType.HAPROXY_DISCONNECT:
          onHaproxyDisconnect();
          break;
        case FrameType.HAPROXY_HELLO:
          throw new SpopException(DisconnectStatus.INVALID_FRAME, "second HAPROXY-HELLO");
        case FrameType.AGENT_HELLO:
        case FrameType.AGENT_DISCONNECT:
        case FrameType.ACK:
          throw new SpopException(DisconnectStatus.INVALID_FRAME,
              "unexpected frame type " + FrameType.name(header.type));
        default:
          // doc/SPOE.txt 3.2.2: "Unknown frames may be silently skipped"; HAProxy 3.x skips them too
          if (!unknownFrameLogged) {
            unknownFrameLogged = true;
            LOG.info("connection " + id + " engine-id " + engineId + ": skipping frames of unknown type "
                + header.type + " (doc/SPOE.txt 3.2.2); further ones on this connection are skipped silently");
          }
      }
    } catch (SpopException e) {
      fail(e);
    }
  }

  @Override
  public void frameError(SpopException error) {
    if (!framesSeen && state == State.AWAIT_HELLO) {
      // Not SPOP at all (an HTTP request, a port scan): nothing to say to it.
      LOG.debug("connection " + id + " from " + socket.remoteAddress() + ": not SPOP (" + error.getMessage()
          + "), closing");
      state = State.CLOSING;
      closeReason = CloseReason.NOT_SPOP;
      socket.close();
      return;
    }
    fail(error);
  }

  private void onHello() {
    if (!header.fin()) {
      throw new SpopException(DisconnectStatus.FRAGMENTATION_NOT_SUPPORTED, "fragmented HAPROXY-HELLO");
    }
    HaproxyHello hello = HaproxyHello.decode(reader);
    if (hello.supportedVersions() == null) {
      throw new SpopException(DisconnectStatus.VERSION_NOT_FOUND, null);
    }
    if (hello.maxFrameSize() == null) {
      throw new SpopException(DisconnectStatus.MAX_FRAME_SIZE_NOT_FOUND, null);
    }
    if (hello.capabilities() == null) {
      throw new SpopException(DisconnectStatus.CAPABILITIES_NOT_FOUND, null);
    }
    if (hello.supportedVersions().stream().noneMatch(v -> v.equals("2.0") || v.startsWith("2."))) {
      throw new SpopException(DisconnectStatus.UNSUPPORTED_VERSION,
          "unsupported versions " + hello.supportedVersions() + ", this agent speaks 2.0");
    }
    long negotiated = Math.min(protocol.maxFrameSize(), hello.maxFrameSize());
    if (hello.maxFrameSize() < 256 || negotiated < 256) {
      throw new SpopException(DisconnectStatus.BAD_MAX_FRAME_SIZE,
          "max-frame-size " + hello.maxFrameSize() + " is below 256");
    }
    maxFrameSize = (int) negotiated;
    parser.maxFrameSize(maxFrameSize);
    engineId = hello.engineId();
    inflight.peer(engineId, socket.remoteAddress());
    fragmentation = protocol.fragmentation();
    cancelHelloTimer();

    StringBuilder caps = new StringBuilder();
    if (protocol.pipelining()) {
      caps.append("pipelining");
    }
    if (fragmentation) {
      caps.append(caps.length() > 0 ? "," : "").append("fragmentation");
    }
    output.agentHello(maxFrameSize, caps.toString());
    if (hello.healthcheck()) {
      agent.stats.recordHello(true);
      closeReason = CloseReason.HEALTHCHECK;
      state = State.CLOSING;
      parser.stop();
      output.flush();
      socket.end();
      return;
    }
    agent.stats.recordHello(false);
    state = State.READY;
    if (protocol.idleTimeoutMs() > 0) {
      long idleNanos = protocol.idleTimeoutMs() * 1_000_000L;
      idleTimer = vertx.setPeriodic(Math.max(10, protocol.idleTimeoutMs() / 4), t -> {
        if (state == State.READY && inflight.isEmpty() && System.nanoTime() - lastReadNanos >= idleNanos) {
          close(DisconnectStatus.TIMEOUT, "idle for " + protocol.idleTimeoutMs() + " ms");
        }
      });
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("connection " + id + " from " + socket.remoteAddress() + " engine-id " + engineId
          + ": HELLO, max-frame-size " + maxFrameSize + ", capabilities " + hello.capabilities());
    }
  }

  private void onNotify(Buffer buf, int payloadStart, int end) {
    if (fragments != null) {
      throw new SpopException(DisconnectStatus.INTERLACED_FRAMES,
          "NOTIFY while the fragments of stream " + fragmentStreamId + " frame " + fragmentFrameId + " are pending");
    }
    if (header.abort()) {
      agent.stats.recordFramesAborted();
      return; // cancelled before it began: nothing to answer
    }
    if (!header.fin()) {
      if (!fragmentation) {
        throw new SpopException(DisconnectStatus.FRAGMENTATION_NOT_SUPPORTED, "fragmented NOTIFY, fragmentation not negotiated");
      }
      fragments = Buffer.buffer(Math.max(1024, (end - payloadStart) * 4));
      fragments.appendBuffer(buf, payloadStart, end - payloadStart);
      fragmentStreamId = header.streamId;
      fragmentFrameId = header.frameId;
      return;
    }
    processNotify(buf, payloadStart, end, header.streamId, header.frameId);
  }

  private void onContinuation(Buffer buf, int payloadStart, int end) {
    if (fragments == null) {
      throw new SpopException(DisconnectStatus.FRAME_ID_NOT_FOUND,
          "continuation of stream " + header.streamId + " frame " + header.frameId + " with no fragmented frame started");
    }
    if (header.streamId != fragmentStreamId || header.frameId != fragmentFrameId) {
      throw new SpopException(DisconnectStatus.INTERLACED_FRAMES, "continuation of stream " + header.streamId
          + " frame " + header.frameId + " while stream " + fragmentStreamId + " frame " + fragmentFrameId + " is pending");
    }
    if (header.abort()) {
      fragments = null;
      agent.stats.recordFramesAborted();
      return;
    }
    if (fragments.length() + (end - payloadStart) > protocol.maxReassembledSize()) {
      throw new SpopException(DisconnectStatus.FRAME_TOO_BIG,
          "fragmented NOTIFY larger than maxReassembledSize " + protocol.maxReassembledSize());
    }
    fragments.appendBuffer(buf, payloadStart, end - payloadStart);
    if (header.fin()) {
      Buffer whole = fragments;
      fragments = null;
      agent.stats.recordFragmentsReassembled();
      processNotify(whole, 0, whole.length(), fragmentStreamId, fragmentFrameId);
    }
  }

  private void onHaproxyDisconnect() {
    HaproxyDisconnect d = HaproxyDisconnect.decode(reader);
    agent.stats.haproxyDisconnect(d.statusCode());
    if (d.statusCode() != 0 && !(d.statusCode() == DisconnectStatus.TIMEOUT.code() && inflight.isEmpty())) {
      // HAProxy says why it drops the agent (3 frame too big, 9 bad max-frame-size, ...): an
      // operator must see it. Status 2 with nothing in flight is HAProxy 2.6's "timeout idle":
      // routine, DEBUG below.
      DISCONNECT_LOG.warn("connection " + id + " from " + socket.remoteAddress() + " engine-id " + engineId
          + ": HAPROXY-DISCONNECT status " + d.statusCode() + " (" + d.message() + ")"
          + (inflight.isEmpty() ? "" : "; " + inflight.size() + " NOTIFYs in flight are dropped"));
    } else if (LOG.isDebugEnabled()) {
      LOG.debug("connection " + id + " engine-id " + engineId + ": HAPROXY-DISCONNECT status " + d.statusCode()
          + " (" + d.message() + ")");
    }
    closeReason = CloseReason.HAPROXY_DISCONNECT;
    close(DisconnectStatus.NORMAL, null);
  }

  // ---------------------------------------------------------------------------------------------
  // Dispatch

  /** Validates the whole NOTIFY payload before dispatching anything, then dispatches each message. */
  private void processNotify(Buffer buf, int p, int end, long streamId, long frameId) {
    agent.stats.recordNotify();
    int n = scanner.scan(buf, p, end);
    boolean inRead = output.inRead();
    // a NOTIFY's clock starts when it was read (one clock read per read, not per NOTIFY)
    long now = inRead ? lastReadNanos : System.nanoTime();
    PendingNotify pending = inflight.next(streamId, frameId, n, now);
    if (n == 0) {
      output.ack(pending, maxFrameSize, now); // HAProxy 3.1-3.2 send empty NOTIFYs: they want an empty ACK
      inflight.recycle(pending);
      return;
    }
    inflight.add(pending);
    byte[] bytes = scanner.array();
    int base = scanner.arrayOffset();
    for (int i = 0; i < n; i++) {
      Route route = agent.routes.lookup(bytes, base + scanner.nameOffset(i), scanner.nameLength(i));
      pending.routes[i] = route;
      // every view before any dispatch: a handler may read the other messages (its context's siblings)
      pending.view(i, bytes, base + scanner.start(i), base + scanner.end(i), route, base + scanner.argsOffset(i),
          scanner.argCount(i));
    }
    int gen = pending.gen;
    for (int i = 0; i < n && pending.gen == gen && !pending.done; i++) {
      dispatcher.dispatch(pending, gen, i, pending.routes[i], pending.message(i), inRead);
    }
    if (pending.gen == gen && !pending.done) {
      if (buf == currentRead) {
        pending.read = io.retainRead(); // the messages are views of this read: kept until the ACK
      }
      inflight.waiting(pending);
      if (!socketPaused && (inflight.size() >= protocol.maxInFlightPerConnection() || agent.inflight >= agent.maxInFlight)) {
        // Backpressure: read nothing more from this connection until ACKs drain.
        socketPaused = true;
        parser.pause();
        socket.pause();
        if (agent.inflight >= agent.maxInFlight) {
          agent.waiting.add(this);
        }
      }
    }
  }

  @Override
  public boolean ready() {
    return state == State.READY;
  }

  @Override
  public void answered(PendingNotify pending, long now) {
    output.ack(pending, maxFrameSize, now);
    inflight.recycle(pending);
    if (draining && inflight.isEmpty()) {
      close(DisconnectStatus.NORMAL, "agent is shutting down");
    } else {
      maybeResume();
      resumeWaiting();
    }
  }

  @Override
  public void flush() {
    output.flush();
  }

  // ---------------------------------------------------------------------------------------------
  // Backpressure

  /** Wakes connections paused by the instance-wide bound, now that one NOTIFY less is in flight. */
  private void resumeWaiting() {
    while (!agent.waiting.isEmpty() && agent.inflight < agent.maxInFlight) {
      agent.waiting.poll().maybeResume();
    }
  }

  private void maybeResume() {
    if (socketPaused && !draining && state == State.READY && inflight.size() < protocol.maxInFlightPerConnection()
        && agent.inflight < agent.maxInFlight) {
      socketPaused = false;
      socket.resume();
      context.runOnContext(v -> {
        // resume the parser outside complete(): it may dispatch more frames
        output.beginRead();
        try {
          parser.resume();
          dispatcher.sendBatches();
        } finally {
          output.endRead();
        }
      });
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Graceful shutdown

  /**
   * The server is shutting down: read no more frames, answer every NOTIFY already read, then send
   * AGENT-DISCONNECT status 0 and close. Messages still unanswered shortly before {@code timeoutMs}
   * are answered with no actions, so no NOTIFY is left without its ACK when the socket closes.
   */
  void drain(long timeoutMs) {
    if (draining || state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    draining = true;
    parser.pause();
    socket.pause();
    socketPaused = true; // so that close() resumes it for the lingering read
    if (state != State.READY || inflight.isEmpty()) {
      close(DisconnectStatus.NORMAL, "agent is shutting down");
      return;
    }
    vertx.setTimer(Math.max(1, timeoutMs * 9 / 10), t -> inflight.expireAll());
    LOG.debug("connection " + id + ": draining " + inflight.size() + " NOTIFYs in flight");
  }

  // ---------------------------------------------------------------------------------------------
  // Errors and close

  private void fail(SpopException e) {
    if (state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    LOG.info("connection " + id + " from " + socket.remoteAddress() + (engineId != null ? " engine-id " + engineId : "")
        + ": protocol error, status " + e.status().code() + " (" + e.status().reason() + "): " + e.getMessage()
        + (inflight.isEmpty() ? "" : "; " + inflight.size() + " NOTIFYs in flight are dropped"));
    close(e.status(), e.getMessage());
  }

  /** Sends AGENT-DISCONNECT with {@code status}, then closes when the peer does or after {@link #LINGER_MS}. */
  void close(DisconnectStatus status, String message) {
    if (state == State.CLOSING || state == State.CLOSED) {
      return;
    }
    state = State.CLOSING;
    parser.stop();
    cancelHelloTimer();
    if (idleTimer != -1) {
      vertx.cancelTimer(idleTimer);
      idleTimer = -1;
    }
    if (closeReason == CloseReason.PEER_CLOSED) {
      closeReason = draining && status == DisconnectStatus.NORMAL ? CloseReason.SHUTDOWN : CloseReason.PROTOCOL_ERROR;
    }
    output.agentDisconnect(status, message);
    output.flush();
    // Lingering close: HAProxy closes once it has read AGENT-DISCONNECT; until then (at most
    // LINGER_MS) input is still read, and dropped by the stopped parser. Closing with unread input
    // makes the kernel send a reset, which destroys what the peer has not read yet, this
    // AGENT-DISCONNECT included (HAProxy pipelines frames behind the bad one).
    if (socketPaused) {
      socketPaused = false;
      socket.resume();
    }
    lingerTimer = vertx.setTimer(LINGER_MS, t -> {
      lingerTimer = -1;
      socket.end();
    });
  }

  private void onException(Throwable t) {
    // A reset without DISCONNECT is a normal close under reloads (HAProxy 3.x): no loud log.
    LOG.debug("connection " + id + ": " + t);
  }

  private void onClosed() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    agent.stats.recordConnectionClosed(closeReason);
    if (LOG.isDebugEnabled()) {
      LOG.debug("connection " + id + " from " + socket.remoteAddress() + (engineId != null ? " engine-id " + engineId : "")
          + " closed: " + closeReason);
    }
    cancelHelloTimer();
    if (lingerTimer != -1) {
      vertx.cancelTimer(lingerTimer);
      lingerTimer = -1;
    }
    inflight.dropAll(); // late replies are dropped
    agent.waiting.remove(this);
    resumeWaiting();
    if (idleTimer != -1) {
      vertx.cancelTimer(idleTimer);
      idleTimer = -1;
    }
    fragments = null;
    parser.stop();
    output.close();
    onClose.run();
  }

  private void cancelHelloTimer() {
    if (helloTimer != -1) {
      vertx.cancelTimer(helloTimer);
      helloTimer = -1;
    }
  }
}
