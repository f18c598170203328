package io.spoavertx.agent;

import io.spoavertx.handler.SpoeMessage;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.streams.ReadStream;

import java.util.function.Function;

/** The consumer {@link SpoeHandlers} returns: unregistering it also forgets the local handler. */
final class UnregisteringConsumer implements MessageConsumer<SpoeMessage> {

  private final MessageConsumer<SpoeMessage> delegate;
  private final Runnable onUnregister;
  private boolean unregistered;

  UnregisteringConsumer(MessageConsumer<SpoeMessage> delegate, Runnable onUnregister) {
    this.delegate = delegate;
    this.onUnregister = onUnregister;
  }

  @Override
  public Future<Void> unregister() {
    synchronized (this) {
      if (!unregistered) {
        unregistered = true;
        onUnregister.run();
      }
    }
    return delegate.unregister();
  }

  @Override
  public MessageConsumer<SpoeMessage> exceptionHandler(Handler<Throwable> handler) {
    delegate.exceptionHandler(handler);
    return this;
  }

  @Override
  public MessageConsumer<SpoeMessage> handler(Handler<Message<SpoeMessage>> handler) {
    throw new UnsupportedOperationException("the SPOE handler is set by SpoeHandlers.register");
  }

  // not @Override: MessageConsumer has it from Vert.x 5.1 on, and the library builds with 5.0 too
  public MessageConsumer<SpoeMessage> processor(Function<Message<SpoeMessage>, Future<?>> processor) {
    throw new UnsupportedOperationException("the SPOE handler is set by SpoeHandlers.register");
  }

  @Override
  public MessageConsumer<SpoeMessage> pause() {
    delegate.pause();
    return this;
  }

  @Override
  public MessageConsumer<SpoeMessage> resume() {
    delegate.resume();
    return this;
  }

  @Override
  public MessageConsumer<SpoeMessage> fetch(long amount) {
    delegate.fetch(amount);
    return this;
  }

  @Override
  public MessageConsumer<SpoeMessage> endHandler(Handler<Void> endHandler) {
    delegate.endHandler(endHandler);
    return this;
  }

  @Override
  public ReadStream<SpoeMessage> bodyStream() {
    return delegate.bodyStream();
  }

  @Override
  public boolean isRegistered() {
    return delegate.isRegistered();
  }

  @Override
  public String address() {
    return delegate.address();
  }

  @Override
  public Future<Void> completion() {
    return delegate.completion();
  }
}
