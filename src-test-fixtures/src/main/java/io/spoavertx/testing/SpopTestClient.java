package io.spoavertx.testing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake HAProxy: one SPOP connection to an agent, driven by the test.
 *
 * <pre>{@code
 * SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await();
 * client.hello().await();
 * Ack ack = client.notify(Message.of("check").arg("ip", TypedValue.ipv4("10.0.0.1"))).await();
 * AckAssert.assertThat(ack).setsVar(VarScope.TXN, "score").withIntIn(0, 100);
 * client.close().await();
 * }</pre>
 *
 * <p>Methods may be called from any thread. Many NOTIFYs may be in flight: ACKs are matched by
 * (stream-id, frame-id) whatever their order. Each frame goes out in a single write, in call order.
 * Anything unexpected from the agent (unknown ids, wrong frame types, malformed or fragmented
 * frames, bad AGENT-HELLO keys) is recorded in {@link #errors()}; frames that make the connection
 * state unclear also fail every pending future. The client does not enforce the negotiated
 * limits on what it sends: a test may send anything (see also {@link #sendRaw}). Like HAProxy, it
 * closes the connection once it has read an AGENT-DISCONNECT.
 */
public final class SpopTestClient {

  private static final AtomicLong GLOBAL_STREAM_ID = new AtomicLong();
  private static final int DEFAULT_MAX_FRAME_SIZE = 16380;

  private final Vertx vertx;
  private final Context context;
  private final NetClient netClient;
  private final NetSocket socket;
  private final SpopTestClientOptions options;
  private final FrameSplitter splitter;

  private final Object lock = new Object();
  private final Map<Key, PendingReply<Ack>> pending = new LinkedHashMap<>();
  private final Set<Key> timedOut = new HashSet<>();
  private PendingReply<AgentHello> pendingHello;
  private HelloOptions sentHello;
  private long nextStreamId = 1;
  private boolean closedFlag;
  private volatile AgentHello agentHello;

  private final Promise<AgentDisconnect> agentDisconnect = Promise.promise();
  private final Promise<Void> closed = Promise.promise();
  private final List<ProtocolError> errors = new CopyOnWriteArrayList<>();

  private record Key(long streamId, long frameId) {}

  private SpopTestClient(Vertx vertx, Context context, NetClient netClient, NetSocket socket,
                         SpopTestClientOptions options) {
    this.vertx = vertx;
    this.context = context;
    this.netClient = netClient;
    this.socket = socket;
    this.options = options;
    this.splitter = new FrameSplitter(DEFAULT_MAX_FRAME_SIZE, this::onFrame);
    socket.handler(this::onData);
    socket.closeHandler(v -> onClose());
    socket.exceptionHandler(t -> { /* a reset is a normal close for HAProxy; closeHandler follows */ });
  }

  /**
   * Connects a new client with default options to the agent at {@code host:port}.
   *
   * @param vertx the Vert.x instance the client runs on
   * @param host  the agent's host
   * @param port  the agent's port
   * @return the connected client
   */
  public static Future<SpopTestClient> connect(Vertx vertx, String host, int port) {
    return connect(vertx, host, port, new SpopTestClientOptions());
  }

  /**
   * Connects a new client to the agent at {@code host:port}.
   *
   * @param vertx   the Vert.x instance the client runs on
   * @param host    the agent's host
   * @param port    the agent's port
   * @param options the client options
   * @return the connected client
   */
  public static Future<SpopTestClient> connect(Vertx vertx, String host, int port, SpopTestClientOptions options) {
    Context ctx = vertx.getOrCreateContext();
    Promise<SpopTestClient> result = Promise.promise();
    ctx.runOnContext(v -> {
      NetClient nc = vertx.createNetClient(options.netClientOptions());
      nc.connect(port, host).onComplete(ar -> {
        if (ar.failed()) {
          nc.close();
          result.fail(ar.cause());
        } else {
          result.complete(new SpopTestClient(vertx, ctx, nc, ar.result(), options));
        }
      });
    });
    return result.future();
  }

  // ---- requests ------------------------------------------------------------------------------

  /** {@return the AGENT-HELLO answering a default HAPROXY-HELLO ({@link HelloOptions#HelloOptions()})} */
  public Future<AgentHello> hello() {
    return hello(new HelloOptions());
  }

  /**
   * Sends HAPROXY-HELLO and returns the decoded AGENT-HELLO. Fails with
   * {@link AgentDisconnectedException} if the agent answers with AGENT-DISCONNECT. The announced
   * max-frame-size becomes the largest frame accepted from the agent, then the agent's value if smaller.
   *
   * @param hello the HAPROXY-HELLO's content
   * @return the AGENT-HELLO
   */
  public Future<AgentHello> hello(HelloOptions hello) {
    Buffer frame = SpopClientCodec.encodeHaproxyHello(hello);
    synchronized (lock) {
      if (closedFlag) {
        return Future.failedFuture(closedException());
      }
      if (pendingHello != null) {
        return Future.failedFuture(new IllegalStateException("a HELLO is already waiting for its answer"));
      }
      PendingReply<AgentHello> p = new PendingReply<>(vertx);
      pendingHello = p;
      sentHello = hello;
      if (hello.maxFrameSize() != null) {
        splitter.maxFrameSize(hello.maxFrameSize());
      }
      Runnable forget = () -> {
        synchronized (lock) {
          if (pendingHello == p) {
            pendingHello = null;
          }
        }
      };
      p.armTimer(options.requestTimeout(), "AGENT-HELLO", forget);
      write(List.of(frame)).onFailure(t -> {
        forget.run();
        p.fail(t);
      });
      return p.future();
    }
  }

  /**
   * Sends one NOTIFY with the next ids of the configured {@link SpopTestClientOptions.IdStyle} and
   * returns its ACK. Call {@link #notify(List)} with an empty list for an empty NOTIFY
   * ({@code notify()} with no argument is {@link Object#notify()}).
   *
   * @param messages the messages
   * @return the ACK
   */
  public Future<Ack> notify(Message... messages) {
    return notify(Arrays.asList(messages));
  }

  /**
   * Sends one NOTIFY holding {@code messages} (possibly none) and returns its ACK.
   *
   * @param messages the messages
   * @return the ACK
   */
  public Future<Ack> notify(List<Message> messages) {
    synchronized (lock) {
      Key k = nextKey();
      return notify(k.streamId(), k.frameId(), messages);
    }
  }

  /**
   * Sends one NOTIFY with explicit ids and returns its ACK (ids must not be in flight already).
   *
   * @param streamId the stream-id
   * @param frameId  the frame-id
   * @param messages the messages
   * @return the ACK
   */
  public Future<Ack> notify(long streamId, long frameId, List<Message> messages) {
    Buffer frame;
    try {
      frame = SpopClientCodec.encodeNotify(streamId, frameId, messages);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return sendRequest(new Key(streamId, frameId), List.of(frame));
  }

  /**
   * Sends one NOTIFY fragmented as HAProxy 2.6 does when the agent announced {@code fragmentation}:
   * the payload is cut every {@code fragmentSize} bytes (splits fall anywhere, even inside a value);
   * the first frame is a NOTIFY with FIN clear, the others are UNSET (type 0) frames with the same
   * ids, the last with FIN. A payload that fits in one fragment still gets an empty final UNSET+FIN frame.
   *
   * @param fragmentSize the payload bytes per frame, at least 1
   * @param abortAtEnd if true, the fragments are followed by an empty UNSET frame with ABORT|FIN,
   *                   which cancels the frame: no ACK is expected and the future completes with
   *                   {@code null} once written
   * @param messages     the messages
   * @return the ACK, or null once written if {@code abortAtEnd}
   */
  public Future<Ack> notifyFragmented(int fragmentSize, boolean abortAtEnd, Message... messages) {
    if (fragmentSize < 1) {
      return Future.failedFuture(new IllegalArgumentException("fragmentSize must be >= 1"));
    }
    Buffer payload;
    try {
      payload = SpopClientCodec.encodeNotifyPayload(Arrays.asList(messages));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    synchronized (lock) {
      Key k = nextKey();
      List<Buffer> frames = NotifyFragments.frames(k.streamId(), k.frameId(), payload, fragmentSize, abortAtEnd);
      if (abortAtEnd) {
        if (closedFlag) {
          return Future.failedFuture(closedException());
        }
        return write(frames).map(v -> (Ack) null);
      }
      return sendRequest(k, frames);
    }
  }

  /**
   * Registers an expected ACK for a NOTIFY sent by other means (e.g. {@link #sendRaw}); call it
   * before sending. Without it, the ACK of a raw NOTIFY counts as an ACK with unknown ids.
   *
   * @param streamId the NOTIFY's stream-id
   * @param frameId  the NOTIFY's frame-id
   * @return the ACK
   */
  public Future<Ack> expectAck(long streamId, long frameId) {
    return sendRequest(new Key(streamId, frameId), List.of());
  }

  /**
   * Writes arbitrary bytes in one write (e.g. a hand-made or broken frame).
   *
   * @param bytes the bytes
   * @return completes once written
   */
  public Future<Void> sendRaw(Buffer bytes) {
    synchronized (lock) {
      if (closedFlag) {
        return Future.failedFuture(closedException());
      }
      return write(List.of(bytes));
    }
  }

  /**
   * Sends HAPROXY-DISCONNECT and returns the agent's AGENT-DISCONNECT (same as {@link #agentDisconnect()}).
   *
   * @param statusCode the {@code status-code} sent
   * @param message    the {@code message} sent
   * @return the agent's AGENT-DISCONNECT
   */
  public Future<AgentDisconnect> disconnect(int statusCode, String message) {
    Buffer frame = SpopClientCodec.encodeHaproxyDisconnect(statusCode, message);
    synchronized (lock) {
      if (!closedFlag) {
        write(List.of(frame));
      }
    }
    return agentDisconnect.future();
  }

  /**
   * {@return the agent's AGENT-DISCONNECT} Completes when the agent sends it (on its own, e.g. after a
   * protocol error, or in answer to {@link #disconnect}); fails if the connection closes without one.
   */
  public Future<AgentDisconnect> agentDisconnect() {
    return agentDisconnect.future();
  }

  /** {@return a future completed when the TCP connection is closed, by either side (this client closes it on AGENT-DISCONNECT)} */
  public Future<Void> closed() {
    return closed.future();
  }

  /**
   * Closes the connection (no DISCONNECT frame); pending futures fail.
   *
   * @return completes once closed
   */
  public Future<Void> close() {
    socket.close();
    return closed.future().transform(ar -> netClient.close());
  }

  /** {@return the protocol errors seen so far (a snapshot)} Empty for a well-behaved agent. */
  public List<ProtocolError> errors() {
    return List.copyOf(errors);
  }

  /** {@return the last AGENT-HELLO received, or null} */
  public AgentHello agentHello() {
    return agentHello;
  }

  /** {@return the number of NOTIFYs waiting for their ACK} */
  public int pendingCount() {
    synchronized (lock) {
      return pending.size();
    }
  }

  /** {@return the underlying Vert.x instance} */
  public Vertx vertx() {
    return vertx;
  }

  /** {@return the client's end of the connection: the address the agent sees as HAProxy's} */
  public SocketAddress localAddress() {
    return socket.localAddress();
  }

  // ---- internals -------------------------------------------------------------------------------

  private Key nextKey() {
    if (options.idStyle() == SpopTestClientOptions.IdStyle.HAPROXY_2_6) {
      return new Key(GLOBAL_STREAM_ID.getAndIncrement(), 1);
    }
    long sid = nextStreamId;
    nextStreamId += 2;
    return new Key(sid, 1);
  }

  private Future<Ack> sendRequest(Key key, List<Buffer> frames) {
    synchronized (lock) {
      if (closedFlag) {
        return Future.failedFuture(closedException());
      }
      if (pending.containsKey(key)) {
        return Future.failedFuture(new IllegalStateException(
            "a NOTIFY with stream-id " + key.streamId() + " frame-id " + key.frameId() + " is already in flight"));
      }
      PendingReply<Ack> p = new PendingReply<>(vertx);
      pending.put(key, p);
      timedOut.remove(key);
      p.armTimer(options.requestTimeout(), "ACK for stream-id " + key.streamId() + " frame-id " + key.frameId(), () -> {
        synchronized (lock) {
          if (pending.remove(key, p)) {
            timedOut.add(key);
          }
        }
      });
      if (frames.isEmpty()) {
        return p.future();
      }
      write(frames).onFailure(t -> {
        synchronized (lock) {
          pending.remove(key, p);
        }
        p.fail(t);
      });
      return p.future();
    }
  }

  /** Must be called under the lock: enqueues the writes in call order on the connection's context. */
  private Future<Void> write(List<Buffer> frames) {
    Promise<Void> written = Promise.promise();
    context.runOnContext(v -> {
      Future<Void> last = Future.succeededFuture();
      for (Buffer frame : frames) {
        last = socket.write(frame);
      }
      last.onComplete(ar -> {
        if (ar.succeeded()) {
          written.tryComplete();
        } else {
          written.tryFail(ar.cause());
        }
      });
    });
    return written.future();
  }

  private void onData(Buffer chunk) {
    try {
      splitter.feed(chunk);
    } catch (SpopProtocolException e) {
      recordError("unusable byte stream from the agent: " + e.getMessage(), null);
      failAll(e);
      socket.close();
    }
  }

  private void onFrame(Frame f) {
    try {
      if (!f.fin() || f.abort()) {
        recordError("fragmented or aborted frame from the agent: HAProxy rejects it (status 10)", f);
        failMatching(f, new SpopProtocolException(10, "agent sent a fragmented or aborted " + f));
        return;
      }
      switch (f.type()) {
        case SpopClientCodec.TYPE_AGENT_HELLO -> onAgentHello(f);
        case SpopClientCodec.TYPE_AGENT_DISCONNECT -> onAgentDisconnect(f);
        case SpopClientCodec.TYPE_ACK -> onAck(f);
        default -> {
          recordError("unexpected frame type from the agent", f);
          failAll(new SpopProtocolException(SpopClientCodec.STATUS_INVALID_FRAME, "agent sent an unexpected " + f));
        }
      }
    } catch (RuntimeException e) {
      recordError("internal error handling a frame: " + e, f);
    }
  }

  private void failMatching(Frame f, Throwable t) {
    if (f.type() == SpopClientCodec.TYPE_ACK) {
      PendingReply<Ack> p;
      synchronized (lock) {
        p = pending.remove(new Key(f.streamId(), f.frameId()));
      }
      if (p != null) {
        p.fail(t);
        return;
      }
    } else if (f.type() == SpopClientCodec.TYPE_AGENT_HELLO) {
      PendingReply<AgentHello> p;
      synchronized (lock) {
        p = pendingHello;
        pendingHello = null;
      }
      if (p != null) {
        p.fail(t);
        return;
      }
    }
    failAll(t);
  }

  private void onAgentHello(Frame f) {
    PendingReply<AgentHello> p;
    HelloOptions sent;
    synchronized (lock) {
      p = pendingHello;
      pendingHello = null;
      sent = sentHello;
    }
    if (p == null) {
      recordError("AGENT-HELLO without a pending HAPROXY-HELLO", f);
      return;
    }
    AgentHello h;
    try {
      h = SpopClientCodec.decodeAgentHello(f);
    } catch (SpopProtocolException e) {
      recordError("malformed AGENT-HELLO: " + e.getMessage(), f);
      p.fail(e);
      return;
    }
    for (String problem : AgentReplyChecks.hello(f, h, sent)) {
      recordError(problem, f);
    }
    if (AgentReplyChecks.maxFrameSizeAccepted(h, sent)) {
      splitter.maxFrameSize(h.maxFrameSize());
    }
    agentHello = h;
    p.complete(h);
  }

  private void onAgentDisconnect(Frame f) {
    AgentDisconnect d = null;
    try {
      d = SpopClientCodec.decodeAgentDisconnect(f);
    } catch (SpopProtocolException e) {
      recordError("malformed AGENT-DISCONNECT: " + e.getMessage(), f);
    }
    for (String problem : AgentReplyChecks.disconnect(f, d)) {
      recordError(problem, f);
    }
    d = d == null ? new AgentDisconnect(-1, null) : d;
    agentDisconnect.tryComplete(d);
    failAll(new AgentDisconnectedException(d));
    socket.close(); // as HAProxy does once it has read AGENT-DISCONNECT
  }

  private void onAck(Frame f) {
    Key k = new Key(f.streamId(), f.frameId());
    PendingReply<Ack> p;
    boolean late;
    synchronized (lock) {
      p = pending.remove(k);
      late = p == null && timedOut.remove(k);
    }
    if (p == null) {
      if (late) {
        recordError("late ACK: its NOTIFY already timed out", f);
        return;
      }
      recordError("ACK with ids of no NOTIFY in flight (status 12)", f);
      failAll(new SpopProtocolException(12, "agent sent an ACK with unknown stream-id " + f.streamId()
          + " frame-id " + f.frameId()));
      return;
    }
    try {
      p.complete(SpopClientCodec.decodeAck(f));
    } catch (SpopProtocolException e) {
      recordError("malformed ACK: " + e.getMessage(), f);
      p.fail(e);
    }
  }

  private void onClose() {
    synchronized (lock) {
      closedFlag = true;
    }
    failAll(closedException());
    agentDisconnect.tryFail(new IllegalStateException("connection closed without AGENT-DISCONNECT"));
    closed.tryComplete();
    netClient.close();
  }

  private void failAll(Throwable t) {
    List<PendingReply<?>> victims = new ArrayList<>();
    synchronized (lock) {
      victims.addAll(pending.values());
      pending.clear();
      if (pendingHello != null) {
        victims.add(pendingHello);
        pendingHello = null;
      }
    }
    for (PendingReply<?> p : victims) {
      p.fail(t);
    }
  }

  private void recordError(String description, Frame frame) {
    errors.add(new ProtocolError(description, frame));
  }

  private static IllegalStateException closedException() {
    return new IllegalStateException("SPOP connection closed");
  }
}
