package io.spoavertx.codec;

import io.vertx.core.buffer.Buffer;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * Encoders for what an agent sends: frame headers, typed values, ACK actions, AGENT-HELLO and
 * AGENT-DISCONNECT. Everything is appended to a caller-owned {@link Buffer}, so several frames can
 * be batched into one socket write.
 */
public final class SpopWriter {

  public static final int ACTION_SET_VAR = 1;
  public static final int ACTION_UNSET_VAR = 2;

  private SpopWriter() {
  }

  /**
   * Appends a frame header with a placeholder length; returns the offset to pass to
   * {@link #endFrame}.
   */
  public static int beginFrame(Buffer out, int type, long streamId, long frameId) {
    int start = out.length();
    out.appendInt(0).appendByte((byte) type).appendInt(FrameType.FLAG_FIN);
    Varint.write(out, streamId);
    Varint.write(out, frameId);
    return start;
  }

  /**
   * The start of an ACK frame (length, type, FIN flag, stream and frame ids) for a payload of
   * {@code payloadLength} bytes, written into {@code a} at {@code off}, which has room for it
   * (at most 29 bytes); returns the offset just past it, where the payload goes.
   */
  public static int ackHeader(byte[] a, int off, int payloadLength, long streamId, long frameId) {
    int frameLength = 1 + 4 + Varint.size(streamId) + Varint.size(frameId) + payloadLength;
    putInt(a, off, frameLength);
    a[off + 4] = (byte) FrameType.ACK;
    putInt(a, off + 5, FrameType.FLAG_FIN);
    return Varint.write(a, Varint.write(a, off + 9, streamId), frameId);
  }

  /** The most {@link #ackHeader} writes. */
  public static final int MAX_ACK_HEADER = 4 + 1 + 4 + 2 * Varint.MAX_BYTES;

  private static void putInt(byte[] a, int off, int v) {
    a[off] = (byte) (v >>> 24);
    a[off + 1] = (byte) (v >>> 16);
    a[off + 2] = (byte) (v >>> 8);
    a[off + 3] = (byte) v;
  }

  /** Patches the length of the frame begun at {@code start}; returns the frame length. */
  public static int endFrame(Buffer out, int start) {
    int len = out.length() - start - 4;
    out.setInt(start, len);
    return len;
  }

  /** A bare string: varint length + UTF-8 bytes (names, KV keys). */
  public static void writeName(Buffer out, String s) {
    if (isAscii(s)) {
      int n = s.length();
      Varint.write(out, n);
      for (int i = 0; i < n; i++) {
        out.appendByte((byte) s.charAt(i));
      }
    } else {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      Varint.write(out, b.length);
      out.appendBytes(b);
    }
  }

  public static void writeNull(Buffer out) {
    out.appendByte((byte) TypeCode.NULL);
  }

  public static void writeBool(Buffer out, boolean v) {
    out.appendByte((byte) (v ? TypeCode.BOOL_TRUE : TypeCode.BOOL));
  }

  public static void writeInt32(Buffer out, int v) {
    out.appendByte((byte) TypeCode.INT32);
    Varint.write(out, v);
  }

  public static void writeUint32(Buffer out, long v) {
    out.appendByte((byte) TypeCode.UINT32);
    Varint.write(out, v & 0xFFFFFFFFL);
  }

  public static void writeInt64(Buffer out, long v) {
    out.appendByte((byte) TypeCode.INT64);
    Varint.write(out, v);
  }

  public static void writeUint64(Buffer out, long v) {
    out.appendByte((byte) TypeCode.UINT64);
    Varint.write(out, v);
  }

  public static void writeAddress(Buffer out, InetAddress address) {
    out.appendByte((byte) (address instanceof Inet4Address ? TypeCode.IPV4 : TypeCode.IPV6));
    out.appendBytes(address.getAddress());
  }

  public static void writeString(Buffer out, String s) {
    out.appendByte((byte) TypeCode.STRING);
    writeName(out, s);
  }

  public static void writeBinary(Buffer out, Buffer bytes) {
    out.appendByte((byte) TypeCode.BINARY);
    Varint.write(out, bytes.length());
    out.appendBuffer(bytes);
  }

  public static void writeBinary(Buffer out, byte[] bytes) {
    out.appendByte((byte) TypeCode.BINARY);
    Varint.write(out, bytes.length);
    out.appendBytes(bytes);
  }

  /**
   * Writes a typed value, its type following the value's class: null is NULL, Boolean BOOL,
   * Integer, Long and Short INT64, InetAddress IPV4 or IPV6, String STRING, Buffer and
   * {@code byte[]} BINARY.
   *
   * @param out the buffer to append to
   * @param value the value
   * @throws IllegalArgumentException if the value's class has no SPOP type
   */
  public static void writeValue(Buffer out, Object value) {
    if (value == null) {
      writeNull(out);
    } else if (value instanceof Boolean) {
      writeBool(out, (Boolean) value);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      writeInt64(out, ((Number) value).longValue());
    } else if (value instanceof InetAddress) {
      writeAddress(out, (InetAddress) value);
    } else if (value instanceof String) {
      writeString(out, (String) value);
    } else if (value instanceof Buffer) {
      writeBinary(out, (Buffer) value);
    } else if (value instanceof byte[]) {
      writeBinary(out, (byte[]) value);
    } else {
      throw new IllegalArgumentException("no SPOP type for " + value.getClass().getName());
    }
  }

  /** Action header of SET-VAR: type, nb-args 3, scope, name; the typed value follows. */
  public static void beginSetVar(Buffer out, int scope, String name) {
    out.appendByte((byte) ACTION_SET_VAR).appendByte((byte) 3).appendByte((byte) scope);
    writeName(out, name);
  }

  /** UNSET-VAR: type, nb-args 2, scope, name. */
  public static void writeUnsetVar(Buffer out, int scope, String name) {
    out.appendByte((byte) ACTION_UNSET_VAR).appendByte((byte) 2).appendByte((byte) scope);
    writeName(out, name);
  }

  /** AGENT-HELLO (doc/SPOE.txt 3.2.5); the capabilities key is always sent, even empty. */
  public static void writeAgentHello(Buffer out, int maxFrameSize, String capabilities) {
    int start = beginFrame(out, FrameType.AGENT_HELLO, 0, 0);
    writeName(out, "version");
    writeString(out, "2.0");
    writeName(out, "max-frame-size");
    writeUint32(out, maxFrameSize);
    writeName(out, "capabilities");
    writeString(out, capabilities);
    endFrame(out, start);
  }

  /** AGENT-DISCONNECT; the message is cut to 255 bytes, the most HAProxy 2.6 accepts. */
  public static void writeAgentDisconnect(Buffer out, DisconnectStatus status, String message) {
    int start = beginFrame(out, FrameType.AGENT_DISCONNECT, 0, 0);
    writeName(out, "status-code");
    writeUint32(out, status.code());
    writeName(out, "message");
    byte[] b = (message == null ? status.reason() : message).getBytes(StandardCharsets.UTF_8);
    out.appendByte((byte) TypeCode.STRING);
    int n = Math.min(b.length, 255);
    Varint.write(out, n);
    out.appendBytes(b, 0, n);
    endFrame(out, start);
  }

  /** Whether every char of {@code s} is ASCII, so its UTF-8 encoding is one byte per char. */
  public static boolean isAscii(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      if (s.charAt(i) > 0x7F) {
        return false;
      }
    }
    return true;
  }
}
