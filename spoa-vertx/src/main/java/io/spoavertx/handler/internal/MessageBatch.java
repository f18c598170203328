package io.spoavertx.handler.internal;

import io.spoavertx.codec.DisconnectStatus;
import io.spoavertx.codec.SpopException;
import io.spoavertx.handler.MessageContext;
import io.spoavertx.handler.SpoeMessage;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;

import java.nio.charset.StandardCharsets;

/**
 * Messages the agent sends together to a handler address outside its JVM: those of one read (or
 * one burst of dispatch) for the same address, in one event-bus request instead of one each, so
 * a clustered event bus writes one frame, registers one reply handler and arms one timer per
 * batch. The reply is an {@link ActionsBatch} in the same order. Internal: handlers registered
 * with {@link io.spoavertx.agent.SpoeHandlers} receive the messages one by one.
 *
 * <p>Each message travels with what its {@link MessageContext} shows on the handler node: its
 * NOTIFY's stream and frame ids, its index and message count, and the time left to its deadline
 * when it was sent; the batch, whose messages all come from one connection, carries HAProxy's
 * engine id and address once.
 *
 * <p>Wire form: count, engine id and peer (a 4-byte length, -1 for none, and UTF-8; the peer as
 * {@code host:port} or a socket path), the entries' length, then each entry: a 4-byte length and the
 * message's SPOP encoding, stream id, frame id and time left in nanoseconds (8 bytes each), index
 * and message count (4 bytes each). The in-memory form is the entries.
 */
public final class MessageBatch {

  /** Bytes of an entry's context after the message. */
  private static final int CONTEXT_BYTES = 8 + 8 + 8 + 4 + 4;
  /** Time left of a message sent without a context: no deadline. */
  private static final long NO_DEADLINE = Long.MAX_VALUE;

  private final Buffer bytes;
  private int count;
  private String engineId;
  private String peer;

  public MessageBatch() {
    this(Buffer.buffer(1024), 0, null, null);
  }

  MessageBatch(Buffer bytes, int count, String engineId, String peer) {
    this.bytes = bytes;
    this.count = count;
    this.engineId = engineId;
    this.peer = peer;
  }

  /**
   * The HAProxy the batch's messages come from.
   *
   * @param engineId its engine id, or null
   * @param address its address, or null
   * @return this batch
   */
  public MessageBatch from(String engineId, SocketAddress address) {
    this.engineId = engineId;
    this.peer = address == null ? null : address.isInetSocket()
        ? (address.hostAddress() != null ? address.hostAddress() : address.host()) + ":" + address.port()
        : address.path();
    return this;
  }

  /** Appends a copy of {@code message}'s bytes, with no context (no ids, no deadline). */
  public MessageBatch add(SpoeMessage message) {
    return add(message, -1, -1, NO_DEADLINE, 0, 1);
  }

  /**
   * Appends a copy of {@code message}'s bytes (the batch does not depend on the read it came from)
   * and its context: message {@code index} of {@code messageCount} of the NOTIFY
   * {@code streamId}/{@code frameId}, {@code timeLeftNanos} before its deadline.
   */
  public MessageBatch add(SpoeMessage message, long streamId, long frameId, long timeLeftNanos, int index,
                          int messageCount) {
    bytes.appendInt(message.encodedLength());
    message.writeTo(bytes);
    bytes.appendLong(streamId).appendLong(frameId).appendLong(timeLeftNanos).appendInt(index).appendInt(messageCount);
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

  /** The messages, decoded (and validated: a malformed one throws {@link SpopException}), without contexts. */
  public SpoeMessage[] messages() {
    return messages(null);
  }

  /**
   * The messages, decoded (and validated: a malformed one throws {@link SpopException}), each with
   * its context: its deadline counts from now; {@code timers} (when not null) is where a timer
   * fires its cancellation at the deadline, if a handler asks for it.
   */
  public SpoeMessage[] messages(Vertx timers) {
    SpoeMessage[] out = new SpoeMessage[count];
    SocketAddress address = peerAddress();
    long now = System.nanoTime();
    int p = 0;
    for (int i = 0; i < count; i++) {
      if (bytes.length() - p < 4) {
        throw new SpopException(DisconnectStatus.INVALID_FRAME, "message batch ends early");
      }
      int len = bytes.getInt(p);
      if (len < 0 || len > bytes.length() - p - 4 - CONTEXT_BYTES) {
        throw new SpopException(DisconnectStatus.INVALID_FRAME, "message batch ends early");
      }
      SpoeMessage m = SpoeMessage.decode(bytes.slice(p + 4, p + 4 + len));
      p += 4 + len;
      long timeLeft = bytes.getLong(p + 16);
      if (timeLeft != NO_DEADLINE) {
        int index = bytes.getInt(p + 24);
        int messageCount = bytes.getInt(p + 28);
        if (index < 0 || messageCount <= index) {
          throw new SpopException(DisconnectStatus.INVALID_FRAME, "message " + index + " of " + messageCount);
        }
        // of the NOTIFY's messages, this node has this one only
        SpoeMessage[] siblings = new SpoeMessage[index + 1];
        siblings[index] = m;
        MessageContexts.init(MessageContexts.create(), m, m.name(), bytes.getLong(p), bytes.getLong(p + 8), engineId,
            address, now + timeLeft, siblings, messageCount, index, timers);
      }
      p += CONTEXT_BYTES;
      out[i] = m;
    }
    return out;
  }

  private SocketAddress peerAddress() {
    if (peer == null) {
      return null;
    }
    int colon = peer.lastIndexOf(':');
    if (colon > 0 && peer.indexOf('/') < 0) {
      try {
        return SocketAddress.inetSocketAddress(Integer.parseInt(peer.substring(colon + 1)), peer.substring(0, colon));
      } catch (NumberFormatException e) {
        // not host:port: a socket path
      }
    }
    return SocketAddress.domainSocketAddress(peer);
  }

  /** Cluster codec: count, engine id, peer, length, the entries. */
  public void encodeTo(Buffer out) {
    out.appendInt(count);
    writeString(out, engineId);
    writeString(out, peer);
    out.appendInt(bytes.length()).appendBuffer(bytes);
  }

  public static MessageBatch decodeFrom(Buffer in, int pos) {
    int count = in.getInt(pos);
    int p = pos + 4;
    String engineId = readString(in, p);
    p += 4 + Math.max(0, in.getInt(p));
    String peer = readString(in, p);
    p += 4 + Math.max(0, in.getInt(p));
    int len = in.getInt(p);
    return new MessageBatch(in.slice(p + 4, p + 4 + len), count, engineId, peer);
  }

  private static void writeString(Buffer out, String s) {
    if (s == null) {
      out.appendInt(-1);
    } else {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.appendInt(b.length).appendBytes(b);
    }
  }

  private static String readString(Buffer in, int p) {
    int len = in.getInt(p);
    return len < 0 ? null : in.getString(p + 4, p + 4 + len, "UTF-8");
  }
}
