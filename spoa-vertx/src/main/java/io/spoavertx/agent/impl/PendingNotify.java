package io.spoavertx.agent.impl;

import io.netty.buffer.ByteBuf;
import io.spoavertx.handler.Actions;
import io.spoavertx.handler.MessageContext;
import io.spoavertx.handler.SpoeMessage;
import io.spoavertx.handler.internal.MessageContexts;
import io.vertx.core.net.SocketAddress;

import java.util.Arrays;

/**
 * One NOTIFY awaiting its ACK: the results of its messages, filled in any order. Owned by its
 * connection's event loop, which reuses it for a later NOTIFY once this one is finished: an
 * answer carries the {@link #gen generation} it was dispatched with, and an answer for an older
 * generation is a late one.
 */
final class PendingNotify {

  long streamId;
  long frameId;
  long startNanos;
  /** HAProxy's engine id (or null) and address, for the messages' contexts. */
  String engineId;
  SocketAddress peer;
  /** Number of messages; the arrays may be longer. */
  int count;
  Route[] routes;
  Actions[] results;
  int remaining;
  boolean done;
  /** Counted in the agent's in-flight gauge (it outlived its dispatch). */
  boolean counted;
  /** Incremented each time the object is reused. */
  int gen;
  /** The pooled read the messages are views of, kept until the NOTIFY is finished; or null. */
  ByteBuf read;
  /**
   * Per message slot, reused from one NOTIFY to the next: the message view, its context, and the
   * action list lent to a {@link io.spoavertx.handler.SpoeHandler#sync} handler. A slot finished
   * without its handler's answer (deadline, close) is {@link #stale}: the next NOTIFY gives it new
   * ones, since that handler may still be using them. The contexts share the views array: it shows
   * the siblings of each message.
   */
  private SpoeMessage[] views;
  private MessageContext[] contexts;
  private Actions[] lent;
  /** The connection's event-bus envelope for the slot's message. */
  private Object[] envelopes;
  private boolean[] stale;

  PendingNotify(int capacity) {
    this.routes = new Route[capacity];
    this.results = new Actions[capacity];
    this.views = new SpoeMessage[capacity];
    this.contexts = new MessageContext[capacity];
    this.lent = new Actions[capacity];
    this.envelopes = new Object[capacity];
    this.stale = new boolean[capacity];
  }

  PendingNotify init(long streamId, long frameId, int messages, long startNanos) {
    this.streamId = streamId;
    this.frameId = frameId;
    this.startNanos = startNanos;
    if (routes.length < messages) {
      routes = new Route[messages];
      results = new Actions[messages];
      views = Arrays.copyOf(views, messages);
      contexts = Arrays.copyOf(contexts, messages);
      lent = Arrays.copyOf(lent, messages);
      envelopes = Arrays.copyOf(envelopes, messages);
      stale = Arrays.copyOf(stale, messages);
    }
    this.count = messages;
    this.remaining = messages;
    this.done = false;
    this.counted = false;
    return this;
  }

  /**
   * The view for message {@code i}, routed by {@code route}, with its context (the slot's, reused
   * if it has them). Every message's view must be made before any is dispatched: a handler may
   * read its siblings.
   */
  SpoeMessage view(int i, byte[] array, int start, int end, Route route, int argsStart, int argCount) {
    if (stale[i]) {
      stale[i] = false;
      views[i] = null;
      contexts[i] = null;
      lent[i] = null;
      envelopes[i] = null;
    }
    SpoeMessage v = views[i];
    if (v == null) {
      v = views[i] = MessageViews.create(array, start, end, route.name, argsStart, argCount);
    } else {
      MessageViews.reset(v, array, start, end, route.name, argsStart, argCount);
    }
    MessageContext c = contexts[i];
    if (c == null) {
      c = contexts[i] = MessageContexts.create();
    }
    MessageContexts.init(c, v, route.name, streamId, frameId, engineId, peer, startNanos + route.deadlineNanos, views,
        count, i, null);
    return v;
  }

  /** The view of message {@code i}, made by {@link #view}. */
  SpoeMessage message(int i) {
    return views[i];
  }

  /** An empty action list for message {@code i}'s synchronous handler, reused if the slot has one. */
  Actions actions(int i) {
    Actions a = lent[i];
    if (a == null) {
      return lent[i] = Actions.create();
    }
    return a.clear();
  }

  Object envelope(int i) {
    return envelopes[i];
  }

  void envelope(int i, Object envelope) {
    envelopes[i] = envelope;
  }

  /**
   * Message {@code i} is finished while its handler may still hold its view, context, list and
   * envelope: they are not reused (they stay in place for the siblings until this NOTIFY is
   * finished). Returns the context, for the caller to cancel once its bookkeeping is done.
   */
  MessageContext forget(int i) {
    stale[i] = true;
    return contexts[i];
  }

  /** Lets go of the read the messages are views of: the NOTIFY is answered or dropped. */
  void release() {
    if (read != null) {
      read.release();
      read = null;
    }
  }

  /** Makes the object reusable; answers still on their way for it become late ones. */
  void recycle() {
    release();
    gen++;
    for (int i = 0; i < count; i++) {
      routes[i] = null;
      results[i] = null;
    }
    count = 0;
    done = true;
  }

  /** Earliest deadline among the messages still unanswered. */
  long nextDeadline() {
    long next = Long.MAX_VALUE;
    for (int i = 0; i < count; i++) {
      if (results[i] == null && routes[i] != null) {
        next = Math.min(next, startNanos + routes[i].deadlineNanos);
      }
    }
    return next;
  }
}
