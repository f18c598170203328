package io.spoavertx.handler.internal;

import io.spoavertx.handler.Actions;
import io.spoavertx.handler.SpoeMessage;

import io.spoavertx.handler.internal.ActionsBatch;
import io.spoavertx.handler.internal.MessageBatch;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * Event-bus codecs for {@link SpoeMessage} and {@link Actions}, and for the batches of them the
 * agent exchanges with handler nodes ({@link MessageBatch}, {@link ActionsBatch}). Local delivery
 * passes the same immutable object (no copy); across the cluster they travel in their SPOP
 * encoding, prefixed by lengths. They must be registered on every node, which {@link #register}
 * does idempotently.
 */
public final class EventBusCodecs {

  private EventBusCodecs() {
  }

  public static void register(Vertx vertx) {
    registerDefault(vertx, SpoeMessage.class, new MessageCodecImpl());
    registerDefault(vertx, Actions.class, new ActionsCodecImpl());
    // "-2": the wire form with the messages' contexts
    registerDefault(vertx, MessageBatch.class,
        new Codec<>("spoa-message-batch-2", (out, b) -> b.encodeTo(out), MessageBatch::decodeFrom));
    registerDefault(vertx, ActionsBatch.class,
        new Codec<>("spoa-actions-batch", (out, b) -> b.encodeTo(out), ActionsBatch::decodeFrom));
  }

  private static <T> void registerDefault(Vertx vertx, Class<T> type, MessageCodec<T, ?> codec) {
    try {
      vertx.eventBus().registerDefaultCodec(type, codec);
    } catch (IllegalStateException alreadyRegistered) {
      // another agent or handler on this Vert.x instance registered it first
    }
  }

  /** A codec of an immutable internal type: passed as is locally, in its wire form across the cluster. */
  static final class Codec<T> implements MessageCodec<T, T> {
    private final String name;
    private final BiConsumer<Buffer, T> encode;
    private final BiFunction<Buffer, Integer, T> decode;

    Codec(String name, BiConsumer<Buffer, T> encode, BiFunction<Buffer, Integer, T> decode) {
      this.name = name;
      this.encode = encode;
      this.decode = decode;
    }

    @Override
    public void encodeToWire(Buffer buffer, T t) {
      encode.accept(buffer, t);
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
      return decode.apply(buffer, pos);
    }

    @Override
    public T transform(T t) {
      return t;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }

  public static final class MessageCodecImpl implements MessageCodec<SpoeMessage, SpoeMessage> {
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

  public static final class ActionsCodecImpl implements MessageCodec<Actions, Actions> {
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
