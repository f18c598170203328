package io.spoavertx.handler.internal;

import io.spoavertx.handler.MessageSpec;
import io.spoavertx.handler.SpoeHandler;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.MessageConsumer;

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
  private volatile MessageConsumer<?> consumer;

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
    VertxInternals.runOn(context, eventLoop, request, this);
  }

  /**
   * Whether it still takes messages: not removed, and its event-bus consumer still registered (how
   * an undeployed verticle's handler is noticed where {@link VertxInternals#onUndeploy} cannot run).
   */
  public boolean live() {
    MessageConsumer<?> c = consumer;
    return !removed && (c == null || c.isRegistered());
  }

  /** The event-bus consumer registered with it, checked by {@link #live()}. */
  public void consumer(MessageConsumer<?> consumer) {
    this.consumer = consumer;
  }

  /** Hands the requests to the handler as one task on its context (another thread). */
  public void deliver(LocalBatch batch) {
    context.runOnContext(v -> {
      for (int i = 0, n = batch.count(); i < n; i++) {
        handle(batch.get(i));
      }
    });
  }

  /** Runs the handler on {@code request} and completes it ({@link HandlerInvoker}). */
  @Override
  public void handle(LocalRequest request) {
    HandlerInvoker.invoke(handler, request);
  }

  @Override
  public String toString() {
    Thread t = eventLoop;
    return address + "@" + (t != null ? t.getName() : context.isEventLoopContext() ? "event-loop" : "worker");
  }
}
