package io.spoavertx.agent;

import io.spoavertx.handler.Actions;
import io.spoavertx.handler.BadArgumentException;
import io.spoavertx.handler.MessageSpec;
import io.spoavertx.handler.SpoeHandler;
import io.spoavertx.handler.SpoeMessage;
import io.spoavertx.handler.internal.EventBusCodecs;

import io.spoavertx.handler.internal.ActionsBatch;
import io.spoavertx.handler.internal.HandlerInvoker;
import io.spoavertx.handler.internal.LocalEndpoint;
import io.spoavertx.handler.internal.LocalRequest;
import io.spoavertx.handler.internal.MessageContexts;
import io.spoavertx.handler.internal.LocalHandlers;
import io.spoavertx.handler.internal.VertxInternals;
import io.spoavertx.handler.internal.MessageBatch;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Registers {@link SpoeHandler}s on the event bus, where the agent sends each message by default.
 * Call it from a handler verticle's {@code start()}; the consumer goes away with the verticle.
 * The same code works in one JVM and on any node of a cluster.
 */
public final class SpoeHandlers {

  /** Default event-bus address prefix; the agent's config can route a message elsewhere. */
  public static final String DEFAULT_ADDRESS_PREFIX = "spoa.message.";

  /** Failure code a handler's consumer replies with when the handler throws or fails. */
  public static final int HANDLER_FAILED = 500;

  private SpoeHandlers() {
  }

  /**
   * The default address of a message name.
   *
   * @param messageName the SPOE message name
   * @return {@code spoa.message.<name>}
   */
  public static String address(String messageName) {
    return DEFAULT_ADDRESS_PREFIX + messageName;
  }

  /**
   * Handles messages named {@code messageName} sent to their default address.
   *
   * @param vertx       the Vert.x instance of the agent (or of a cluster node)
   * @param messageName the SPOE message name
   * @param handler     the handler
   * @return the consumer; unregistering it forgets the handler
   */
  public static MessageConsumer<SpoeMessage> register(Vertx vertx, String messageName, SpoeHandler handler) {
    return registerAt(vertx, address(messageName), handler);
  }

  /**
   * Handles the message {@code spec} declares, at its default address {@code spoa.message.<name>},
   * and keeps the declaration where the agent and {@code haproxy-config} read it
   * ({@link #declaredMessages}) for as long as the handler is registered.
   *
   * @param vertx the Vert.x instance of the agent (or of a cluster node)
   * @param spec what the handler expects and sets
   * @param handler the handler
   * @return the consumer; unregistering it forgets the handler and its declaration
   */
  public static MessageConsumer<SpoeMessage> register(Vertx vertx, MessageSpec spec, SpoeHandler handler) {
    return registerAt(vertx, address(spec.name()), spec, handler);
  }

  /**
   * As {@link #register(Vertx, MessageSpec, SpoeHandler)}, at {@code address} (a route configured
   * in the agent: {@code dispatch.routes.<name>.address}).
   *
   * @param vertx the Vert.x instance of the agent (or of a cluster node)
   * @param address the event-bus address the agent sends the message to
   * @param spec what the handler expects and sets
   * @param handler the handler
   * @return the consumer; unregistering it forgets the handler and its declaration
   */
  public static MessageConsumer<SpoeMessage> registerAt(Vertx vertx, String address, MessageSpec spec, SpoeHandler handler) {
    return doRegister(vertx, address, handler, Objects.requireNonNull(spec, "spec"));
  }

  /**
   * The declarations of the handlers registered in {@code vertx} now (this JVM only), each once,
   * sorted by message name. Handlers registered without a {@link MessageSpec} declare nothing.
   *
   * @param vertx a Vert.x instance
   * @return the declarations
   */
  public static List<MessageSpec> declaredMessages(Vertx vertx) {
    return LocalHandlers.of(vertx).declaredSpecs();
  }

  /**
   * Handles messages sent to {@code address} (a route configured in the agent). Called from a
   * verticle's {@code start()}, the handler runs on that verticle's context: the agent in this JVM
   * hands it the messages read on the same event loop directly, with no hop between threads
   * (deploy one instance per event loop: {@link io.spoavertx.agent.SpoaAgent#deployOnEveryEventLoop}),
   * and those read elsewhere as one task per read; other cluster nodes reach it over the event bus.
   *
   * @param vertx   the Vert.x instance of the agent (or of a cluster node)
   * @param address the event-bus address the agent sends the message to
   * @param handler the handler
   * @return the consumer; unregistering it forgets the handler
   */
  public static MessageConsumer<SpoeMessage> registerAt(Vertx vertx, String address, SpoeHandler handler) {
    return doRegister(vertx, address, handler, null);
  }

  private static MessageConsumer<SpoeMessage> doRegister(Vertx vertx, String address, SpoeHandler handler, MessageSpec spec) {
    EventBusCodecs.register(vertx);
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(address, m -> {
      if (m.body() instanceof MessageBatch batch) {
        handleBatch(vertx, handler, m, batch);
      } else {
        @SuppressWarnings("unchecked")
        Message<SpoeMessage> remote = (Message<SpoeMessage>) (Message<?>) m;
        handle(handler, remote);
      }
    });
    // Known to the agents of this JVM until unregistered or its verticle is undeployed.
    Context context = vertx.getOrCreateContext();
    LocalHandlers registry = LocalHandlers.of(vertx);
    LocalEndpoint endpoint = registry.add(address, context, handler, spec);
    endpoint.consumer(consumer);
    VertxInternals.onUndeploy(context, () -> registry.remove(endpoint));
    @SuppressWarnings("unchecked")
    MessageConsumer<SpoeMessage> typed = (MessageConsumer<SpoeMessage>) (MessageConsumer<?>) consumer;
    return new UnregisteringConsumer(typed, () -> registry.remove(endpoint));
  }

  /**
   * The messages of a batch from the agent, each to the handler, with its context (cancelled by a
   * timer of this Vert.x at its deadline, if the handler asks); one reply with all the answers.
   */
  private static void handleBatch(Vertx vertx, SpoeHandler handler, Message<Object> m, MessageBatch batch) {
    SpoeMessage[] messages;
    try {
      messages = batch.messages(vertx);
    } catch (RuntimeException e) {
      m.fail(HANDLER_FAILED, "malformed message batch: " + e.getMessage());
      return;
    }
    int n = messages.length;
    Actions[] actions = new Actions[n];
    String[] failures = new String[n];
    boolean[] badArgs = new boolean[n];
    // answers may come from other threads: each writes its slot, then counts down; the last replies
    AtomicInteger remaining = new AtomicInteger(n);
    if (n == 0) {
      m.reply(new ActionsBatch(actions, failures));
      return;
    }
    for (int i = 0; i < n; i++) {
      int k = i;
      HandlerInvoker.invoke(handler, new Reply(messages[i]) {
        @Override
        void answer(Actions a, Throwable failure) {
          if (failure == null) {
            actions[k] = a;
          } else if (failure instanceof BadArgumentException) {
            failures[k] = failure.getMessage();
            badArgs[k] = true;
          } else {
            failures[k] = String.valueOf(failure);
          }
          if (remaining.decrementAndGet() == 0) {
            m.reply(new ActionsBatch(actions, failures, badArgs));
          }
        }
      });
    }
  }

  /** One message from another node, answered with its actions or a failure. */
  private static void handle(SpoeHandler handler, Message<SpoeMessage> m) {
    HandlerInvoker.invoke(handler, new Reply(m.body()) {
      @Override
      void answer(Actions actions, Throwable failure) {
        if (failure == null) {
          m.reply(actions);
        } else {
          m.fail(HANDLER_FAILED, String.valueOf(failure));
        }
      }
    });
  }

  /** A message that came over the event bus: its answer goes back in the reply. */
  private abstract static class Reply extends LocalRequest {
    Reply(SpoeMessage message) {
      super(message);
    }

    abstract void answer(Actions actions, Throwable failure);

    @Override
    public Actions actions() {
      return Actions.create();
    }

    @Override
    public void complete(Actions actions) {
      MessageContexts.finish(message().context());
      answer(actions.freeze(), null);
    }

    @Override
    public void fail(Throwable cause) {
      MessageContexts.finish(message().context());
      answer(null, cause);
    }
  }
}
