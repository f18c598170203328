package io.spoavertx.handler;

import io.spoavertx.codec.HeapArrays;

import io.spoavertx.codec.DisconnectStatus;
import io.spoavertx.codec.SpopException;
import io.spoavertx.codec.SpopReader;
import io.spoavertx.codec.SpopWriter;
import io.spoavertx.codec.TypeCode;
import io.spoavertx.codec.Varint;
import io.vertx.core.buffer.Buffer;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The actions a handler returns for one message, built fluently:
 * {@code Actions.create().setVar(Scope.TXN, "score", 42).setVar(Scope.TXN, "deny", true)}.
 *
 * <p>Actions are kept in their SPOP wire encoding, in a plain growable byte array (32 bytes at
 * first: most lists are a few set-vars), so the agent copies them into the ACK as they are
 * ({@link #writeTo}) and the cluster codec ships them without re-encoding. Building a list costs
 * this object and that array, nothing per action unless it outgrows the array. Once handed back to
 * the agent they are frozen: a later change throws {@link IllegalStateException}.
 *
 * <p>One thread builds a list; handing it to the agent (completing the handler's future, replying)
 * publishes it, after which it is only read.
 */
public final class Actions {

  /**
   * The longest variable name accepted: 40 characters. HAProxy sets {@code <scope>.<var-prefix>.<name>},
   * written into a 64-byte buffer (63 characters and the terminating NUL; {@code spoe_set_var} in
   * 2.6's {@code src/flt_spoe.c}): 2.6 cuts a longer one and silently sets nothing, 3.x rejects it.
   * The var-prefix ({@code option var-prefix}, by default the {@code spoe-agent}'s name) is
   * HAProxy's, so the agent cannot check the whole: 40 leaves room for the longest scope ("proc."
   * or "sess.", 5), the dot after the prefix and a prefix of up to 17 characters. A handler that
   * sets a longer name fails (counted and logged as a handler failure), rather than HAProxy
   * silently ignoring it.
   */
  public static final int MAX_VAR_NAME_LENGTH = 40;

  private static final byte[] EMPTY = new byte[0];
  private static final Actions NONE = new Actions(EMPTY, 0, 0, true);

  private byte[] bytes;
  private int length;
  private int count;
  private volatile boolean frozen;
  /** {@link #encoded()} of a frozen list, made on first use. */
  private volatile Buffer view;

  private Actions(byte[] bytes, int length, int count, boolean frozen) {
    this.bytes = bytes;
    this.length = length;
    this.count = count;
    this.frozen = frozen;
  }

  /**
   * An empty, mutable list of actions.
   *
   * @return a new list
   */
  public static Actions create() {
    return new Actions(new byte[32], 0, 0, false); // most lists are a few set-vars: under 32 bytes
  }

  /**
   * The shared empty list: no variable is set.
   *
   * @return the empty list, frozen
   */
  public static Actions none() {
    return NONE;
  }

  /**
   * Sets an INT32 variable.
   *
   * @param scope the variable's scope
   * @param name the variable's name, without scope and var-prefix: letters, digits, '.' and '_', at
   *     most {@link #MAX_VAR_NAME_LENGTH} characters
   * @param value the value
   * @return this list
   * @throws IllegalArgumentException if {@code name} is not one HAProxy can set
   * @throws IllegalStateException if the list is frozen
   */
  public Actions setVar(Scope scope, String name, int value) {
    int p = begin(scope, name, 1 + Varint.MAX_BYTES);
    bytes[p++] = TypeCode.INT32;
    length = Varint.write(bytes, p, value);
    return this;
  }

  /**
   * Sets an INT64 variable.
   *
   * @param scope the variable's scope
   * @param name the variable's name, without scope and var-prefix: letters, digits, '.' and '_', at
   *     most {@link #MAX_VAR_NAME_LENGTH} characters
   * @param value the value
   * @return this list
   * @throws IllegalArgumentException if {@code name} is not one HAProxy can set
   * @throws IllegalStateException if the list is frozen
   */
  public Actions setVar(Scope scope, String name, long value) {
    int p = begin(scope, name, 1 + Varint.MAX_BYTES);
    bytes[p++] = TypeCode.INT64;
    length = Varint.write(bytes, p, value);
    return this;
  }

  /**
   * Sets a BOOL variable.
   *
   * @param scope the variable's scope
   * @param name the variable's name, without scope and var-prefix: letters, digits, '.' and '_', at
   *     most {@link #MAX_VAR_NAME_LENGTH} characters
   * @param value the value
   * @return this list
   * @throws IllegalArgumentException if {@code name} is not one HAProxy can set
   * @throws IllegalStateException if the list is frozen
   */
  public Actions setVar(Scope scope, String name, boolean value) {
    int p = begin(scope, name, 1);
    bytes[p++] = (byte) (value ? TypeCode.BOOL_TRUE : TypeCode.BOOL);
    length = p;
    return this;
  }

  /**
   * Sets a STRING variable.
   *
   * @param scope the variable's scope
   * @param name the variable's name, without scope and var-prefix: letters, digits, '.' and '_', at
   *     most {@link #MAX_VAR_NAME_LENGTH} characters
   * @param value the value, encoded as UTF-8
   * @return this list
   * @throws IllegalArgumentException if {@code name} is not one HAProxy can set
   * @throws IllegalStateException if the list is frozen
   */
  @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the ASCII copy, no allocation
  public Actions setVar(Scope scope, String name, String value) {
    check(name); // before the value is read, as a frozen list or a bad name come first
    int n = value.length();
    if (SpopWriter.isAscii(value)) {
      int p = begin(scope, name, 1 + Varint.size(n) + n);
      bytes[p++] = TypeCode.STRING;
      p = Varint.write(bytes, p, n);
      value.getBytes(0, n, bytes, p); // ASCII: one byte per char, as UTF-8 has it
      length = p + n;
    } else {
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      put(scope, name, TypeCode.STRING, utf8, 0, utf8.length);
    }
    return this;
  }

  /**
   * Sets an IPV4 variable for an {@link Inet4Address}, an IPV6 one for any other address.
   *
   * @param scope the variable's scope
   * @param name the variable's name, without scope and var-prefix: letters, digits, '.' and '_', at
   *     most {@link #MAX_VAR_NAME_LENGTH} characters
   * @param value the address
   * @return this list
   * @throws IllegalArgumentException if {@code name} is not one HAProxy can set
   * @throws IllegalStateException if the list is frozen
   */
  public Actions setVar(Scope scope, String name, InetAddress value) {
    check(name); // before the value is read, as a frozen list or a bad name come first
    byte[] raw = value.getAddress();
    int p = begin(scope, name, 1 + raw.length);
    bytes[p++] = (byte) (value instanceof Inet4Address ? TypeCode.IPV4 : TypeCode.IPV6);
    System.arraycopy(raw, 0, bytes, p, raw.length);
    length = p + raw.length;
    return this;
  }

  /**
   * Sets a BINARY variable.
   *
   * @param scope the variable's scope
   * @param name the variable's name, without scope and var-prefix: letters, digits, '.' and '_', at
   *     most {@link #MAX_VAR_NAME_LENGTH} characters
   * @param value the bytes, copied into the list
   * @return this list
   * @throws IllegalArgumentException if {@code name} is not one HAProxy can set
   * @throws IllegalStateException if the list is frozen
   */
  public Actions setVar(Scope scope, String name, Buffer value) {
    check(name); // before the value is read, as a frozen list or a bad name come first
    int n = value.length();
    int p = begin(scope, name, 1 + Varint.size(n) + n);
    bytes[p++] = TypeCode.BINARY;
    p = Varint.write(bytes, p, n);
    value.getBytes(0, n, bytes, p);
    length = p + n;
    return this;
  }

  /**
   * Sets a BINARY variable.
   *
   * @param scope the variable's scope
   * @param name the variable's name, without scope and var-prefix: letters, digits, '.' and '_', at
   *     most {@link #MAX_VAR_NAME_LENGTH} characters
   * @param value the bytes, copied into the list
   * @return this list
   * @throws IllegalArgumentException if {@code name} is not one HAProxy can set
   * @throws IllegalStateException if the list is frozen
   */
  public Actions setVar(Scope scope, String name, byte[] value) {
    check(name); // before the value is read, as a frozen list or a bad name come first
    put(scope, name, TypeCode.BINARY, value, 0, value.length);
    return this;
  }

  /**
   * Sets a UINT32 variable.
   *
   * @param scope the variable's scope
   * @param name the variable's name, without scope and var-prefix: letters, digits, '.' and '_', at
   *     most {@link #MAX_VAR_NAME_LENGTH} characters
   * @param value the value, 0 to 2^32-1
   * @return this list
   * @throws IllegalArgumentException if {@code value} is out of range, or {@code name} is not one
   *     HAProxy can set
   * @throws IllegalStateException if the list is frozen
   */
  public Actions setVarUint32(Scope scope, String name, long value) {
    if (value < 0 || value > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("UINT32 out of range: " + value);
    }
    int p = begin(scope, name, 1 + Varint.MAX_BYTES);
    bytes[p++] = TypeCode.UINT32;
    length = Varint.write(bytes, p, value);
    return this;
  }

  /**
   * Sets a UINT64 variable.
   *
   * @param scope the variable's scope
   * @param name the variable's name, without scope and var-prefix: letters, digits, '.' and '_', at
   *     most {@link #MAX_VAR_NAME_LENGTH} characters
   * @param value the value, read as an unsigned 64-bit pattern
   * @return this list
   * @throws IllegalArgumentException if {@code name} is not one HAProxy can set
   * @throws IllegalStateException if the list is frozen
   */
  public Actions setVarUint64(Scope scope, String name, long value) {
    int p = begin(scope, name, 1 + Varint.MAX_BYTES);
    bytes[p++] = TypeCode.UINT64;
    length = Varint.write(bytes, p, value);
    return this;
  }

  /**
   * Unsets a variable.
   *
   * @param scope the variable's scope
   * @param name the variable's name, without scope and var-prefix: letters, digits, '.' and '_', at
   *     most {@link #MAX_VAR_NAME_LENGTH} characters
   * @return this list
   * @throws IllegalArgumentException if {@code name} is not one HAProxy can set
   * @throws IllegalStateException if the list is frozen
   */
  public Actions unsetVar(Scope scope, String name) {
    length = header(SpopWriter.ACTION_UNSET_VAR, 2, scope, name, 0);
    return this;
  }

  /**
   * Number of actions.
   *
   * @return the number of set-var and unset-var actions
   */
  public int size() {
    return count;
  }

  /**
   * Whether the list holds no action.
   *
   * @return true if {@link #size()} is 0
   */
  public boolean isEmpty() {
    return count == 0;
  }

  /**
   * The actions in SPOP encoding, as they go into an ACK payload. Do not modify. A Buffer over the
   * array, not a copy (a list that is still being built gives a snapshot of what it holds so far);
   * a frozen list makes it once. The agent and the cluster codec use {@link #writeTo} instead,
   * which allocates nothing.
   *
   * @return the encoded actions, empty if there are none
   */
  public Buffer encoded() {
    if (!frozen) {
      return wrap();
    }
    Buffer v = view;
    if (v == null) {
      view = v = wrap();
    }
    return v;
  }

  /**
   * Length of {@link #encoded()} in bytes.
   *
   * @return the length
   */
  public int encodedLength() {
    return length;
  }

  /**
   * Appends the encoded actions to {@code out}: one copy into it, no allocation of its own.
   *
   * @param out the buffer to append to
   */
  public void writeTo(Buffer out) {
    out.appendBytes(bytes, 0, length);
  }

  private Buffer wrap() {
    // Buffer.buffer(byte[]) would copy; this wraps [0, length) of the array as it is
    return HeapArrays.wrap(bytes, 0, length);
  }

  /**
   * Removes every action, keeping the array for the next ones: what the agent does to the list it
   * lends a {@link SpoeHandler.Sync} handler before each use. Not allowed on a frozen list.
   *
   * @return this list
   * @throws IllegalStateException if the list is frozen
   */
  public Actions clear() {
    checkMutable();
    length = 0;
    count = 0;
    return this;
  }

  /**
   * Makes this list immutable; the agent does so when it takes the actions.
   *
   * @return this list
   */
  public Actions freeze() {
    frozen = true;
    return this;
  }

  /**
   * The actions decoded back into values (for tests, logs and tools, not the hot path).
   *
   * @return a new unmodifiable list of the actions, in the order they were added
   */
  public List<Action> list() {
    List<Action> out = new ArrayList<>(count);
    SpopReader r = new SpopReader(wrap(), 0, length);
    while (r.hasRemaining()) {
      int type = r.readU8();
      int nbArgs = r.readU8();
      Scope scope = Scope.fromCode(r.readU8());
      String name = r.readString();
      if (type == SpopWriter.ACTION_SET_VAR && nbArgs == 3) {
        int typeByte = r.buffer().getUnsignedByte(r.pos());
        Object value = r.readTypedValue();
        out.add(new Action.SetVar(scope, name, DataType.fromCode(typeByte & 0x0F), value));
      } else if (type == SpopWriter.ACTION_UNSET_VAR && nbArgs == 2) {
        out.add(new Action.UnsetVar(scope, name));
      } else {
        throw new IllegalStateException("unknown action type " + type + " with " + nbArgs + " args");
      }
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * Reads actions from their SPOP encoding (the cluster codec's wire form); throws
   * {@link SpopException} if the bytes are not a valid action list. The result is frozen and holds
   * a copy of the bytes.
   *
   * @param encoded the action list in SPOP encoding
   * @return the actions, frozen
   */
  public static Actions decode(Buffer encoded) {
    return decode(encoded, 0, encoded.length());
  }

  /**
   * {@link #decode(Buffer)} of {@code [start, end)} of {@code buf}, without slicing it. Every action
   * is checked as {@link #setVar} checks what a handler builds (action type and argument count, a
   * scope of {@link Scope}, a name HAProxy can set, a typed value that is not reserved), so bytes
   * from another node cannot put anything into an ACK that HAProxy would reject.
   *
   * @param buf the buffer holding the encoded actions
   * @param start the index of their first byte
   * @param end the index just past their last byte
   * @return the actions, frozen, over a copy of the bytes
   */
  public static Actions decode(Buffer buf, int start, int end) {
    SpopReader r = new SpopReader(buf, start, end);
    int n = 0;
    while (r.hasRemaining()) {
      int type = r.readU8();
      int nbArgs = r.readU8();
      if (!(type == SpopWriter.ACTION_SET_VAR && nbArgs == 3) && !(type == SpopWriter.ACTION_UNSET_VAR && nbArgs == 2)) {
        throw new SpopException(DisconnectStatus.INVALID_FRAME, "action " + n + ": unknown action type " + type
            + " with " + nbArgs + " arguments");
      }
      int scope = r.readU8();
      if (scope > Scope.RES.code()) {
        throw new SpopException(DisconnectStatus.INVALID_FRAME, "action " + n + ": unknown variable scope " + scope);
      }
      String name = r.readString();
      try {
        checkName(name);
      } catch (IllegalArgumentException e) {
        throw new SpopException(DisconnectStatus.INVALID_FRAME, "action " + n + ": " + e.getMessage());
      }
      if (type == SpopWriter.ACTION_SET_VAR) {
        r.skipTypedValue();
      }
      n++;
    }
    int len = end - start;
    byte[] bytes = len == 0 ? EMPTY : new byte[len];
    buf.getBytes(start, end, bytes, 0);
    return new Actions(bytes, len, n, true);
  }

  @Override
  public String toString() {
    return "Actions" + list();
  }

  /**
   * Writes a SET-VAR header and makes room for a typed value of at most {@code valueSize} bytes;
   * returns the offset of the value. The caller writes it and sets {@link #length}.
   */
  private int begin(Scope scope, String name, int valueSize) {
    return header(SpopWriter.ACTION_SET_VAR, 3, scope, name, valueSize);
  }

  /** A SET-VAR of {@code type} whose value is {@code n} bytes of {@code value} from {@code off}. */
  private void put(Scope scope, String name, int type, byte[] value, int off, int n) {
    int p = begin(scope, name, 1 + Varint.size(n) + n);
    bytes[p++] = (byte) type;
    p = Varint.write(bytes, p, n);
    System.arraycopy(value, off, bytes, p, n);
    length = p + n;
  }

  /**
   * Checks, counts and writes an action header (type, nb-args, scope, name) with room for
   * {@code extra} more bytes; returns the offset just past the header.
   */
  @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int), as above
  private int header(int type, int nbArgs, Scope scope, String name, int extra) {
    check(name); // names are ASCII: one byte per char
    int n = name.length();
    int p = ensure(3 + Varint.size(n) + n + extra);
    byte[] b = bytes;
    b[p++] = (byte) type;
    b[p++] = (byte) nbArgs;
    b[p++] = (byte) scope.code();
    p = Varint.write(b, p, n);
    name.getBytes(0, n, b, p);
    count++;
    return p + n;
  }

  /** Makes room for {@code more} bytes past {@link #length}; returns {@link #length}. */
  private int ensure(int more) {
    int need = length + more;
    if (need > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(need, bytes.length * 2));
    }
    return length;
  }

  private void check(String name) {
    checkMutable();
    checkName(name);
  }

  private void checkMutable() {
    if (frozen) {
      throw new IllegalStateException("these actions were already handed to the agent");
    }
  }

  /**
   * HAProxy variable names are letters, digits, '.' and '_' (configuration.txt, "set-var"), of at
   * most {@link #MAX_VAR_NAME_LENGTH} characters. Also checks the variables a {@link MessageSpec}
   * declares.
   */
  static void checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("variable name must not be empty");
    }
    if (name.length() > MAX_VAR_NAME_LENGTH) {
      throw new IllegalArgumentException("variable name '" + name + "' has " + name.length() + " characters, more than "
          + MAX_VAR_NAME_LENGTH + ": HAProxy writes <scope>.<var-prefix>.<name> into 63 characters and would not set it "
          + "(Actions.MAX_VAR_NAME_LENGTH)");
    }
    for (int i = 0, n = name.length(); i < n; i++) {
      char c = name.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.')) {
        throw new IllegalArgumentException("invalid character '" + c + "' in variable name '" + name
            + "': HAProxy accepts letters, digits, '.' and '_'");
      }
    }
  }
}
