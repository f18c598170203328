package io.spoavertx.handler;

import io.spoavertx.codec.DisconnectStatus;
import io.spoavertx.codec.SpopException;
import io.spoavertx.codec.SpopReader;
import io.spoavertx.codec.SpopWriter;
import io.spoavertx.codec.TypeCode;
import io.vertx.core.buffer.Buffer;

import java.net.InetAddress;

/**
 * One SPOE message of a NOTIFY frame: its name and its named, typed arguments.
 *
 * <p>A message is an immutable view over the bytes of the frame it arrived in: nothing is decoded
 * until asked for, and lookups by name scan the arguments in place without allocating. STRING and
 * BINARY values are decoded on access; {@link #getBinary} returns a slice, not a copy.
 * Getters return null when the argument is absent or was sent as NULL (a missing sample).
 */
public final class SpoeMessage {

  private final Buffer buf;
  private final int start;
  private final int end;
  private final String name;
  private final int argsStart;
  private final int argCount;

  /**
   * For the agent, which has validated the bytes: {@code [start, end)} holds the encoded message,
   * {@code argsStart} is the offset of the first argument.
   */
  public SpoeMessage(Buffer buf, int start, int end, String name, int argsStart, int argCount) {
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.name = name;
    this.argsStart = argsStart;
    this.argCount = argCount;
  }

  /**
   * Decodes one message in SPOP encoding (name, nb-args, arguments), e.g. from the cluster codec.
   * Throws {@link SpopException} if the bytes are not exactly one valid message.
   */
  public static SpoeMessage decode(Buffer bytes) {
    SpopReader r = new SpopReader(bytes, 0, bytes.length());
    String name = r.readString();
    int nbArgs = r.readU8();
    int argsStart = r.pos();
    for (int i = 0; i < nbArgs; i++) {
      r.skip(r.readLength());
      r.skipTypedValue();
    }
    if (r.hasRemaining()) {
      throw new SpopException(DisconnectStatus.INVALID_FRAME,
          "bytes after the message");
    }
    return new SpoeMessage(bytes, 0, bytes.length(), name, argsStart, nbArgs);
  }

  /** Convenience for tests and tools: a message from names and Java values. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  public int argCount() {
    return argCount;
  }

  /** Name of argument {@code i}; unnamed arguments have the empty name. */
  public String argName(int i) {
    SpopReader r = at(i);
    return r.readString();
  }

  public DataType argType(int i) {
    SpopReader r = at(i);
    r.skip(r.readLength());
    return DataType.fromCode(buf.getUnsignedByte(r.pos()) & 0x0F);
  }

  /** Value of argument {@code i} as a Java object (see {@link Action.SetVar} for the mapping). */
  public Object argValue(int i) {
    SpopReader r = at(i);
    r.skip(r.readLength());
    return r.readTypedValue();
  }

  /** Index of the first argument named {@code argName}, or -1. */
  public int indexOf(String argName) {
    SpopReader r = new SpopReader(buf, argsStart, end);
    for (int i = 0; i < argCount; i++) {
      int len = r.readLength();
      if (SpopReader.nameEquals(buf, r.pos(), len, argName)) {
        return i;
      }
      r.skip(len);
      r.skipTypedValue();
    }
    return -1;
  }

  public boolean contains(String argName) {
    return indexOf(argName) >= 0;
  }

  /** Type of the named argument, or null if there is none. */
  public DataType typeOf(String argName) {
    int at = rawValueOffset(argName);
    return at < 0 ? null : DataType.fromCode(buf.getUnsignedByte(at) & 0x0F);
  }

  /** The named argument as a Java object; null if absent or NULL. */
  public Object get(String argName) {
    int at = valueOffset(argName);
    return at < 0 ? null : new SpopReader(buf, at, end).readTypedValue();
  }

  /** Text of a STRING or BINARY argument (UTF-8); other types as {@code String.valueOf}. */
  public String getString(String argName) {
    int at = valueOffset(argName);
    if (at < 0) {
      return null;
    }
    int type = buf.getUnsignedByte(at) & 0x0F;
    if (type == TypeCode.STRING || type == TypeCode.BINARY) {
      SpopReader r = new SpopReader(buf, at + 1, end);
      int len = r.readLength();
      return buf.getString(r.pos(), r.pos() + len, "UTF-8");
    }
    Object v = new SpopReader(buf, at, end).readTypedValue();
    return v == null ? null : (v instanceof InetAddress ? ((InetAddress) v).getHostAddress() : String.valueOf(v));
  }

  /** Value of an integer argument (any of the four integer types); null otherwise. */
  public Long getLong(String argName) {
    int at = valueOffset(argName);
    if (at < 0) {
      return null;
    }
    int type = buf.getUnsignedByte(at) & 0x0F;
    if (type < TypeCode.INT32 || type > TypeCode.UINT64) {
      return null;
    }
    long v = new SpopReader(buf, at + 1, end).readVarint();
    return type == TypeCode.INT32 ? (long) (int) v : v;
  }

  /** Value of an integer argument, or {@code defaultValue} if absent, NULL or not an integer. */
  public long getLong(String argName, long defaultValue) {
    Long v = getLong(argName);
    return v == null ? defaultValue : v;
  }

  /** Value of a BOOL argument; null otherwise. */
  public Boolean getBoolean(String argName) {
    int at = valueOffset(argName);
    if (at < 0) {
      return null;
    }
    int typeByte = buf.getUnsignedByte(at);
    return (typeByte & 0x0F) == TypeCode.BOOL ? (typeByte & 0x10) != 0 : null;
  }

  /** Value of an IPV4 or IPV6 argument; null otherwise. */
  public InetAddress getAddress(String argName) {
    int at = valueOffset(argName);
    if (at < 0) {
      return null;
    }
    int type = buf.getUnsignedByte(at) & 0x0F;
    return type == TypeCode.IPV4 || type == TypeCode.IPV6
        ? (InetAddress) new SpopReader(buf, at, end).readTypedValue() : null;
  }

  /** Bytes of a BINARY or STRING argument as a slice of the frame (no copy); null otherwise. */
  public Buffer getBinary(String argName) {
    int at = valueOffset(argName);
    if (at < 0) {
      return null;
    }
    int type = buf.getUnsignedByte(at) & 0x0F;
    if (type != TypeCode.STRING && type != TypeCode.BINARY) {
      return null;
    }
    SpopReader r = new SpopReader(buf, at + 1, end);
    int len = r.readLength();
    return buf.slice(r.pos(), r.pos() + len);
  }

  /** The message in SPOP encoding, as a slice of the frame (the cluster codec's wire form). */
  public Buffer encoded() {
    return buf.slice(start, end);
  }

  /** Length of the encoded message in bytes. */
  public int encodedLength() {
    return end - start;
  }

  /** Appends the encoded message to {@code out} (one copy, no intermediate buffer). */
  public void writeTo(Buffer out) {
    out.appendBuffer(buf, start, end - start);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(name).append('(');
    for (int i = 0; i < argCount; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      Object v = argValue(i);
      sb.append(argName(i)).append('=').append(v instanceof InetAddress ? ((InetAddress) v).getHostAddress() : v);
    }
    return sb.append(')').toString();
  }

  /** Offset of the named argument's type byte; -1 if absent or NULL. */
  private int valueOffset(String argName) {
    int at = rawValueOffset(argName);
    return at < 0 || (buf.getUnsignedByte(at) & 0x0F) == TypeCode.NULL ? -1 : at;
  }

  private int rawValueOffset(String argName) {
    SpopReader r = new SpopReader(buf, argsStart, end);
    for (int i = 0; i < argCount; i++) {
      int len = r.readLength();
      boolean match = SpopReader.nameEquals(buf, r.pos(), len, argName);
      r.skip(len);
      if (match) {
        return r.pos();
      }
      r.skipTypedValue();
    }
    return -1;
  }

  private SpopReader at(int index) {
    if (index < 0 || index >= argCount) {
      throw new IndexOutOfBoundsException("argument " + index + " of " + argCount);
    }
    SpopReader r = new SpopReader(buf, argsStart, end);
    for (int i = 0; i < index; i++) {
      r.skip(r.readLength());
      r.skipTypedValue();
    }
    return r;
  }

  /** Builds a message from Java values, with HAProxy's default types (integers as INT64). */
  public static final class Builder {
    private final String name;
    private final Buffer args = Buffer.buffer();
    private int count;

    private Builder(String name) {
      this.name = name;
    }

    public Builder arg(String argName, Object value) {
      if (count == 255) {
        throw new IllegalStateException("a message has at most 255 arguments");
      }
      SpopWriter.writeName(args, argName);
      if (value == null) {
        SpopWriter.writeNull(args);
      } else if (value instanceof Boolean) {
        SpopWriter.writeBool(args, (Boolean) value);
      } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
        SpopWriter.writeInt64(args, ((Number) value).longValue());
      } else if (value instanceof InetAddress) {
        SpopWriter.writeAddress(args, (InetAddress) value);
      } else if (value instanceof String) {
        SpopWriter.writeString(args, (String) value);
      } else if (value instanceof Buffer) {
        SpopWriter.writeBinary(args, (Buffer) value);
      } else if (value instanceof byte[]) {
        SpopWriter.writeBinary(args, (byte[]) value);
      } else {
        throw new IllegalArgumentException("no SPOP type for " + value.getClass().getName());
      }
      count++;
      return this;
    }

    public SpoeMessage build() {
      Buffer out = Buffer.buffer(args.length() + name.length() + 8);
      SpopWriter.writeName(out, name);
      out.appendByte((byte) count).appendBuffer(args);
      return decode(out);
    }
  }
}
