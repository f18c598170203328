package io.spoavertx.agent;

import io.spoavertx.handler.Actions;
import io.spoavertx.handler.MessageSpec;
import io.spoavertx.handler.SpoeHandler;
import io.spoavertx.handler.SpoeMessage;
import io.spoavertx.handler.internal.EventBusCodecs;

import io.spoavertx.handler.internal.ActionsBatch;
import io.spoavertx.handler.internal.LocalEndpoint;
import io.spoavertx.handler.internal.LocalHandlers;
import io.spoavertx.handler.internal.MessageBatch;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.ContextInternal;

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

  /** The default address of a message name: {@code spoa.message.<name>}. */
  public static String address(String messageName) {
    return DEFAULT_ADDRESS_PREFIX + messageName;
  }

  /** Handles messages named {@code messageName} sent to their default address. */
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
   */
  public static MessageConsumer<SpoeMessage> registerAt(Vertx vertx, String address, SpoeHandler handler) {
    return doRegister(vertx, address, handler, null);
  }

  private static MessageConsumer<SpoeMessage> doRegister(Vertx vertx, String address, SpoeHandler handler, MessageSpec spec) {
    EventBusCodecs.register(vertx);
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(address, m -> {
      if (m.body() instanceof MessageBatch batch) {
        handleBatch(handler, m, batch);
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
    if (context instanceof ContextInternal ctx && ctx.deploymentID() != null) {
      ctx.addCloseHook(completion -> {
        registry.remove(endpoint);
        completion.succeed();
      });
    }
    @SuppressWarnings("unchecked")
    MessageConsumer<SpoeMessage> typed = (MessageConsumer<SpoeMessage>) (MessageConsumer<?>) consumer;
    return new UnregisteringConsumer(typed, () -> registry.remove(endpoint));
  }

  /** The messages of a batch from the agent, each to the handler; one reply with all the answers. */
  private static void handleBatch(SpoeHandler handler, Message<Object> m, MessageBatch batch) {
    SpoeMessage[] messages;
    try {
      messages = batch.messages();
    } catch (RuntimeException e) {
      m.fail(HANDLER_FAILED, "malformed message batch: " + e.getMessage());
      return;
    }
    int n = messages.length;
    Actions[] actions = new Actions[n];
    String[] failures = new String[n];
    // answers may come from other threads: each writes its slot, then counts down; the last replies
    AtomicInteger remaining = new AtomicInteger(n);
    Runnable done = () -> m.reply(new ActionsBatch(actions, failures));
    if (n == 0) {
      done.run();
      return;
    }
    for (int i = 0; i < n; i++) {
      int k = i;
      Future<Actions> result;
      try {
        result = handler.handle(messages[i]);
      } catch (Throwable t) {
        result = Future.failedFuture(t);
      }
      if (result == null) {
        result = Future.failedFuture(new NullPointerException("handler returned a null future"));
      }
      Handler<AsyncResult<Actions>> record = ar -> {
        if (ar.succeeded()) {
          actions[k] = ar.result() == null ? Actions.none() : ar.result().freeze();
        } else {
          failures[k] = String.valueOf(ar.cause());
        }
        if (remaining.decrementAndGet() == 0) {
          done.run();
        }
      };
      if (result.isComplete()) {
        record.handle(result);
      } else {
        result.onComplete(record);
      }
    }
  }

  private static void handle(SpoeHandler handler, Message<SpoeMessage> m) {
    Future<Actions> result;
    try {
      result = handler.handle(m.body());
    } catch (Throwable t) {
      m.fail(HANDLER_FAILED, String.valueOf(t));
      return;
    }
    if (result == null) {
      m.fail(HANDLER_FAILED, "handler returned a null future");
      return;
    }
    if (result.isComplete()) {
      answer(m, result);
    } else {
      result.onComplete(ar -> answer(m, ar));
    }
  }

  private static void answer(Message<SpoeMessage> m, AsyncResult<Actions> ar) {
    if (ar.succeeded()) {
      Actions actions = ar.result();
      m.reply(actions == null ? Actions.none() : actions.freeze());
    } else {
      m.fail(HANDLER_FAILED, String.valueOf(ar.cause()));
    }
  }
}
