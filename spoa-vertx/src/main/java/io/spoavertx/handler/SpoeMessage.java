package io.spoavertx.handler;

import io.spoavertx.codec.DisconnectStatus;
import io.spoavertx.codec.HeapArrays;
import io.spoavertx.codec.SpopException;
import io.spoavertx.codec.SpopReader;
import io.spoavertx.codec.SpopWriter;
import io.spoavertx.codec.TypeCode;
import io.spoavertx.codec.TypedValues;
import io.spoavertx.codec.Varint;
import io.vertx.core.buffer.Buffer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One SPOE message of a NOTIFY frame: its name and its named, typed arguments.
 *
 * <p>A message is a view over the bytes of the frame it arrived in: nothing is decoded until asked
 * for, and lookups scan the arguments in place without allocating (names are compared with the
 * bytes, values decoded from offsets). Only the values returned are allocated: STRING text,
 * InetAddress, boxed numbers, and for {@link #getBinary} a slice of the frame, not a copy. Getters
 * return null when the argument is absent or was sent as NULL (a missing sample).
 *
 * <p><b>Lifetime.</b> The view, and any Buffer it returns ({@link #getBinary}, {@link #encoded},
 * BINARY values of {@link #get} and {@link #argValue}), are valid until the message's handler has
 * answered (completed its future or replied): the agent may then reuse the bytes, and the view
 * object itself for a later message. Call {@link #copy()} to keep a message longer, and copy a
 * returned Buffer to keep it.
 *
 * <p><b>Lookup cost.</b> The message remembers where the last argument found by name or index is (a
 * cursor), and the next lookup starts there, wrapping around once: reading arguments in their order
 * costs about one pass over the message in total, and looking the same one up twice costs nothing
 * more. A lookup still returns the <em>first</em> argument of that name when several share it (as
 * unnamed arguments do): the cursor carries a small filter of the names before it, and when that
 * filter cannot rule out an earlier argument of the name, the arguments before the cursor are
 * scanned as well.
 *
 * <p><b>Threads.</b> The cursor is a hint held in one plain int field, with no lock: a message is
 * read by one handler at a time. Each lookup reads the field once and writes it once, and an int is
 * read and written whole, so two threads reading one message concurrently still get correct
 * answers, only with lookups that may start from a less useful place (without a happens-before
 * edge a thread may see a stale cursor, which is as valid as any other). The bytes are never
 * written.
 */
public final class SpoeMessage {

  /*
   * The cursor packs, in one int (so that a reader never sees half of an update, and the view stays
   * at 40 bytes):
   *   bits  0-15  offset of the cursor argument (its name length), relative to argsStart;
   *   bits 16-23  an 8-bit filter of the names of the arguments before it (nameBit of each): a bit
   *               not set proves that no earlier argument has a name of that bit;
   *   bits 24-31  its index.
   * 0 is the start: argument 0, nothing before it. A cursor whose offset does not fit in 16 bits
   * (arguments past 64 KiB of a message) is not stored: lookups then start from the last one that was.
   */
  private static final int OFFSET_MASK = 0xFFFF;

  /** The bytes; the offsets below are indices in it. Not final: the agent reuses views ({@link #reset}). */
  private byte[] arr;
  private int start;
  private int end;
  private String name;
  private int argsStart;
  private int argCount;
  /** See above; a plain field: one handler reads a message at a time, and int writes are atomic. */
  private int cursor;

  /**
   * For the agent, which has validated the bytes (through {@code MessageViews}): {@code [start, end)}
   * of {@code array} holds the encoded message, {@code argsStart} is the index of the first
   * argument. The message shares the array.
   */
  SpoeMessage(byte[] array, int start, int end, String name, int argsStart, int argCount) {
    reset(array, start, end, name, argsStart, argCount);
  }

  /**
   * For the agent: makes this view show another message, as the constructor over an array does.
   * The agent reuses a view once the message's handler has answered (see the class comment).
   */
  SpoeMessage reset(byte[] array, int start, int end, String name, int argsStart, int argCount) {
    this.arr = array;
    this.start = start;
    this.end = end;
    this.name = name;
    this.argsStart = argsStart;
    this.argCount = argCount;
    this.cursor = 0;
    return this;
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
    int base = HeapArrays.offset(bytes);
    return new SpoeMessage(HeapArrays.array(bytes), base, base + bytes.length(), name, base + argsStart, nbArgs);
  }

  /** Convenience for tests and tools: a message from names and Java values. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * The same message over a heap copy of its bytes (one copy of {@link #encodedLength()} bytes, no
   * re-validation), valid for as long as it is referenced: what a handler keeps beyond its answer.
   */
  public SpoeMessage copy() {
    int len = end - start;
    SpoeMessage copy = new SpoeMessage(Arrays.copyOfRange(arr, start, end), 0, len, name, argsStart - start, argCount);
    copy.cursor = cursor; // relative to argsStart: still right
    return copy;
  }

  public String name() {
    return name;
  }

  public int argCount() {
    return argCount;
  }

  /** Name of argument {@code i}; unnamed arguments have the empty name. */
  public String argName(int i) {
    int at = at(i);
    int b = arr[at] & 0xFF;
    int len = b < 240 ? b : (int) Varint.read(arr, at);
    return utf8(b < 240 ? at + 1 : Varint.end(arr, at), len);
  }

  public DataType argType(int i) {
    return DataType.fromCode(arr[valueOffsetOf(at(i))] & 0x0F);
  }

  /** Value of argument {@code i} as a Java object (see {@link Action.SetVar} for the mapping). */
  public Object argValue(int i) {
    return valueAt(valueOffsetOf(at(i)));
  }

  /** Index of the first argument named {@code argName}, or -1. */
  public int indexOf(String argName) {
    long found = locate(argName);
    return found < 0 ? -1 : (int) (found >>> 32);
  }

  public boolean contains(String argName) {
    return locate(argName) >= 0;
  }

  /** Type of the named argument, or null if there is none. */
  public DataType typeOf(String argName) {
    int at = rawValueOffset(argName);
    return at < 0 ? null : DataType.fromCode(arr[at] & 0x0F);
  }

  /** The named argument as a Java object; null if absent or NULL. */
  public Object get(String argName) {
    int at = rawValueOffset(argName);
    return at < 0 ? null : valueAt(at);
  }

  /** Text of a STRING or BINARY argument (UTF-8); other types as {@code String.valueOf}. */
  public String getString(String argName) {
    int at = valueOffset(argName);
    if (at < 0) {
      return null;
    }
    int type = arr[at] & 0x0F;
    if (type == TypeCode.STRING || type == TypeCode.BINARY) {
      int lenAt = at + 1;
      int b = arr[lenAt] & 0xFF;
      return b < 240 ? utf8(lenAt + 1, b) : utf8(Varint.end(arr, lenAt), (int) Varint.read(arr, lenAt));
    }
    Object v = valueAt(at);
    return v instanceof InetAddress ? ((InetAddress) v).getHostAddress() : String.valueOf(v);
  }

  /** Value of an integer argument (any of the four integer types); null otherwise. */
  public Long getLong(String argName) {
    int at = valueOffset(argName);
    if (at < 0) {
      return null;
    }
    int type = arr[at] & 0x0F;
    if (type < TypeCode.INT32 || type > TypeCode.UINT64) {
      return null;
    }
    return longValue(type, at);
  }

  /** Value of an integer argument, or {@code defaultValue} if absent, NULL or not an integer. */
  public long getLong(String argName, long defaultValue) {
    int at = valueOffset(argName);
    if (at < 0) {
      return defaultValue;
    }
    int type = arr[at] & 0x0F;
    return type < TypeCode.INT32 || type > TypeCode.UINT64 ? defaultValue : longValue(type, at);
  }

  /** Value of a BOOL argument; null otherwise. */
  public Boolean getBoolean(String argName) {
    int at = valueOffset(argName);
    if (at < 0) {
      return null;
    }
    int typeByte = arr[at];
    return (typeByte & 0x0F) == TypeCode.BOOL ? (typeByte & 0x10) != 0 : null;
  }

  /** Value of an IPV4 or IPV6 argument; null otherwise. */
  public InetAddress getAddress(String argName) {
    int at = valueOffset(argName);
    if (at < 0) {
      return null;
    }
    int type = arr[at] & 0x0F;
    return type == TypeCode.IPV4 ? address(at + 1, 4)
        : type == TypeCode.IPV6 ? address(at + 1, 16) : null;
  }

  /**
   * Bytes of a BINARY or STRING argument as a slice of the frame (no copy; valid as long as the
   * message, see the class comment); null otherwise.
   */
  public Buffer getBinary(String argName) {
    int at = valueOffset(argName);
    if (at < 0) {
      return null;
    }
    int type = arr[at] & 0x0F;
    if (type != TypeCode.STRING && type != TypeCode.BINARY) {
      return null;
    }
    int lenAt = at + 1;
    int b = arr[lenAt] & 0xFF;
    int data = b < 240 ? lenAt + 1 : Varint.end(arr, lenAt);
    int len = b < 240 ? b : (int) Varint.read(arr, lenAt);
    return HeapArrays.wrap(arr, data, len);
  }

  /**
   * The message in SPOP encoding, as a slice of the frame (the cluster codec's wire form; valid as
   * long as the message, see the class comment).
   */
  public Buffer encoded() {
    return HeapArrays.wrap(arr, start, end - start);
  }

  /** Length of the encoded message in bytes. */
  public int encodedLength() {
    return end - start;
  }

  /** Appends the encoded message to {@code out} (one copy, no intermediate buffer). */
  public void writeTo(Buffer out) {
    out.appendBytes(arr, start, end - start);
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
    return at < 0 || (arr[at] & 0x0F) == TypeCode.NULL ? -1 : at;
  }

  /** Offset of the named argument's type byte; -1 if absent. */
  private int rawValueOffset(String argName) {
    long found = locate(argName);
    return found < 0 ? -1 : valueOffsetOf((int) found);
  }

  /**
   * Finds the first argument named {@code argName}: {@code index << 32 | offset of its name}, or
   * -1. Starts at the cursor, wraps around once, and leaves the cursor on what it found.
   */
  private long locate(String argName) {
    int n = argCount;
    if (n == 0) {
      return -1;
    }
    int queryBit = queryBit(argName);
    int c = cursor;
    int from = c >>> 24;
    int before = c >>> 16 & 0xFF; // names of [0, from)
    int p = argsStart + (c & OFFSET_MASK);
    int seen = 0; // names of [from, found) or [from, n)
    int found = -1;
    int foundAt = -1;
    for (int i = from; i < n; i++) {
      int b = arr[p] & 0xFF;
      int len = b < 240 ? b : (int) Varint.read(arr, p);
      int nameAt = b < 240 ? p + 1 : Varint.end(arr, p);
      if (SpopReader.nameEquals(arr, nameAt, len, argName)) {
        if ((before & queryBit) == 0) {
          save(i, p, before | seen); // no earlier argument can have this name
          return (long) i << 32 | p;
        }
        found = i; // the first from the cursor on: see whether one before the cursor comes first
        foundAt = p;
        break;
      }
      seen |= nameBit(nameAt, len);
      p = TypedValues.end(arr, nameAt + len);
    }
    // wrap around: [0, from), in order, so the first match there is the first of all
    p = argsStart;
    int prefix = 0; // names of [0, i)
    for (int i = 0; i < from; i++) {
      int b = arr[p] & 0xFF;
      int len = b < 240 ? b : (int) Varint.read(arr, p);
      int nameAt = b < 240 ? p + 1 : Varint.end(arr, p);
      if (SpopReader.nameEquals(arr, nameAt, len, argName)) {
        save(i, p, prefix);
        return (long) i << 32 | p;
      }
      prefix |= nameBit(nameAt, len);
      p = TypedValues.end(arr, nameAt + len);
    }
    if (found >= 0) {
      save(found, foundAt, prefix | seen);
      return (long) found << 32 | foundAt;
    }
    return -1;
  }

  /** Offset of argument {@code index}'s name; moves the cursor there. */
  private int at(int index) {
    if (index < 0 || index >= argCount) {
      throw new IndexOutOfBoundsException("argument " + index + " of " + argCount);
    }
    int c = cursor;
    int i = c >>> 24;
    int names;
    int p;
    if (i <= index) {
      names = c >>> 16 & 0xFF;
      p = argsStart + (c & OFFSET_MASK);
    } else {
      i = 0;
      names = 0;
      p = argsStart;
    }
    for (; i < index; i++) {
      int b = arr[p] & 0xFF;
      int len = b < 240 ? b : (int) Varint.read(arr, p);
      int nameAt = b < 240 ? p + 1 : Varint.end(arr, p);
      names |= nameBit(nameAt, len);
      p = TypedValues.end(arr, nameAt + len);
    }
    save(index, p, names);
    return p;
  }

  private void save(int index, int nameOffset, int namesBefore) {
    int rel = nameOffset - argsStart;
    if (rel <= OFFSET_MASK) {
      cursor = index << 24 | namesBefore << 16 | rel;
    }
  }

  /** Offset of the type byte of the argument whose name starts at {@code nameOffset}. */
  private int valueOffsetOf(int nameOffset) {
    int b = arr[nameOffset] & 0xFF;
    return b < 240 ? nameOffset + 1 + b : Varint.end(arr, nameOffset) + (int) Varint.read(arr, nameOffset);
  }

  /** Filter bit of a name, from its length and first and last bytes. */
  private int nameBit(int off, int len) {
    return len == 0 ? 1 : bit(len, arr[off], arr[off + len - 1]);
  }

  /** {@link #nameBit} of {@code s}'s UTF-8 encoding when it is ASCII; all bits (unknown) otherwise. */
  private static int queryBit(String s) {
    int n = s.length();
    if (n == 0) {
      return 1;
    }
    char first = s.charAt(0);
    char last = s.charAt(n - 1);
    if (first > 0x7F || last > 0x7F) {
      return -1;
    }
    for (int i = 1; i < n - 1; i++) {
      if (s.charAt(i) > 0x7F) {
        return -1;
      }
    }
    return bit(n, (byte) first, (byte) last);
  }

  private static int bit(int len, byte first, byte last) {
    int h = len * 961 + first * 31 + last;
    return 1 << ((h ^ h >>> 5) & 7);
  }

  private long longValue(int type, int at) {
    return TypedValues.integer(arr, at);
  }

  /** The typed value at {@code at}: {@link TypedValues#read}. */
  private Object valueAt(int at) {
    return TypedValues.read(arr, at);
  }

  /** UTF-8 text of {@code len} bytes at array index {@code off}. */
  private String utf8(int off, int len) {
    return new String(arr, off, len, StandardCharsets.UTF_8);
  }

  private InetAddress address(int off, int n) {
    return TypedValues.address(arr, off, n);
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
