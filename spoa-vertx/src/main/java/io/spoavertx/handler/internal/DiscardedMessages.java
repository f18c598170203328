package io.spoavertx.handler.internal;

import io.spoavertx.agent.impl.Log;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.impl.MessageConsumerImpl;

/**
 * Messages the event bus handed to a handler just before it was unregistered (its verticle
 * undeployed, e.g. by a reload) are answered by it anyway. Vert.x drops what is still queued for a
 * consumer when it unregisters, and a message the agent sent without a reply address would then
 * wait for its deadline and go out without actions. Internal.
 *
 * <p>Uses {@code MessageConsumerImpl#discardHandler}, an internal Vert.x hook; with another
 * implementation nothing changes (Vert.x discards those messages, as before).
 */
public final class DiscardedMessages {

  private static final Log LOG = Log.get("io.spoavertx.handler");

  private DiscardedMessages() {
  }

  /** Has {@code consumer} pass what Vert.x discards after unregistration to {@code handler}. */
  public static void answerAfterUnregister(MessageConsumer<Object> consumer, Handler<Message<Object>> handler) {
    if (consumer instanceof MessageConsumerImpl<Object> impl) {
      impl.discardHandler(m -> {
        if (!consumer.isRegistered()) {
          handler.handle(m); // on the consumer's context, as it would have been delivered
        } else {
          // the consumer's buffer is full (Vert.x's own overload protection): dropped, as Vert.x does
          LOG.warn("discarding a message at '" + consumer.address() + "': the consumer's buffer is full");
        }
      });
    }
  }
}
