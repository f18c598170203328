package io.spoavertx.handler.internal;

import io.spoavertx.handler.MessageContext;
import io.spoavertx.handler.SpoeMessage;
import io.spoavertx.logging.Log;
import io.spoavertx.logging.RateLimitedLog;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Creates, fills and cancels {@link MessageContext}s: what the agent does for the messages it
 * reads, and a handler node for the messages it receives, and what handlers must not do. As for
 * {@code MessageViews}, the context's constructor and setters are package-private, reached from
 * here through method handles. Internal.
 */
public final class MessageContexts {

  private static final MethodHandle NEW;
  private static final MethodHandle INIT;
  private static final MethodHandle CANCEL;
  private static final MethodHandle FINISH;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(MessageContext.class, MethodHandles.lookup());
      NEW = lookup.findConstructor(MessageContext.class, MethodType.methodType(void.class));
      INIT = lookup.findVirtual(MessageContext.class, "init", MethodType.methodType(void.class, SpoeMessage.class,
          String.class, long.class, long.class, String.class, SocketAddress.class, long.class, SpoeMessage[].class,
          int.class, int.class, Vertx.class));
      CANCEL = lookup.findVirtual(MessageContext.class, "cancel", MethodType.methodType(void.class));
      FINISH = lookup.findVirtual(MessageContext.class, "finish", MethodType.methodType(void.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private MessageContexts() {
  }

  /** A new context, to {@link #init} (the agent keeps one per message slot and reuses it). */
  public static MessageContext create() {
    try {
      return (MessageContext) NEW.invokeExact();
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /**
   * Makes {@code context} describe message {@code index} of the NOTIFY {@code streamId}/{@code
   * frameId}, whose messages are the first {@code count} of {@code messages}, and attaches it to
   * {@code view} (that message). Its deadline is {@code deadlineNanos} in {@link System#nanoTime()}
   * terms. {@code timers}: null in the agent, which cancels the context itself; on a node that only
   * received the message, the Vert.x instance where a timer cancels it at the deadline.
   */
  public static void init(MessageContext context, SpoeMessage view, String name, long streamId, long frameId,
                          String engineId, SocketAddress peer, long deadlineNanos, SpoeMessage[] messages, int count,
                          int index, Vertx timers) {
    try {
      INIT.invokeExact(context, view, name, streamId, frameId, engineId, peer, deadlineNanos, messages, count, index,
          timers);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /**
   * The agent no longer waits for the message: fires its cancellation. Call it after the agent's own
   * bookkeeping: a handler's callback may answer the message from here.
   */
  public static void cancel(MessageContext context) {
    try {
      CANCEL.invokeExact(context);
    } catch (Throwable t) {
      // a handler's callback that threw: the agent's sweep or close goes on
      CALLBACK_LOG.warn("a cancellation callback of message '" + context + "' failed: " + t);
    }
  }

  private static final RateLimitedLog CALLBACK_LOG = new RateLimitedLog(Log.get("io.spoavertx.handler"), 1000);

  /** The message is answered: a deadline timer set on a handler node for its cancellation goes. */
  public static void finish(MessageContext context) {
    try {
      FINISH.invokeExact(context);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }
}
