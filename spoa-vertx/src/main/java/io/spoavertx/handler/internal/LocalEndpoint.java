package io.spoavertx.handler.internal;

import io.spoavertx.handler.Actions;
import io.spoavertx.handler.MessageSpec;
import io.spoavertx.handler.SpoeHandler;
import io.spoavertx.handler.SyncSpoeHandler;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.internal.ContextInternal;

/**
 * One SPOE handler registered in this JVM and the context it runs on (its verticle's). The agent
 * calls it directly: on the handler's own event loop within the read ({@link #callHere}), from
 * any other thread as one task per batch on its context ({@link #deliver}). Internal.
 */
public final class LocalEndpoint implements Handler<LocalRequest> {

  private final String address;
  private final Context context;
  private final SpoeHandler handler;
  /** What the handler declared it expects, or null (registered without a declaration). */
  private final MessageSpec spec;
  /** The event loop's thread of an event-loop context, once known; null for worker and virtual-thread ones. */
  private volatile Thread eventLoop;
  volatile boolean removed;

  LocalEndpoint(String address, Context context, SpoeHandler handler, MessageSpec spec) {
    this.address = address;
    this.context = context;
    this.handler = handler;
    this.spec = spec;
  }

  void learnThread() {
    if (context.isEventLoopContext() && Context.isOnEventLoopThread() && io.vertx.core.Vertx.currentContext() == context) {
      eventLoop = Thread.currentThread();
    }
  }

  public String address() {
    return address;
  }

  /**
   * The handler's declaration.
   *
   * @return the declaration, or null when the handler was registered without one
   */
  public MessageSpec spec() {
    return spec;
  }

  /** The thread of its event loop, or null (a worker or virtual-thread handler, or not known yet). */
  public Thread eventLoop() {
    return eventLoop;
  }

  /**
   * Calls the handler now, on this thread, with its own context current: only from the handler's
   * event loop ({@code eventLoop() == Thread.currentThread()}). No task, no wakeup.
   */
  public void callHere(LocalRequest request) {
    ((ContextInternal) context).emit(request, this);
  }

  /** Hands the requests to the handler as one task on its context (another thread). */
  public void deliver(LocalBatch batch) {
    context.runOnContext(v -> {
      for (int i = 0, n = batch.count(); i < n; i++) {
        handle(batch.get(i));
      }
    });
  }

  /** Runs the handler on {@code request} and completes it: the one place local handlers are called. */
  @Override
  public void handle(LocalRequest request) {
    call(handler, request);
  }

  /** Runs {@code handler} on {@code request} on the calling thread and completes the request with its answer. */
  public static void call(SpoeHandler handler, LocalRequest request) {
    if (handler instanceof SyncSpoeHandler) {
      Actions actions = request.actions(); // lent by the agent: nothing allocated per message
      try {
        ((SyncSpoeHandler) handler).sync().handle(request.message(), actions);
      } catch (Throwable t) {
        request.fail(t);
        return;
      }
      request.complete(actions);
      return;
    }
    Future<Actions> result;
    try {
      result = handler.handle(request.message());
    } catch (Throwable t) {
      request.fail(t);
      return;
    }
    if (result == null) {
      request.fail(new NullPointerException("handler returned a null future"));
    } else if (result.isComplete()) {
      answer(request, result); // the usual case: no completion handler to allocate and dispatch
    } else {
      result.onComplete(ar -> answer(request, ar));
    }
  }

  private static void answer(LocalRequest request, AsyncResult<Actions> ar) {
    if (ar.succeeded()) {
      Actions actions = ar.result();
      request.complete(actions == null ? Actions.none() : actions.freeze());
    } else {
      request.fail(ar.cause());
    }
  }

  @Override
  public String toString() {
    Thread t = eventLoop;
    return address + "@" + (t != null ? t.getName() : context.isEventLoopContext() ? "event-loop" : "worker");
  }
}
