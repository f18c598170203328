package io.spoavertx.handler;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.spoavertx.handler.internal.LocalRequest;

/**
 * Event-bus codecs for {@link SpoeMessage} and {@link Actions}. Local delivery passes the same
 * immutable object (no copy); across the cluster both travel in their SPOP encoding, prefixed by
 * a length. They must be registered on every node, which {@link #register} does idempotently.
 */
public final class SpoaCodecs {

  /** Name of the local-only codec of the agent's LocalRequests (subclasses need it named). */
  public static final String LOCAL_REQUEST_CODEC = "spoa-local-request";

  private SpoaCodecs() {
  }

  public static void register(Vertx vertx) {
    try {
      vertx.eventBus().registerDefaultCodec(SpoeMessage.class, new MessageCodecImpl());
    } catch (IllegalStateException alreadyRegistered) {
      // another agent or handler on this Vert.x instance registered it first
    }
    try {
      vertx.eventBus().registerDefaultCodec(Actions.class, new ActionsCodecImpl());
    } catch (IllegalStateException alreadyRegistered) {
      // idem
    }
    try {
      vertx.eventBus().registerCodec(new LocalRequestCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // idem
    }
  }

  /** Local delivery only: the agent sends these with {@code localOnly} to handlers in its JVM. */
  static final class LocalRequestCodec implements MessageCodec<LocalRequest, LocalRequest> {
    @Override
    public void encodeToWire(Buffer buffer, LocalRequest request) {
      throw new IllegalStateException("a LocalRequest never leaves its JVM");
    }

    @Override
    public LocalRequest decodeFromWire(int pos, Buffer buffer) {
      throw new IllegalStateException("a LocalRequest never leaves its JVM");
    }

    @Override
    public LocalRequest transform(LocalRequest request) {
      return request;
    }

    @Override
    public String name() {
      return LOCAL_REQUEST_CODEC;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }

  static final class MessageCodecImpl implements MessageCodec<SpoeMessage, SpoeMessage> {
    @Override
    public void encodeToWire(Buffer buffer, SpoeMessage message) {
      buffer.appendInt(message.encodedLength());
      message.writeTo(buffer);
    }

    @Override
    public SpoeMessage decodeFromWire(int pos, Buffer buffer) {
      int len = buffer.getInt(pos);
      return SpoeMessage.decode(buffer.slice(pos + 4, pos + 4 + len));
    }

    @Override
    public SpoeMessage transform(SpoeMessage message) {
      return message;
    }

    @Override
    public String name() {
      return "spoa-message";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }

  static final class ActionsCodecImpl implements MessageCodec<Actions, Actions> {
    @Override
    public void encodeToWire(Buffer buffer, Actions actions) {
      buffer.appendInt(actions.encodedLength());
      actions.writeTo(buffer); // no wrapper Buffer of the actions' array
    }

    @Override
    public Actions decodeFromWire(int pos, Buffer buffer) {
      int len = buffer.getInt(pos);
      return Actions.decode(buffer, pos + 4, pos + 4 + len); // one copy, no slice
    }

    @Override
    public Actions transform(Actions actions) {
      return actions.freeze();
    }

    @Override
    public String name() {
      return "spoa-actions";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
