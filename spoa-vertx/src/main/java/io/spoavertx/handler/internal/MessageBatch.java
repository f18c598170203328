package io.spoavertx.handler.internal;

import io.spoavertx.codec.DisconnectStatus;
import io.spoavertx.codec.SpopException;
import io.spoavertx.handler.SpoeMessage;
import io.vertx.core.buffer.Buffer;

/**
 * Messages the agent sends together to a handler address outside its JVM: those of one read (or
 * one burst of dispatch) for the same address, in one event-bus request instead of one each, so
 * a clustered event bus writes one frame, registers one reply handler and arms one timer per
 * batch. The reply is an {@link ActionsBatch} in the same order. Internal: handlers registered
 * with {@link io.spoavertx.agent.SpoeHandlers} receive the messages one by one.
 *
 * <p>Wire form (also the in-memory form): each message as a 4-byte length and its SPOP encoding.
 */
public final class MessageBatch {

  private final Buffer bytes;
  private int count;

  public MessageBatch() {
    this(Buffer.buffer(1024), 0);
  }

  MessageBatch(Buffer bytes, int count) {
    this.bytes = bytes;
    this.count = count;
  }

  /** Appends a copy of {@code message}'s bytes: the batch does not depend on the read it came from. */
  public MessageBatch add(SpoeMessage message) {
    bytes.appendInt(message.encodedLength());
    message.writeTo(bytes);
    count++;
    return this;
  }

  public int count() {
    return count;
  }

  /** Bytes of the messages in wire form. */
  public int byteLength() {
    return bytes.length();
  }

  /** The messages, decoded (and validated: a malformed one throws {@link SpopException}). */
  public SpoeMessage[] messages() {
    SpoeMessage[] out = new SpoeMessage[count];
    int p = 0;
    for (int i = 0; i < count; i++) {
      if (bytes.length() - p < 4) {
        throw new SpopException(DisconnectStatus.INVALID_FRAME, "message batch ends early");
      }
      int len = bytes.getInt(p);
      if (len < 0 || len > bytes.length() - p - 4) {
        throw new SpopException(DisconnectStatus.INVALID_FRAME, "message batch ends early");
      }
      out[i] = SpoeMessage.decode(bytes.slice(p + 4, p + 4 + len));
      p += 4 + len;
    }
    return out;
  }

  /** Cluster codec: count, length, the bytes. */
  public void encodeTo(Buffer out) {
    out.appendInt(count).appendInt(bytes.length()).appendBuffer(bytes);
  }

  public static MessageBatch decodeFrom(Buffer in, int pos) {
    int count = in.getInt(pos);
    int len = in.getInt(pos + 4);
    return new MessageBatch(in.slice(pos + 8, pos + 8 + len), count);
  }
}
