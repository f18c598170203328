package io.spoavertx.handler;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Where a message comes from and how long its answer is awaited: {@link SpoeMessage#context()}.
 * It gives the NOTIFY frame's ids, HAProxy's engine id and address, the other messages of the
 * same NOTIFY, the time left to the message's deadline ({@code dispatch.deadlineMs} or its
 * route's), and a cancellation signal that fires when the agent stops waiting for the answer.
 *
 * <pre>{@code
 * SpoeHandler handler = m -> {
 *   MessageContext ctx = m.context();
 *   ScoreCall call = client.score(m.requireAddress("ip"), ctx.timeLeftMillis()); // your client
 *   ctx.cancelled().onSuccess(v -> call.abort());   // the agent answered without us: stop
 *   return call.result().map(s -> Actions.create().setVar(Scope.TXN, "score", s));
 * };
 * }</pre>
 *
 * <p><b>Cost.</b> The agent keeps one context per message slot of a NOTIFY and reuses it, as it
 * reuses the message view: reading the ids, the engine id, the peer, the time left or a sibling
 * allocates nothing. Only {@link #cancelled()} allocates (a promise, once per message that asks).
 *
 * <p><b>Lifetime.</b> Like its message, a context is valid until the handler has answered: the
 * agent then reuses it for a later message. A handler must not read it after answering, except
 * that a {@link #cancelled()} future it obtained before is safe to keep: it is never completed for
 * a later message, and simply never completes once the handler has answered in time. Once the
 * message is cancelled the context is not reused (the handler may still be running), but its
 * message and siblings are no longer valid.
 *
 * <p><b>Where the handler runs.</b> In the agent's JVM (a direct handler, a handler verticle)
 * everything is known. A handler on another cluster node receives the ids, the engine id, the
 * peer and the time left with the message; its cancellation fires from a timer of its own at the
 * deadline (measured from when the message arrived, so transit time is not deducted), but not when
 * HAProxy's connection closes, which that node does not see; and of the other messages of the
 * NOTIFY it has only its own ({@link #message(int)} is null for the others). A message built or
 * decoded by hand ({@link SpoeMessage#builder}, {@link SpoeMessage#decode}) has a context with no
 * ids (-1), no engine id, no peer, no deadline, and only itself as sibling.
 *
 * <p><b>Threads.</b> The agent writes a context before it calls the handler; the handler and any
 * thread it hands the message to may read it. Cancellation is thread-safe.
 */
public final class MessageContext {

  private static final VarHandle CANCEL;
  /** The state of {@link #cancel} once cancelled. */
  private static final Object CANCELLED = new Object();
  private static final SpoeMessage[] NO_MESSAGES = new SpoeMessage[0];

  static {
    try {
      CANCEL = MethodHandles.lookup().findVarHandle(MessageContext.class, "cancel", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /* Written by the agent before the handler is called (see MessageContexts), read by the handler. */
  String messageName;
  private long streamId = -1;
  private long frameId = -1;
  private String engineId;
  private SocketAddress peer;
  /** The deadline in {@link System#nanoTime()} terms; meaningful only if {@link #hasDeadline}. */
  private long deadlineNanos;
  private boolean hasDeadline;
  /** The messages of the NOTIFY (the agent's slot array: only the first {@link #count} are this NOTIFY's). */
  private SpoeMessage[] messages = NO_MESSAGES;
  private int count;
  private int index;
  /** Remote contexts: where the deadline timer is set when a handler asks for {@link #cancelled()}. */
  private Vertx timers;
  private volatile long timerId = -1;
  /** null, a {@link Waiter} (someone asked for {@link #cancelled()}), or {@link #CANCELLED}. */
  @SuppressWarnings("unused")
  private volatile Object cancel;

  MessageContext() {
  }

  /**
   * For the agent (through {@code MessageContexts}): makes this context describe message
   * {@code index} of a NOTIFY, shown by {@code view}, and attaches it to the view. Clears a
   * cancellation registered for the message it described before (which was answered).
   */
  void init(SpoeMessage view, String name, long streamId, long frameId, String engineId, SocketAddress peer,
            long deadlineNanos, SpoeMessage[] messages, int count, int index, Vertx timers) {
    this.messageName = name;
    this.streamId = streamId;
    this.frameId = frameId;
    this.engineId = engineId;
    this.peer = peer;
    this.deadlineNanos = deadlineNanos;
    this.hasDeadline = true;
    this.messages = messages;
    this.count = count;
    this.index = index;
    this.timers = timers;
    if (timerId != -1) {
      timerId = -1;
    }
    if (cancel != null) {
      cancel = null;
    }
    view.context(this);
  }

  /** A context for a message that did not come from the agent: only itself, no ids, no deadline. */
  static MessageContext detached(SpoeMessage message, String name) {
    MessageContext c = new MessageContext();
    c.messageName = name;
    c.messages = new SpoeMessage[] {message};
    c.count = 1;
    return c;
  }

  /**
   * The stream id of the NOTIFY frame that carried the message (HAProxy's stream, one per
   * client transaction).
   *
   * @return the stream id, or -1 for a message that did not come from HAProxy
   */
  public long streamId() {
    return streamId;
  }

  /**
   * The frame id of the NOTIFY frame that carried the message (unique within its stream).
   *
   * @return the frame id, or -1 for a message that did not come from HAProxy
   */
  public long frameId() {
    return frameId;
  }

  /**
   * The engine id HAProxy sent in its HAPROXY-HELLO: one per HAProxy process (and SPOE engine),
   * the key to match the agent's logs with HAProxy's.
   *
   * @return the engine id, or null when HAProxy sent none or the message did not come from HAProxy
   */
  public String engineId() {
    return engineId;
  }

  /**
   * The address of the HAProxy that sent the message (the remote end of its SPOP connection). This
   * is HAProxy's address, not the client's: send the client's as an argument ({@code src}).
   *
   * @return the address, or null when unknown
   */
  public SocketAddress peer() {
    return peer;
  }

  /**
   * Nanoseconds left until the message's deadline, after which the agent answers HAProxy without
   * this message's actions.
   *
   * @return the time left, zero or negative once the deadline has passed; {@link Long#MAX_VALUE}
   *     for a message without a deadline
   */
  public long timeLeftNanos() {
    return hasDeadline ? deadlineNanos - System.nanoTime() : Long.MAX_VALUE;
  }

  /**
   * {@link #timeLeftNanos()} in whole milliseconds, never negative: what to give a client as its
   * timeout.
   *
   * @return the milliseconds left, 0 once the deadline has passed; {@link Long#MAX_VALUE} for a
   *     message without a deadline
   */
  public long timeLeftMillis() {
    if (!hasDeadline) {
      return Long.MAX_VALUE;
    }
    long left = deadlineNanos - System.nanoTime();
    return left <= 0 ? 0 : left / 1_000_000;
  }

  /**
   * Whether the agent no longer waits for this message's answer: its deadline has passed, or the
   * connection from HAProxy closed. An answer given now is dropped.
   *
   * @return true once cancelled
   */
  public boolean isCancelled() {
    return cancel == CANCELLED || hasDeadline && deadlineNanos - System.nanoTime() <= 0;
  }

  /**
   * A future completed when the agent stops waiting for this message's answer: when its deadline
   * passes (when the agent's deadline timer runs, within about a millisecond) or when the
   * connection from HAProxy closes, whichever comes first; never if the handler answers in time.
   * Its callbacks run on the context of the thread that first called this method (the handler's
   * verticle, or the connection's event loop for a direct handler), or on the agent's event loop if
   * that thread had none. Allocates a promise on the first call for a message; the same future
   * afterwards.
   *
   * @return the future, already completed if the message is cancelled
   */
  public Future<Void> cancelled() {
    while (true) {
      Object state = cancel;
      if (state == CANCELLED) {
        return Future.succeededFuture();
      }
      if (state instanceof Waiter) {
        return ((Waiter) state).promise.future();
      }
      Waiter w = new Waiter(Vertx.currentContext());
      if (CANCEL.compareAndSet(this, null, w)) {
        armTimer();
        return w.promise.future();
      }
    }
  }

  /**
   * How many messages the NOTIFY carried, this one included.
   *
   * @return the number of messages, at least 1
   */
  public int messageCount() {
    return count;
  }

  /**
   * The position of this message in its NOTIFY.
   *
   * @return the index, from 0 to {@link #messageCount()} - 1
   */
  public int index() {
    return index;
  }

  /**
   * Message {@code i} of the same NOTIFY (a sibling, or this message for {@link #index()}), valid
   * as long as this message (see the class comment).
   *
   * @param i the index, from 0 to {@link #messageCount()} - 1
   * @return the message, or null when it is not available here (a handler on another cluster node
   *     has only its own message)
   * @throws IndexOutOfBoundsException if {@code i} is out of range
   */
  public SpoeMessage message(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException("message " + i + " of " + count);
    }
    return i < messages.length ? messages[i] : null;
  }

  /**
   * The first message of the same NOTIFY named {@code name} (this one if it has that name).
   *
   * @param name a message name
   * @return the message, or null if there is none of that name here
   */
  public SpoeMessage message(String name) {
    for (int i = 0, n = Math.min(count, messages.length); i < n; i++) {
      SpoeMessage m = messages[i];
      if (m != null && m.name().equals(name)) {
        return m;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "MessageContext{message " + messageName + " (" + index + " of " + count + "), stream " + streamId
        + ", frame " + frameId + ", engine " + engineId + ", peer " + peer
        + (hasDeadline ? ", " + timeLeftMillis() + " ms left" : "") + (isCancelled() ? ", cancelled" : "") + "}";
  }

  /**
   * For the agent: the message is cancelled (deadline passed, connection closed). Completes the
   * future of {@link #cancelled()} if it was asked for; idempotent. Call it once the agent's own
   * state is updated: a callback run here may answer the message.
   */
  void cancel() {
    Object state = CANCEL.getAndSet(this, CANCELLED);
    if (state instanceof Waiter) {
      ((Waiter) state).fire();
    }
  }

  /** For the agent: the message is answered; a deadline timer set for {@link #cancelled()} goes. */
  void finish() {
    long id = timerId;
    Vertx v = timers;
    if (id != -1 && v != null) {
      timerId = -1;
      v.cancelTimer(id);
    }
  }

  /** On a node that only received the message: its own timer at the deadline, set when first asked. */
  private void armTimer() {
    Vertx v = timers;
    if (v == null || !hasDeadline) {
      return;
    }
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      cancel();
      return;
    }
    timerId = v.setTimer(Math.max(1, (left + 999_999) / 1_000_000), t -> cancel());
  }

  /** A cancellation asked for: the promise, and the context its callbacks run on. */
  private static final class Waiter {
    final Promise<Void> promise = Promise.promise();
    final Context context;

    Waiter(Context context) {
      this.context = context;
    }

    void fire() {
      if (context == null || context == Vertx.currentContext()) {
        promise.tryComplete();
      } else {
        context.runOnContext(v -> promise.tryComplete());
      }
    }
  }
}
