package io.spoavertx.testing;

import io.vertx.core.buffer.Buffer;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HAProxy-side SPOP v2 codec: encodes what HAProxy sends (HELLO, DISCONNECT, NOTIFY) and decodes
 * what an agent sends (AGENT-HELLO, AGENT-DISCONNECT, ACK). Independent of any agent's codec.
 *
 * <p>Decoding errors throw {@link SpopProtocolException} with status 4 (invalid frame).
 */
public final class SpopClientCodec {

  /** Continuation fragment. */
  public static final int TYPE_UNSET = 0;
  /** HAPROXY-HELLO frame type. */
  public static final int TYPE_HAPROXY_HELLO = 1;
  /** HAPROXY-DISCONNECT frame type. */
  public static final int TYPE_HAPROXY_DISCONNECT = 2;
  /** NOTIFY frame type. */
  public static final int TYPE_NOTIFY = 3;
  /** AGENT-HELLO frame type. */
  public static final int TYPE_AGENT_HELLO = 101;
  /** AGENT-DISCONNECT frame type. */
  public static final int TYPE_AGENT_DISCONNECT = 102;
  /** ACK frame type. */
  public static final int TYPE_ACK = 103;

  /** FIN flag: the last (or only) fragment of a frame. */
  public static final int FLAG_FIN = 0x1;
  /** ABORT implies FIN on the wire: send {@code FLAG_ABORT | FLAG_FIN}. */
  public static final int FLAG_ABORT = 0x2;

  /** SPOP status 0: normal (no error). */
  public static final int STATUS_NORMAL = 0;
  /** SPOP status 3: frame is too big. */
  public static final int STATUS_FRAME_TOO_BIG = 3;
  /** SPOP status 4: invalid frame received. */
  public static final int STATUS_INVALID_FRAME = 4;

  /** Smallest frame body: type, flags, one-byte stream-id and frame-id. */
  static final int MIN_FRAME_LENGTH = 7;

  private SpopClientCodec() {
  }

  // ---- varint ------------------------------------------------------------------------------

  /**
   * Appends HAProxy's varint encoding of {@code value} (taken as unsigned 64-bit).
   *
   * @param out   the buffer to append to
   * @param value the value
   * @return {@code out}
   */
  public static Buffer writeVarint(Buffer out, long value) {
    long i = value;
    if (Long.compareUnsigned(i, 240) < 0) {
      return out.appendByte((byte) i);
    }
    out.appendByte((byte) (i | 0xF0));
    i = (i - 240) >>> 4;
    while (Long.compareUnsigned(i, 128) >= 0) {
      out.appendByte((byte) (i | 0x80));
      i = (i - 128) >>> 7;
    }
    return out.appendByte((byte) i);
  }

  /**
   * HAProxy's varint encoding of {@code value} (taken as unsigned 64-bit).
   *
   * @param value the value
   * @return the encoded bytes
   */
  public static Buffer varint(long value) {
    return writeVarint(Buffer.buffer(10), value);
  }

  /**
   * Decodes the varint that fills {@code bytes}.
   *
   * @param bytes exactly one varint
   * @return its value, as unsigned 64-bit
   */
  public static long decodeVarint(Buffer bytes) {
    Reader r = new Reader(bytes);
    long v = r.varint();
    if (r.hasRemaining()) {
      throw invalid("trailing bytes after varint");
    }
    return v;
  }

  // ---- typed data ----------------------------------------------------------------------------

  /**
   * Appends a bare string: varint length + UTF-8 bytes (names, keys).
   *
   * @param out the buffer to append to
   * @param s   the string
   * @return {@code out}
   */
  public static Buffer writeString(Buffer out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    writeVarint(out, b.length);
    return out.appendBytes(b);
  }

  /**
   * Appends a typed value: type byte (BOOL value in the flags nibble) and data.
   *
   * @param out the buffer to append to
   * @param v   the value
   * @return {@code out}
   */
  public static Buffer writeTypedValue(Buffer out, TypedValue v) {
    Object o = v.value();
    switch (v.type()) {
      case NULL -> out.appendByte((byte) 0x00);
      case BOOL -> out.appendByte((byte) ((Boolean) o ? 0x11 : 0x01));
      case INT32 -> writeVarint(out.appendByte((byte) 0x02), (long) (Integer) o);
      case UINT32 -> writeVarint(out.appendByte((byte) 0x03), (Long) o);
      case INT64 -> writeVarint(out.appendByte((byte) 0x04), (Long) o);
      case UINT64 -> writeVarint(out.appendByte((byte) 0x05), (Long) o);
      case IPV4 -> out.appendByte((byte) 0x06).appendBytes(((InetAddress) o).getAddress());
      case IPV6 -> out.appendByte((byte) 0x07).appendBytes(((InetAddress) o).getAddress());
      case STRING -> writeString(out.appendByte((byte) 0x08), (String) o);
      case BINARY -> {
        byte[] b = (byte[]) o;
        writeVarint(out.appendByte((byte) 0x09), b.length).appendBytes(b);
      }
      default -> throw new IllegalStateException();
    }
    return out;
  }

  /**
   * The encoding of one typed value.
   *
   * @param v the value
   * @return the encoded bytes
   */
  public static Buffer typedValue(TypedValue v) {
    return writeTypedValue(Buffer.buffer(), v);
  }

  /**
   * Decodes one typed value that fills {@code bytes}.
   *
   * @param bytes exactly one typed value
   * @return the value
   */
  public static TypedValue decodeTypedValue(Buffer bytes) {
    Reader r = new Reader(bytes);
    TypedValue v = r.typedValue();
    if (r.hasRemaining()) {
      throw invalid("trailing bytes after typed value");
    }
    return v;
  }

  /**
   * Appends a KV-LIST (HELLO, DISCONNECT payloads).
   *
   * @param out the buffer to append to
   * @param kv  the keys and values, in wire order
   * @return {@code out}
   */
  public static Buffer writeKvList(Buffer out, Map<String, TypedValue> kv) {
    kv.forEach((k, v) -> writeTypedValue(writeString(out, k), v));
    return out;
  }

  /**
   * Decodes a KV-LIST payload.
   *
   * @param payload the KV-LIST
   * @return the keys in wire order (a repeated key keeps its last value)
   */
  public static Map<String, TypedValue> decodeKvList(Buffer payload) {
    Map<String, TypedValue> kv = new LinkedHashMap<>();
    Reader r = new Reader(payload);
    while (r.hasRemaining()) {
      String k = r.string();
      kv.put(k, r.typedValue());
    }
    return kv;
  }

  // ---- frames --------------------------------------------------------------------------------

  /**
   * Encodes a whole frame with its length prefix, ready for a single write.
   *
   * @param type     the frame type, e.g. {@link #TYPE_NOTIFY}
   * @param flags    the flags, e.g. {@link #FLAG_FIN}
   * @param streamId the stream-id
   * @param frameId  the frame-id
   * @param payload  the payload
   * @return the frame
   */
  public static Buffer encodeFrame(int type, int flags, long streamId, long frameId, Buffer payload) {
    Buffer out = Buffer.buffer(4 + 1 + 4 + 20 + payload.length());
    out.appendInt(0).appendByte((byte) type).appendInt(flags);
    writeVarint(out, streamId);
    writeVarint(out, frameId);
    out.appendBuffer(payload);
    out.setInt(0, out.length() - 4);
    return out;
  }

  /**
   * Decodes a frame body (the bytes after the length prefix).
   *
   * @param body the frame without its length prefix
   * @return the frame; its payload is a view on {@code body}
   * @throws SpopProtocolException if it is shorter than its header
   */
  public static Frame decodeFrame(Buffer body) {
    if (body.length() < MIN_FRAME_LENGTH) {
      throw invalid("frame of " + body.length() + " bytes is shorter than a frame header");
    }
    Reader r = new Reader(body);
    int type = r.u8();
    int flags = body.getInt(1);
    r.skip(4);
    long sid = r.varint();
    long fid = r.varint();
    return new Frame(type, flags, sid, fid, r.rest());
  }

  /**
   * Decodes a whole frame including its length prefix (e.g. a {@link GoldenFrames golden frame}).
   *
   * @param frame the frame with its length prefix
   * @return the frame; its payload is a view on {@code frame}
   */
  public static Frame decodeFrameWithLength(Buffer frame) {
    if (frame.length() < 4 || frame.getUnsignedInt(0) != frame.length() - 4) {
      throw invalid("length prefix does not match the " + frame.length() + " bytes given");
    }
    return decodeFrame(frame.slice(4, frame.length()));
  }

  /**
   * Encodes a HAPROXY-HELLO (stream-id 0, frame-id 0, FIN).
   *
   * @param options the keys to send
   * @return the frame with its length prefix
   */
  public static Buffer encodeHaproxyHello(HelloOptions options) {
    return encodeFrame(TYPE_HAPROXY_HELLO, FLAG_FIN, 0, 0, writeKvList(Buffer.buffer(), options.toKeys()));
  }

  /**
   * Encodes a HAPROXY-DISCONNECT with {@code status-code} UINT32 and {@code message} STRING.
   *
   * @param statusCode the status code
   * @param message    the message; null sends an empty string
   * @return the frame with its length prefix
   */
  public static Buffer encodeHaproxyDisconnect(int statusCode, String message) {
    Map<String, TypedValue> kv = new LinkedHashMap<>();
    kv.put("status-code", TypedValue.uint32(Integer.toUnsignedLong(statusCode)));
    kv.put("message", TypedValue.string(message == null ? "" : message));
    return encodeFrame(TYPE_HAPROXY_DISCONNECT, FLAG_FIN, 0, 0, writeKvList(Buffer.buffer(), kv));
  }

  /**
   * Encodes a NOTIFY payload: for each message, name, u8 nb-args, then (name, typed value) per argument.
   *
   * @param messages the messages
   * @return the payload
   */
  public static Buffer encodeNotifyPayload(List<Message> messages) {
    Buffer out = Buffer.buffer(256);
    for (Message m : messages) {
      writeString(out, m.name());
      out.appendByte((byte) m.args().size());
      for (Message.Arg a : m.args()) {
        writeTypedValue(writeString(out, a.name()), a.value());
      }
    }
    return out;
  }

  /**
   * Encodes an unfragmented NOTIFY frame (FIN).
   *
   * @param streamId the stream-id
   * @param frameId  the frame-id
   * @param messages the messages
   * @return the frame with its length prefix
   */
  public static Buffer encodeNotify(long streamId, long frameId, List<Message> messages) {
    return encodeFrame(TYPE_NOTIFY, FLAG_FIN, streamId, frameId, encodeNotifyPayload(messages));
  }

  /**
   * Decodes a NOTIFY payload into messages (handy for fake agents and for checking encodings).
   *
   * @param payload the NOTIFY payload
   * @return the messages
   */
  public static List<Message> decodeNotifyPayload(Buffer payload) {
    List<Message> out = new ArrayList<>();
    Reader r = new Reader(payload);
    while (r.hasRemaining()) {
      String name = r.string();
      int nb = r.u8();
      List<Message.Arg> args = new ArrayList<>(nb);
      for (int i = 0; i < nb; i++) {
        String an = r.string();
        args.add(new Message.Arg(an, r.typedValue()));
      }
      out.add(Message.of(name, args));
    }
    return out;
  }

  /**
   * Decodes an AGENT-HELLO frame.
   *
   * @param frame an AGENT-HELLO frame
   * @return its keys
   */
  public static AgentHello decodeAgentHello(Frame frame) {
    requireType(frame, TYPE_AGENT_HELLO);
    Map<String, TypedValue> kv = decodeKvList(frame.payload());
    TypedValue version = kv.get("version");
    TypedValue mfs = kv.get("max-frame-size");
    TypedValue caps = kv.get("capabilities");
    return new AgentHello(
        version != null && version.type() == TypedValue.Type.STRING ? version.asString() : null,
        mfs != null && mfs.type().isInteger() ? mfs.asLong() : -1,
        caps != null && caps.type() == TypedValue.Type.STRING ? caps.asString() : null,
        kv);
  }

  /**
   * Decodes an AGENT-DISCONNECT frame.
   *
   * @param frame an AGENT-DISCONNECT frame
   * @return its status code and message
   */
  public static AgentDisconnect decodeAgentDisconnect(Frame frame) {
    requireType(frame, TYPE_AGENT_DISCONNECT);
    Map<String, TypedValue> kv = decodeKvList(frame.payload());
    TypedValue status = kv.get("status-code");
    TypedValue message = kv.get("message");
    return new AgentDisconnect(
        status != null && status.type().isInteger() ? (int) status.asLong() : -1,
        message != null && message.type() == TypedValue.Type.STRING ? message.asString() : null);
  }

  /**
   * Decodes an ACK frame: SET-VAR ({@code 01 03 scope name value}) and UNSET-VAR ({@code 02 02 scope name}).
   *
   * @param frame an ACK frame
   * @return the ACK
   */
  public static Ack decodeAck(Frame frame) {
    requireType(frame, TYPE_ACK);
    return new Ack(frame.streamId(), frame.frameId(), decodeActions(frame.payload()));
  }

  /**
   * Decodes an ACK payload into actions.
   *
   * @param payload the ACK payload
   * @return the actions, in wire order
   */
  public static List<AckAction> decodeActions(Buffer payload) {
    List<AckAction> actions = new ArrayList<>();
    Reader r = new Reader(payload);
    while (r.hasRemaining()) {
      int at = r.position();
      int type = r.u8();
      int nb = r.u8();
      if (type == 1) {
        if (nb != 3) {
          throw invalid("SET-VAR at offset " + at + " has nb-args " + nb + ", expected 3");
        }
        VarScope scope = scope(r);
        String name = r.string();
        actions.add(AckAction.setVar(scope, name, r.typedValue()));
      } else if (type == 2) {
        if (nb != 2) {
          throw invalid("UNSET-VAR at offset " + at + " has nb-args " + nb + ", expected 2");
        }
        VarScope scope = scope(r);
        actions.add(AckAction.unsetVar(scope, r.string()));
      } else {
        throw invalid("unknown action type " + type + " at offset " + at);
      }
    }
    return actions;
  }

  /**
   * A readable name for a frame type.
   *
   * @param type the frame type
   * @return its name and code, e.g. {@code ACK(103)}
   */
  public static String typeName(int type) {
    String n = switch (type) {
      case TYPE_UNSET -> "UNSET";
      case TYPE_HAPROXY_HELLO -> "HAPROXY-HELLO";
      case TYPE_HAPROXY_DISCONNECT -> "HAPROXY-DISCONNECT";
      case TYPE_NOTIFY -> "NOTIFY";
      case TYPE_AGENT_HELLO -> "AGENT-HELLO";
      case TYPE_AGENT_DISCONNECT -> "AGENT-DISCONNECT";
      case TYPE_ACK -> "ACK";
      default -> "UNKNOWN";
    };
    return n + "(" + type + ")";
  }

  private static VarScope scope(Reader r) {
    int code = r.u8();
    if (code > 4) {
      throw invalid("unknown variable scope " + code);
    }
    return VarScope.fromCode(code);
  }

  private static void requireType(Frame frame, int type) {
    if (frame.type() != type) {
      throw invalid("expected " + typeName(type) + " but got " + typeName(frame.type()));
    }
  }

  static SpopProtocolException invalid(String message) {
    return new SpopProtocolException(STATUS_INVALID_FRAME, message);
  }

  /** A cursor over a buffer reading SPOP primitives; every read is bounds-checked. */
  public static final class Reader {
    private final Buffer buf;
    private final int end;
    private int pos;

    /**
     * Reads the whole buffer.
     *
     * @param buf the bytes to read
     */
    public Reader(Buffer buf) {
      this(buf, 0, buf.length());
    }

    /**
     * Reads {@code buf[start, end)}.
     *
     * @param buf   the bytes to read
     * @param start the first index read
     * @param end   the index after the last one read
     */
    public Reader(Buffer buf, int start, int end) {
      this.buf = buf;
      this.pos = start;
      this.end = end;
    }

    /** {@return true if there are bytes left to read} */
    public boolean hasRemaining() {
      return pos < end;
    }

    /** {@return the number of bytes left to read} */
    public int remaining() {
      return end - pos;
    }

    /** {@return the index of the next byte to read} */
    public int position() {
      return pos;
    }

    /**
     * Skips {@code n} bytes.
     *
     * @param n the number of bytes
     */
    public void skip(int n) {
      need(n);
      pos += n;
    }

    /** {@return the next byte, unsigned} */
    public int u8() {
      need(1);
      return buf.getUnsignedByte(pos++);
    }

    /** {@return the next HAProxy varint (at most 10 bytes)} */
    public long varint() {
      need(1);
      long v = buf.getUnsignedByte(pos++);
      if (v < 240) {
        return v;
      }
      int shift = 4;
      for (int n = 1; n < 10; n++) {
        if (pos >= end) {
          throw invalid("varint runs past the end of the frame");
        }
        int b = buf.getUnsignedByte(pos++);
        v += (long) b << shift;
        shift += 7;
        if (b < 128) {
          return v;
        }
      }
      throw invalid("varint longer than 10 bytes");
    }

    /** {@return the next varint, a length that must fit in the remaining bytes} */
    public int length() {
      long len = varint();
      if (len < 0 || len > remaining()) {
        throw invalid("length " + Long.toUnsignedString(len) + " runs past the end of the frame");
      }
      return (int) len;
    }

    /** {@return the next bare string: varint length + UTF-8 bytes} */
    public String string() {
      int len = length();
      String s = buf.getString(pos, pos + len, "UTF-8");
      pos += len;
      return s;
    }

    /**
     * Reads {@code n} raw bytes.
     *
     * @param n the number of bytes
     * @return a copy of them
     */
    public byte[] bytes(int n) {
      need(n);
      byte[] b = buf.getBytes(pos, pos + n);
      pos += n;
      return b;
    }

    /** {@return the next typed value} */
    public TypedValue typedValue() {
      int tb = u8();
      int code = tb & 0x0F;
      return switch (code) {
        case 0 -> TypedValue.nil();
        case 1 -> TypedValue.bool((tb & 0x10) != 0);
        case 2 -> TypedValue.int32((int) varint());
        case 3 -> {
          long v = varint();
          if (v < 0 || v > 0xFFFF_FFFFL) {
            throw invalid("UINT32 out of range: " + Long.toUnsignedString(v));
          }
          yield TypedValue.uint32(v);
        }
        case 4 -> TypedValue.int64(varint());
        case 5 -> TypedValue.uint64(varint());
        case 6 -> TypedValue.ip((Inet4Address) TypedValue.parse(ipv4(bytes(4))));
        case 7 -> TypedValue.ip(TypedValue.inet6(bytes(16)));
        case 8 -> TypedValue.string(string());
        case 9 -> TypedValue.binary(bytes(length()));
        default -> throw invalid("reserved data type " + code + " (type byte 0x" + Integer.toHexString(tb) + ")");
      };
    }

    /** {@return the unread bytes as a view; nothing is left to read after} */
    public Buffer rest() {
      Buffer b = buf.slice(pos, end);
      pos = end;
      return b;
    }

    private void need(int n) {
      if (n < 0 || end - pos < n) {
        throw invalid("need " + n + " bytes at offset " + pos + " but only " + (end - pos) + " remain");
      }
    }

    private static String ipv4(byte[] b) {
      return (b[0] & 0xFF) + "." + (b[1] & 0xFF) + "." + (b[2] & 0xFF) + "." + (b[3] & 0xFF);
    }
  }
}
