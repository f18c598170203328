package io.spoavertx.handler;

import io.spoavertx.codec.DisconnectStatus;
import io.spoavertx.codec.SpopException;
import io.spoavertx.codec.SpopReader;
import io.spoavertx.codec.SpopWriter;
import io.vertx.core.buffer.Buffer;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The actions a handler returns for one message, built fluently:
 * {@code Actions.create().setVar(Scope.TXN, "score", 42).setVar(Scope.TXN, "deny", true)}.
 *
 * <p>Actions are kept in their SPOP wire encoding, so the agent copies them into the ACK as they
 * are and the cluster codec ships them without re-encoding. Once handed back to the agent they are
 * frozen: a later change throws {@link IllegalStateException}.
 */
public final class Actions {

  private static final Actions NONE = new Actions(Buffer.buffer(0), 0, true);

  private final Buffer encoded;
  private int count;
  private volatile boolean frozen;

  private Actions(Buffer encoded, int count, boolean frozen) {
    this.encoded = encoded;
    this.count = count;
    this.frozen = frozen;
  }

  /** An empty, mutable list of actions. */
  public static Actions create() {
    return new Actions(Buffer.buffer(32), 0, false); // most lists are a few set-vars: under 32 bytes
  }

  /** The shared empty list: no variable is set. */
  public static Actions none() {
    return NONE;
  }

  public Actions setVar(Scope scope, String name, int value) {
    begin(scope, name);
    SpopWriter.writeInt32(encoded, value);
    return this;
  }

  public Actions setVar(Scope scope, String name, long value) {
    begin(scope, name);
    SpopWriter.writeInt64(encoded, value);
    return this;
  }

  public Actions setVar(Scope scope, String name, boolean value) {
    begin(scope, name);
    SpopWriter.writeBool(encoded, value);
    return this;
  }

  public Actions setVar(Scope scope, String name, String value) {
    begin(scope, name);
    SpopWriter.writeString(encoded, value);
    return this;
  }

  public Actions setVar(Scope scope, String name, InetAddress value) {
    begin(scope, name);
    SpopWriter.writeAddress(encoded, value);
    return this;
  }

  /** Sets a BINARY variable. */
  public Actions setVar(Scope scope, String name, Buffer value) {
    begin(scope, name);
    SpopWriter.writeBinary(encoded, value);
    return this;
  }

  /** Sets a BINARY variable. */
  public Actions setVar(Scope scope, String name, byte[] value) {
    begin(scope, name);
    SpopWriter.writeBinary(encoded, value);
    return this;
  }

  public Actions setVarUint32(Scope scope, String name, long value) {
    if (value < 0 || value > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("UINT32 out of range: " + value);
    }
    begin(scope, name);
    SpopWriter.writeUint32(encoded, value);
    return this;
  }

  /** Sets a UINT64 variable; {@code value} is read as an unsigned 64-bit pattern. */
  public Actions setVarUint64(Scope scope, String name, long value) {
    begin(scope, name);
    SpopWriter.writeUint64(encoded, value);
    return this;
  }

  public Actions unsetVar(Scope scope, String name) {
    checkMutable();
    checkName(name);
    SpopWriter.writeUnsetVar(encoded, scope.code(), name);
    count++;
    return this;
  }

  /** Number of actions. */
  public int size() {
    return count;
  }

  public boolean isEmpty() {
    return count == 0;
  }

  /** The actions in SPOP encoding, as they go into an ACK payload. Do not modify. */
  public Buffer encoded() {
    return encoded;
  }

  /** Makes this list immutable; the agent does so when it takes the actions. */
  public Actions freeze() {
    frozen = true;
    return this;
  }

  /** The actions decoded back into values (for tests, logs and tools, not the hot path). */
  public List<Action> list() {
    List<Action> out = new ArrayList<>(count);
    SpopReader r = new SpopReader(encoded, 0, encoded.length());
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
   * {@link SpopException} if the bytes are not a valid action list.
   */
  public static Actions decode(Buffer encoded) {
    SpopReader r = new SpopReader(encoded, 0, encoded.length());
    int n = 0;
    while (r.hasRemaining()) {
      int type = r.readU8();
      int nbArgs = r.readU8();
      r.readU8();
      r.skip(r.readLength());
      if (type == SpopWriter.ACTION_SET_VAR && nbArgs == 3) {
        r.skipTypedValue();
      } else if (type != SpopWriter.ACTION_UNSET_VAR || nbArgs != 2) {
        throw new SpopException(DisconnectStatus.INVALID_FRAME,
            "unknown action type " + type);
      }
      n++;
    }
    return new Actions(encoded, n, true);
  }

  @Override
  public String toString() {
    return "Actions" + list();
  }

  private void begin(Scope scope, String name) {
    checkMutable();
    checkName(name);
    SpopWriter.beginSetVar(encoded, scope.code(), name);
    count++;
  }

  private void checkMutable() {
    if (frozen) {
      throw new IllegalStateException("these actions were already handed to the agent");
    }
  }

  /** HAProxy variable names are letters, digits, '.' and '_' (configuration.txt, "set-var"). */
  private static void checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("variable name must not be empty");
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
