package io.spoavertx.agent.impl;

import io.netty.buffer.ByteBuf;
import io.spoavertx.handler.Actions;
import io.spoavertx.handler.SpoeMessage;

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
   * Per message slot, reused from one NOTIFY to the next: the message view, and the action list
   * lent to a {@link io.spoavertx.handler.SpoeHandler#sync} handler. A slot finished without its
   * handler's answer (deadline) forgets them, since that handler may still be using them.
   */
  private SpoeMessage[] views;
  private Actions[] lent;
  /** The connection's event-bus envelope for the slot's message. */
  private Object[] envelopes;

  PendingNotify(int capacity) {
    this.routes = new Route[capacity];
    this.results = new Actions[capacity];
    this.views = new SpoeMessage[capacity];
    this.lent = new Actions[capacity];
    this.envelopes = new Object[capacity];
  }

  PendingNotify init(long streamId, long frameId, int messages, long startNanos) {
    this.streamId = streamId;
    this.frameId = frameId;
    this.startNanos = startNanos;
    if (routes.length < messages) {
      routes = new Route[messages];
      results = new Actions[messages];
      views = Arrays.copyOf(views, messages);
      lent = Arrays.copyOf(lent, messages);
      envelopes = Arrays.copyOf(envelopes, messages);
    }
    this.count = messages;
    this.remaining = messages;
    this.done = false;
    this.counted = false;
    return this;
  }

  /** The view for message {@code i}, reused if the slot has one. */
  SpoeMessage view(int i, byte[] array, int start, int end, String name, int argsStart, int argCount) {
    SpoeMessage v = views[i];
    if (v == null) {
      return views[i] = MessageViews.create(array, start, end, name, argsStart, argCount);
    }
    return MessageViews.reset(v, array, start, end, name, argsStart, argCount);
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
   * Message {@code i} is finished while its handler may still hold its view, list and envelope:
   * never reuse them.
   */
  void forget(int i) {
    views[i] = null;
    lent[i] = null;
    envelopes[i] = null;
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
