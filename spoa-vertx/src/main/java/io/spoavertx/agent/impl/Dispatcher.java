package io.spoavertx.agent.impl;

import io.spoavertx.metrics.AgentStats.Hop;
import io.spoavertx.metrics.AgentStats.Outcome;
import io.spoavertx.handler.Actions;
import io.spoavertx.handler.BadArgumentException;
import io.spoavertx.handler.MessageSpec;
import io.spoavertx.handler.SpoeMessage;
import io.spoavertx.handler.internal.ActionsBatch;
import io.spoavertx.handler.internal.HandlerInvoker;
import io.spoavertx.handler.internal.LocalBatch;
import io.spoavertx.handler.internal.LocalEndpoint;
import io.spoavertx.handler.internal.LocalHandlers;
import io.spoavertx.handler.internal.LocalRequest;
import io.spoavertx.handler.internal.MessageBatch;
import io.spoavertx.handler.internal.VertxInternals;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Takes each message of a connection's NOTIFYs to its handler, preferring the event loop that read
 * it. In order of preference:
 * <ol>
 *   <li>a direct handler ({@code SpoaAgent.directHandler}): called on this event loop;</li>
 *   <li>a handler verticle instance registered on this event loop: called at once, on this thread,
 *       with its own context current (no task, no wakeup);</li>
 *   <li>other handler instances in this JVM (another event loop, a worker, a virtual thread): the
 *       read's messages for the address go as one task per instance, spread over the instances;</li>
 *   <li>the event bus: a request per address per read, to another cluster node (or "no handler").</li>
 * </ol>
 * Messages that leave the event loop are counted by kind ({@link Hop}). Answers come back to the
 * connection, on its event loop, through {@link Answers}. Confined to the connection's event loop.
 */
final class Dispatcher {

  /** Bounds of one batch of messages to a handler address outside this JVM. */
  static final int MAX_BATCH_MESSAGES = 256;
  static final int MAX_BATCH_BYTES = 256 * 1024;

  /** Where a message's result goes: the connection, which assembles the ACK. */
  interface Answers {
    /**
     * Records one message's result; false when it came too late (deadline, closed, or the NOTIFY
     * of {@code gen} is finished and the object reused).
     */
    boolean complete(PendingNotify pending, int gen, int index, Actions actions, Outcome outcome);
  }

  private final Context context;
  /** The connection's event-loop thread. */
  private final Thread eventLoop = Thread.currentThread();
  private final AgentContext agent;
  private final Answers answers;
  /** Messages for handlers in this JVM on other threads, by address, gathered during a read; their routes in order. */
  private final Map<String, LocalBatch> elsewhere = new HashMap<>(4);
  private final ArrayList<Route> elsewhereRoutes = new ArrayList<>(4);
  /** Batches of messages for handlers outside this JVM, by address, gathered during a read. */
  private final Map<String, Remote> remotes = new HashMap<>(4);
  private boolean batchesScheduled;

  Dispatcher(Context context, AgentContext agent, Answers answers) {
    this.context = context;
    this.agent = agent;
    this.answers = answers;
  }

  /**
   * Hands message {@code index} of {@code pending} to its handler. Within a read ({@code inRead}),
   * messages that leave this event loop wait for {@link #sendBatches} at the end of the read;
   * outside one, a task sends them after this burst of dispatch.
   */
  void dispatch(PendingNotify pending, int gen, int index, Route route, SpoeMessage message, boolean inRead) {
    if (route.direct != null) {
      checkDrift(route, message);
      HandlerInvoker.invoke(route.direct, envelope(pending, gen, index, message));
      return;
    }
    if (agent.localFirst) {
      resolveLocal(route);
      if (route.here != null && !VertxInternals.ENABLED && !route.here.live()) {
        agent.localHandlers.remove(route.here); // undeployed: noticed here without Vert.x's close hooks
        resolveLocal(route);
      }
      if (route.here != null) {
        checkDrift(route, message);
        route.here.callHere(envelope(pending, gen, index, message));
        return;
      }
      if (route.elsewhere.length > 0) {
        checkDrift(route, message);
        LocalBatch batch = elsewhere.get(route.address);
        if (batch == null) {
          batch = new LocalBatch();
          elsewhere.put(route.address, batch);
          elsewhereRoutes.add(route);
        }
        batch.add(envelope(pending, gen, index, message));
        if (batch.count() >= MAX_BATCH_MESSAGES) {
          elsewhere.remove(route.address);
          elsewhereRoutes.remove(route);
          deliverElsewhere(route, batch);
        } else {
          scheduleBatches(inRead);
        }
        return;
      }
    }
    // Possibly to another node: gathered with the other messages for this address until the read
    // (or this burst of dispatch) ends, then sent as one request. The batch copies the bytes.
    Remote batch = remotes.get(route.address);
    if (batch == null) {
      batch = new Remote(route);
      remotes.put(route.address, batch);
    }
    batch.add(message, pending, gen, index);
    if (batch.size() >= MAX_BATCH_MESSAGES || batch.batch.byteLength() >= MAX_BATCH_BYTES) {
      remotes.remove(route.address);
      batch.send();
    } else {
      scheduleBatches(inRead);
    }
  }

  /**
   * The handler instances at the route's address, as seen from this event loop: kept on the route
   * (which belongs to this event loop's listener) until a handler is registered or goes away.
   */
  private void resolveLocal(Route route) {
    LocalHandlers registry = agent.localHandlers;
    int version = registry.version();
    if (route.localVersion == version) {
      return;
    }
    LocalEndpoint[] all = registry.endpoints(route.address);
    if (!VertxInternals.ENABLED) {
      // without Vert.x's close hooks, undeployed handlers are noticed here
      for (LocalEndpoint e : all) {
        if (!e.live()) {
          registry.remove(e);
        }
      }
      version = registry.version();
      all = registry.endpoints(route.address);
    }
    Thread self = Thread.currentThread();
    LocalEndpoint here = null;
    for (LocalEndpoint e : all) {
      if (e.eventLoop() == self) {
        here = e;
        break;
      }
    }
    route.here = here;
    route.elsewhere = all;
    route.localVersion = version;
    // instances of one handler declare the same: the first one's declaration is the handler's
    MessageSpec spec = here != null ? here.spec() : all.length > 0 ? all[0].spec() : null;
    if (spec == null) {
      route.drift = null;
    } else if (route.drift == null || route.drift.spec != spec) {
      route.drift = new DriftCheck(spec);
    }
  }

  /** Compares the message with its handler's declaration, if it has one: counted, logged once per name. */
  private void checkDrift(Route route, SpoeMessage message) {
    DriftCheck check = route.drift;
    if (check != null) {
      int kinds = check.check(message, agent.driftLog);
      if (kinds != 0) {
        agent.stats.recordDrift(route.name, kinds);
      }
    }
  }

  private Local envelope(PendingNotify pending, int gen, int index, SpoeMessage message) {
    Local local = (Local) pending.envelope(index);
    if (local == null) {
      local = new Local();
      pending.envelope(index, local);
    }
    return local.init(message, pending.actions(index), pending, gen, index);
  }

  /** The end of the read sends the batches; outside a read, a task does, after this burst. */
  private void scheduleBatches(boolean inRead) {
    if (!inRead && !batchesScheduled) {
      batchesScheduled = true;
      context.runOnContext(v -> sendBatches());
    }
  }

  /** Sends what was gathered for handlers on other threads of this JVM and on other nodes. */
  void sendBatches() {
    batchesScheduled = false;
    if (!elsewhereRoutes.isEmpty()) {
      for (int i = 0; i < elsewhereRoutes.size(); i++) {
        Route route = elsewhereRoutes.get(i);
        deliverElsewhere(route, elsewhere.get(route.address));
      }
      elsewhereRoutes.clear();
      elsewhere.clear();
    }
    if (!remotes.isEmpty()) {
      for (Remote r : remotes.values()) {
        r.send();
      }
      remotes.clear();
    }
  }

  /**
   * Hands a batch to the route's handler instances on other threads, as that many smaller batches
   * over as many instances, in turn: a busy connection still keeps every instance busy.
   */
  private void deliverElsewhere(Route route, LocalBatch batch) {
    LocalEndpoint[] endpoints = route.elsewhere;
    int n = batch.count();
    int parts = Math.min(endpoints.length, n);
    for (int p = 0; p < parts; p++) {
      LocalBatch part = batch;
      if (parts > 1) {
        part = new LocalBatch();
        for (int i = p * n / parts, to = (p + 1) * n / parts; i < to; i++) {
          part.add(batch.get(i));
        }
      }
      LocalEndpoint e = endpoints[Math.floorMod(route.next++, endpoints.length)];
      agent.stats.recordHops(e.eventLoop() != null ? Hop.CROSS_LOOP : Hop.WORKER, part.count());
      e.deliver(part);
    }
  }

  /** A request to a handler address failed (no handler there, a failure reply, a timeout). */
  private void requestFailed(PendingNotify pending, int gen, int index, Throwable cause) {
    if (cause instanceof ReplyException && ((ReplyException) cause).failureType() == ReplyFailure.NO_HANDLERS) {
      Route route = pending.gen == gen ? pending.routes[index] : null;
      if (answers.complete(pending, gen, index, Actions.none(), Outcome.NO_HANDLER)) {
        agent.handlerLog.warn("no handler for message '" + route.name + "' at address '"
            + route.address + "': answered with no actions");
      }
    } else {
      handlerFailed(pending, gen, index, cause);
    }
  }

  /** A handler failed: outcome {@code bad_args} for a {@link BadArgumentException}, else {@code error}. */
  private void handlerFailed(PendingNotify pending, int gen, int index, Throwable cause) {
    if (cause instanceof BadArgumentException) {
      badArguments(pending, gen, index, cause.getMessage());
      return;
    }
    Route route = pending.gen == gen ? pending.routes[index] : null;
    if (answers.complete(pending, gen, index, Actions.none(), Outcome.ERROR)) {
      agent.handlerLog.warn("handler of message '" + route.name + "' failed: " + cause);
    }
  }

  private void badArguments(PendingNotify pending, int gen, int index, String reason) {
    Route route = pending.gen == gen ? pending.routes[index] : null;
    if (answers.complete(pending, gen, index, Actions.none(), Outcome.BAD_ARGS)) {
      agent.badArgsLog.warn(route.name, "bad arguments, answered with no actions: " + reason);
    }
  }

  /** Messages of this connection on their way to one address outside this JVM, and their slots. */
  private final class Remote {
    final Route route;
    final MessageBatch batch = new MessageBatch();
    PendingNotify[] pendings = new PendingNotify[8];
    int[] gens = new int[8];
    int[] indexes = new int[8];

    Remote(Route route) {
      this.route = route;
    }

    int size() {
      return batch.count();
    }

    void add(SpoeMessage message, PendingNotify pending, int gen, int index) {
      int n = batch.count();
      if (n == 0) {
        batch.from(pending.engineId, pending.peer); // one connection's messages
      }
      if (n == pendings.length) {
        pendings = Arrays.copyOf(pendings, 2 * n);
        gens = Arrays.copyOf(gens, 2 * n);
        indexes = Arrays.copyOf(indexes, 2 * n);
      }
      pendings[n] = pending;
      gens[n] = gen;
      indexes[n] = index;
      batch.add(message, pending.streamId, pending.frameId,
          pending.startNanos + route.deadlineNanos - System.nanoTime(), index, pending.count);
    }

    void send() {
      agent.stats.recordHops(Hop.REMOTE, batch.count());
      agent.eventBus.request(route.address, batch, route.delivery).onComplete(this::onReply);
    }

    private void onReply(AsyncResult<Message<Object>> ar) {
      int n = batch.count();
      if (ar.succeeded()) {
        Object body = ar.result().body();
        if (!(body instanceof ActionsBatch)) {
          // not a SpoeHandlers consumer: it does not know batches (e.g. a plain consumer replying Actions)
          IllegalStateException e = new IllegalStateException("the consumer at '" + route.address
              + "' answered a batch of messages with " + (body == null ? "null" : body.getClass().getName())
              + ": register handlers with SpoeHandlers");
          for (int k = 0; k < n; k++) {
            handlerFailed(pendings[k], gens[k], indexes[k], e);
          }
          return;
        }
        ActionsBatch answers = (ActionsBatch) body;
        for (int k = 0; k < n; k++) {
          Actions actions = k < answers.count() ? answers.actions(k) : null;
          if (actions != null) {
            Dispatcher.this.answers.complete(pendings[k], gens[k], indexes[k], actions, Outcome.OK);
          } else if (k < answers.count() && answers.badArgs(k)) {
            badArguments(pendings[k], gens[k], indexes[k], answers.failure(k));
          } else {
            handlerFailed(pendings[k], gens[k], indexes[k], new IllegalStateException(
                k < answers.count() ? answers.failure(k) : "no answer in the handler's reply"));
          }
        }
        return;
      }
      for (int k = 0; k < n; k++) {
        requestFailed(pendings[k], gens[k], indexes[k], ar.cause());
      }
    }
  }

  /**
   * A message on its way to a handler verticle in this JVM; its answer comes back on the
   * connection's event loop. Kept in its PendingNotify slot and reused once its answer is in
   * (forgotten with the slot's view if the deadline comes first). Its fields are written on the
   * connection's event loop before the handler is called, and by the handler before the hop back:
   * across threads, each side's writes reach the other through the context's task queue.
   */
  private final class Local extends LocalRequest implements Handler<Void> {
    private Actions lent;
    private PendingNotify pending;
    private int gen;
    private int index;
    /** The answer, handed over to the connection's event loop with the envelope itself as the task. */
    private Actions actions;
    private Throwable failure;

    Local() {
      super(null);
    }

    Local init(SpoeMessage message, Actions lent, PendingNotify pending, int gen, int index) {
      message(message);
      this.lent = lent;
      this.pending = pending;
      this.gen = gen;
      this.index = index;
      this.actions = null;
      this.failure = null;
      return this;
    }

    @Override
    public Actions actions() {
      return lent;
    }

    @Override
    public void complete(Actions actions) {
      this.actions = actions;
      answer();
    }

    @Override
    public void fail(Throwable cause) {
      this.failure = cause;
      answer();
    }

    private void answer() {
      if (Vertx.currentContext() == context) {
        handle(null); // a direct handler, answering at once
      } else {
        // a handler verticle on this event loop: at once, with the connection's context current
        // again; from another thread, queued to it
        VertxInternals.runOn(context, eventLoop, null, this);
      }
    }

    @Override
    public void handle(Void v) {
      if (failure != null) {
        handlerFailed(pending, gen, index, failure);
      } else {
        answers.complete(pending, gen, index, actions, Outcome.OK);
      }
    }
  }
}
