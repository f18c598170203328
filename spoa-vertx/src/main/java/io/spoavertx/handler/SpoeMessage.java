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
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One SPOE message of a NOTIFY frame: its name and its named, typed arguments.
 *
 * <p>A message is a view over the bytes of the frame it arrived in: nothing is decoded until asked
 * for, and lookups scan the arguments in place without allocating (names are compared with the
 * bytes, values decoded from offsets). Only the values returned are allocated: STRING text,
 * InetAddress, boxed numbers, and for {@link #getBinary} a slice of the frame, not a copy. Getters
 * return null when the argument is absent or was sent as NULL (a missing sample), or has another
 * type. To tell these apart, the {@code require...} accessors ({@link #requireLong},
 * {@link #requireString}, ...) and {@link #bind} throw {@link BadArgumentException}, which fails
 * the message with outcome {@code bad_args} and says which argument is wrong and why: a typo in
 * spoe.conf then shows instead of silently giving defaults.
 *
 * <p>{@link #context()} tells where the message comes from and how long its answer is awaited.
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
 * <p><b>Threads.</b> The cursor is a hint in one plain int field, read once and written once per
 * lookup: two threads reading one message concurrently still get correct answers (a stale cursor
 * is as valid as any other), only lookups that may start from a less useful place. The bytes are
 * never written.
 */
public final class SpoeMessage {

  /** Type codes of the integer types, as a mask. */
  static final int INTEGERS = 1 << TypeCode.INT32 | 1 << TypeCode.UINT32 | 1 << TypeCode.INT64 | 1 << TypeCode.UINT64;

  /** The bytes; the offsets below are indices in it. Not final: the agent reuses views ({@link #reset}). */
  byte[] arr;
  private int start;
  private int end;
  /**
   * The message name (a String), or the {@link MessageContext} the agent attached, which holds it:
   * one field for both keeps the view at 40 bytes.
   */
  private Object label;
  int argsStart;
  int argCount;
  /** See {@link ArgCursor}; a plain field: one handler reads a message at a time, and int writes are atomic. */
  int cursor;

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
    this.label = name;
    this.argsStart = argsStart;
    this.argCount = argCount;
    this.cursor = 0;
    return this;
  }

  /**
   * Decodes one message in SPOP encoding (name, nb-args, arguments), e.g. from the cluster codec.
   * Throws {@link SpopException} if the bytes are not exactly one valid message.
   *
   * @param bytes the encoded message; the message is a view over them (over their array when
   *     {@code bytes} is a heap buffer, else over a copy), so they must not change while it is used
   * @return the message, with a context of its own (no ids, no deadline)
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

  /**
   * Convenience for tests and tools: a message from names and Java values.
   *
   * @param name the message name
   * @return a new builder, with no arguments yet
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * The same message over a heap copy of its bytes (one copy of {@link #encodedLength()} bytes, no
   * re-validation), valid for as long as it is referenced: what a handler keeps beyond its answer.
   *
   * @return the copy, with a context of its own (no ids, no deadline)
   */
  public SpoeMessage copy() {
    int len = end - start;
    SpoeMessage copy = new SpoeMessage(Arrays.copyOfRange(arr, start, end), 0, len, name(), argsStart - start, argCount);
    copy.cursor = cursor; // relative to argsStart: still right
    return copy;
  }

  /**
   * The message name, as in {@code spoe-message <name>}.
   *
   * @return the name
   */
  public String name() {
    Object l = label;
    return l instanceof String ? (String) l : ((MessageContext) l).messageName;
  }

  /**
   * Where the message comes from (the NOTIFY's ids, HAProxy's engine id and address, the other
   * messages of the NOTIFY) and how long its answer is awaited (time left, cancellation). For a
   * message the agent read, no allocation; valid as long as the message. A message built or decoded
   * by hand (or a {@link #copy()}) gets a context of its own on the first call, with no ids and no
   * deadline.
   *
   * @return the context
   */
  public MessageContext context() {
    Object l = label;
    if (l instanceof MessageContext) {
      return (MessageContext) l;
    }
    MessageContext detached = MessageContext.detached(this, (String) l);
    label = detached;
    return detached;
  }

  /** For the agent ({@link MessageContext#init}): attaches the message's context, which knows its name. */
  void context(MessageContext context) {
    this.label = context;
  }

  /**
   * The number of arguments.
   *
   * @return the argument count, 0 to 255
   */
  public int argCount() {
    return argCount;
  }

  /**
   * Name of argument {@code i}; unnamed arguments have the empty name.
   *
   * @param i the argument index, 0 to {@link #argCount()} - 1
   * @return the name, decoded from UTF-8
   * @throws IndexOutOfBoundsException if {@code i} is not an argument index
   */
  public String argName(int i) {
    int at = ArgCursor.at(this, i);
    int b = arr[at] & 0xFF;
    int len = b < 240 ? b : (int) Varint.read(arr, at);
    return utf8(b < 240 ? at + 1 : Varint.end(arr, at), len);
  }

  /**
   * Type of argument {@code i}.
   *
   * @param i the argument index, 0 to {@link #argCount()} - 1
   * @return its type, {@link DataType#NULL} for an argument sent as NULL
   * @throws IndexOutOfBoundsException if {@code i} is not an argument index
   */
  public DataType argType(int i) {
    return DataType.fromCode(arr[ArgCursor.valueOffsetOf(arr, ArgCursor.at(this, i))] & 0x0F);
  }

  /**
   * Value of argument {@code i} as a Java object (see {@link Action.SetVar} for the mapping).
   *
   * @param i the argument index, 0 to {@link #argCount()} - 1
   * @return the value: null for NULL, a Buffer over the frame (valid as long as the message) for
   *     BINARY
   * @throws IndexOutOfBoundsException if {@code i} is not an argument index
   */
  public Object argValue(int i) {
    return TypedValues.read(arr, ArgCursor.valueOffsetOf(arr, ArgCursor.at(this, i)));
  }

  /**
   * Index of the first argument named {@code argName}, or -1.
   *
   * @param argName the argument name
   * @return its index, or -1 if no argument has that name
   */
  public int indexOf(String argName) {
    long found = ArgCursor.locate(this, argName);
    return found < 0 ? -1 : (int) (found >>> 32);
  }

  /**
   * Whether an argument is named {@code argName}, whatever its type (NULL included).
   *
   * @param argName the argument name
   * @return true if the message has an argument of that name
   */
  public boolean contains(String argName) {
    return ArgCursor.locate(this, argName) >= 0;
  }

  /**
   * Type of the named argument, or null if there is none.
   *
   * @param argName the argument name
   * @return the type of the first argument of that name ({@link DataType#NULL} if sent as NULL),
   *     or null if there is none
   */
  public DataType typeOf(String argName) {
    int at = rawValueOffset(argName);
    return at < 0 ? null : DataType.fromCode(arr[at] & 0x0F);
  }

  /**
   * The named argument as a Java object; null if absent or NULL.
   *
   * @param argName the argument name
   * @return the value of the first argument of that name, as {@link #argValue} gives it; null if
   *     there is none or it is NULL
   */
  public Object get(String argName) {
    int at = rawValueOffset(argName);
    return at < 0 ? null : TypedValues.read(arr, at);
  }

  /**
   * Text of a STRING or BINARY argument (UTF-8); other types as {@code String.valueOf}.
   *
   * @param argName the argument name
   * @return the bytes of a STRING or BINARY argument decoded from UTF-8; for another type its
   *     value as text ({@code "true"}, {@code "42"}, an address as
   *     {@link InetAddress#getHostAddress()}, a UINT64 above {@code Long.MAX_VALUE} as a negative
   *     number); null if absent or NULL
   */
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
    Object v = TypedValues.read(arr, at);
    return v instanceof InetAddress ? ((InetAddress) v).getHostAddress() : String.valueOf(v);
  }

  /**
   * Value of an integer argument (any of the four integer types); null otherwise.
   *
   * @param argName the argument name
   * @return its value (INT32 sign-extended, UINT64 as its bit pattern); null if absent, NULL or not
   *     an integer
   */
  public Long getLong(String argName) {
    int at = valueOffset(argName);
    if (at < 0) {
      return null;
    }
    int type = arr[at] & 0x0F;
    if (type < TypeCode.INT32 || type > TypeCode.UINT64) {
      return null;
    }
    return TypedValues.integer(arr, at);
  }

  /**
   * Value of an integer argument, or {@code defaultValue} if absent, NULL or not an integer.
   *
   * @param argName the argument name
   * @param defaultValue what to return when there is no integer value
   * @return its value (as {@link #getLong(String)} gives it), or {@code defaultValue}
   */
  public long getLong(String argName, long defaultValue) {
    int at = valueOffset(argName);
    if (at < 0) {
      return defaultValue;
    }
    int type = arr[at] & 0x0F;
    return type < TypeCode.INT32 || type > TypeCode.UINT64 ? defaultValue : TypedValues.integer(arr, at);
  }

  /**
   * Value of a BOOL argument; null otherwise.
   *
   * @param argName the argument name
   * @return its value; null if absent, NULL or of another type
   */
  public Boolean getBoolean(String argName) {
    int at = valueOffset(argName);
    if (at < 0) {
      return null;
    }
    int typeByte = arr[at];
    return (typeByte & 0x0F) == TypeCode.BOOL ? (typeByte & 0x10) != 0 : null;
  }

  /**
   * Value of an IPV4 or IPV6 argument; null otherwise.
   *
   * @param argName the argument name
   * @return a new address (an IPV6 one holding an IPv4-mapped address comes back as an
   *     Inet4Address, as {@link InetAddress#getByAddress(byte[])} makes it); null if absent, NULL or
   *     of another type
   */
  public InetAddress getAddress(String argName) {
    int at = valueOffset(argName);
    if (at < 0) {
      return null;
    }
    int type = arr[at] & 0x0F;
    return type == TypeCode.IPV4 ? TypedValues.address(arr, at + 1, 4)
        : type == TypeCode.IPV6 ? TypedValues.address(arr, at + 1, 16) : null;
  }

  /**
   * Bytes of a BINARY or STRING argument as a slice of the frame (no copy; valid as long as the
   * message, see the class comment); null otherwise.
   *
   * @param argName the argument name
   * @return its bytes (for STRING, the bytes of its text); null if absent, NULL or of another type
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
   * Value of an integer argument (INT32, UINT32, INT64 or UINT64; UINT64 as its bit pattern).
   *
   * @param argName the argument name
   * @return its value
   * @throws BadArgumentException if it is missing, NULL or of another type
   */
  public long requireLong(String argName) {
    return TypedValues.integer(arr, require(argName, INTEGERS, "an integer"));
  }

  /**
   * Text of a STRING argument (a BINARY one is refused: read it with {@link #requireBinary}).
   *
   * @param argName the argument name
   * @return its text, decoded from UTF-8
   * @throws BadArgumentException if it is missing, NULL or of another type
   */
  public String requireString(String argName) {
    int at = require(argName, 1 << TypeCode.STRING, "STRING") + 1;
    int b = arr[at] & 0xFF;
    return b < 240 ? utf8(at + 1, b) : utf8(Varint.end(arr, at), (int) Varint.read(arr, at));
  }

  /**
   * Value of an IPV4 or IPV6 argument.
   *
   * @param argName the argument name
   * @return the address
   * @throws BadArgumentException if it is missing, NULL or of another type
   */
  public InetAddress requireAddress(String argName) {
    int at = require(argName, 1 << TypeCode.IPV4 | 1 << TypeCode.IPV6, "IPV4 or IPV6");
    return TypedValues.address(arr, at + 1, (arr[at] & 0x0F) == TypeCode.IPV4 ? 4 : 16);
  }

  /**
   * Value of a BOOL argument.
   *
   * @param argName the argument name
   * @return its value
   * @throws BadArgumentException if it is missing, NULL or of another type
   */
  public boolean requireBoolean(String argName) {
    return (arr[require(argName, 1 << TypeCode.BOOL, "BOOL")] & 0x10) != 0;
  }

  /**
   * Bytes of a BINARY or STRING argument, as {@link #getBinary} gives them (a slice of the frame).
   *
   * @param argName the argument name
   * @return its bytes, valid as long as the message
   * @throws BadArgumentException if it is missing, NULL or of another type
   */
  public Buffer requireBinary(String argName) {
    require(argName, 1 << TypeCode.STRING | 1 << TypeCode.BINARY, "BINARY or STRING");
    return getBinary(argName); // the cursor is on it: no second scan
  }

  /**
   * The arguments as a record whose components are read like the {@code require...} accessors:
   * see {@link SpoeHandler#bound} for how components and arguments are matched. The record's
   * shape is checked once per class, the names matched once per message name.
   *
   * @param type the record class
   * @param <R> the record type
   * @return a new record of the argument values
   * @throws BadArgumentException if an argument is missing, NULL or of another type than its component
   * @throws IllegalArgumentException if the record has a component of a type no argument maps to
   */
  public <R extends Record> R bind(Class<R> type) {
    return ArgsBinder.of(type).bind(this);
  }

  /**
   * Whether argument {@code i} is named {@code argName}, compared in the frame's bytes (no String
   * is created, unlike {@code argName(i).equals(argName)}).
   *
   * @param i the argument index
   * @param argName a name
   * @return whether the names are equal
   * @throws IndexOutOfBoundsException if {@code i} is not an argument index
   */
  public boolean argNameEquals(int i, String argName) {
    int at = ArgCursor.at(this, i);
    int b = arr[at] & 0xFF;
    return b < 240 ? SpopReader.nameEquals(arr, at + 1, b, argName)
        : SpopReader.nameEquals(arr, Varint.end(arr, at), (int) Varint.read(arr, at), argName);
  }

  /**
   * The message in SPOP encoding, as a slice of the frame (the cluster codec's wire form; valid as
   * long as the message, see the class comment).
   *
   * @return the encoded message: name, nb-args, arguments
   */
  public Buffer encoded() {
    return HeapArrays.wrap(arr, start, end - start);
  }

  /**
   * Length of the encoded message in bytes.
   *
   * @return the length of {@link #encoded()}
   */
  public int encodedLength() {
    return end - start;
  }

  /**
   * Appends the encoded message to {@code out} (one copy, no intermediate buffer).
   *
   * @param out the buffer to append to
   */
  public void writeTo(Buffer out) {
    out.appendBytes(arr, start, end - start);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(name()).append('(');
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

  /**
   * Offset of the named argument's type byte, whose type code must be in the mask {@code types};
   * else {@link BadArgumentException} saying it is missing, NULL or not {@code expected}.
   */
  int require(String argName, int types, String expected) {
    int at = rawValueOffset(argName);
    int type = at < 0 ? -1 : arr[at] & 0x0F;
    if (type < 0 || (types & 1 << type) == 0) {
      throw BadArgumentException.of(this, argName, type < 0 ? null : DataType.fromCode(type), expected);
    }
    return at;
  }

  /** Offset of the named argument's type byte; -1 if absent. */
  int rawValueOffset(String argName) {
    long found = ArgCursor.locate(this, argName);
    return found < 0 ? -1 : ArgCursor.valueOffsetOf(arr, (int) found);
  }

  /** UTF-8 text of {@code len} bytes at array index {@code off}. */
  private String utf8(int off, int len) {
    return new String(arr, off, len, StandardCharsets.UTF_8);
  }

  /** Builds a message from Java values, with HAProxy's default types (integers as INT64). */
  public static final class Builder {
    private final String name;
    private final Buffer args = Buffer.buffer();
    private int count;

    private Builder(String name) {
      this.name = name;
    }

    /**
     * Adds an argument. Its type follows the value's class: null is NULL, Boolean BOOL, Integer,
     * Long and Short INT64, InetAddress IPV4 or IPV6 (Inet4Address or not), String STRING, Buffer
     * and {@code byte[]} BINARY (copied).
     *
     * @param argName the argument name; the empty name for an unnamed argument
     * @param value the value
     * @return this builder
     * @throws IllegalArgumentException if the value's class has no SPOP type
     * @throws IllegalStateException if the message already has 255 arguments
     */
    public Builder arg(String argName, Object value) {
      if (count == 255) {
        throw new IllegalStateException("a message has at most 255 arguments");
      }
      SpopWriter.writeName(args, argName);
      SpopWriter.writeValue(args, value);
      count++;
      return this;
    }

    /**
     * Builds the message with the arguments added so far, in their order.
     *
     * @return a new message over bytes of its own, with a context of its own (no ids, no deadline)
     */
    public SpoeMessage build() {
      Buffer out = Buffer.buffer(args.length() + name.length() + 8);
      SpopWriter.writeName(out, name);
      out.appendByte((byte) count).appendBuffer(args);
      return decode(out);
    }
  }
}
