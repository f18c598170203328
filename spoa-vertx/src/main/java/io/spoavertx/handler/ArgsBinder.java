package io.spoavertx.handler;

import io.spoavertx.codec.TypeCode;
import io.vertx.core.buffer.Buffer;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Binds a message's arguments to a record ({@link SpoeMessage#bind}, {@link SpoeHandler#bound}).
 * The record's shape is checked and its constructor found once per class; which argument name each
 * component reads is found once per message name; per message only the values are read, each
 * type-checked as the {@code require...} accessors do. Thread-safe.
 */
final class ArgsBinder<R extends Record> {

  private static final ClassValue<ArgsBinder<?>> BY_CLASS = new ClassValue<>() {
    @Override
    protected ArgsBinder<?> computeValue(Class<?> type) {
      return new ArgsBinder<>(type.asSubclass(Record.class));
    }
  };
  /** Message names whose argument names are remembered; past it they are matched per message. */
  private static final int MAX_NAMES = 256;

  private final Class<R> type;
  private final Component[] components;
  /** The canonical constructor, as {@code (Object[]) -> Object}. */
  private final MethodHandle constructor;
  /** Per message name, the index in each component's {@link Component#candidates} of the name it reads. */
  private final ConcurrentHashMap<String, int[]> chosen = new ConcurrentHashMap<>();

  private ArgsBinder(Class<R> type) {
    this.type = type;
    RecordComponent[] rc = type.getRecordComponents();
    if (rc == null) {
      throw new IllegalArgumentException(type.getName() + " is not a record");
    }
    components = new Component[rc.length];
    Class<?>[] params = new Class<?>[rc.length];
    for (int i = 0; i < rc.length; i++) {
      components[i] = new Component(type, rc[i].getName(), rc[i].getType());
      params[i] = rc[i].getType();
    }
    try {
      ArgsBinder.class.getModule().addReads(type.getModule());
      Constructor<R> c = type.getDeclaredConstructor(params);
      c.trySetAccessible();
      constructor = MethodHandles.lookup().unreflectConstructor(c).asSpreader(Object[].class, params.length)
          .asType(MethodType.methodType(Object.class, Object[].class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalArgumentException("cannot call the constructor of record " + type.getName()
          + " (make it public, or open its package to module io.spoavertx): " + e, e);
    }
  }

  /**
   * The binder of {@code type}, checked on the first call.
   *
   * @throws IllegalArgumentException if a component has a type no argument maps to, or the
   *     constructor cannot be called
   */
  @SuppressWarnings("unchecked")
  static <R extends Record> ArgsBinder<R> of(Class<R> type) {
    return (ArgsBinder<R>) BY_CLASS.get(type);
  }

  /** A new record of {@code m}'s arguments; {@link BadArgumentException} if one does not fit. */
  R bind(SpoeMessage m) {
    String name = m.name();
    int[] names = chosen.get(name);
    if (names == null) {
      names = new int[components.length];
      for (int k = 0; k < components.length; k++) {
        names[k] = components[k].find(m, 0);
      }
      if (chosen.size() < MAX_NAMES) {
        chosen.put(name, names);
      }
    }
    Object[] values = new Object[components.length];
    for (int k = 0; k < components.length; k++) {
      Component c = components[k];
      int n = names[k];
      if (!m.contains(c.candidates[n])) {
        // another spelling in this message (HAProxy's configuration changed): remembered from now on
        int other = c.find(m, n);
        if (other != n) {
          int[] updated = names.clone();
          updated[k] = other;
          chosen.put(name, updated);
          names = updated;
          n = other;
        }
      }
      values[k] = c.read(m, c.candidates[n]);
    }
    try {
      return type.cast((Object) constructor.invokeExact(values));
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("constructor of " + type.getName() + " failed", t);
    }
  }

  /** How many message names have their argument names matched (for tests). */
  int messageNamesMatched() {
    return chosen.size();
  }

  /** What a component reads. */
  private enum Kind {
    LONG(SpoeMessage.INTEGERS, "an integer"),
    INT(SpoeMessage.INTEGERS, "an integer in int's range"),
    BOOLEAN(1 << TypeCode.BOOL, "BOOL"),
    STRING(1 << TypeCode.STRING, "STRING"),
    ADDRESS(1 << TypeCode.IPV4 | 1 << TypeCode.IPV6, "IPV4 or IPV6"),
    BUFFER(1 << TypeCode.STRING | 1 << TypeCode.BINARY, "BINARY or STRING"),
    BYTES(1 << TypeCode.STRING | 1 << TypeCode.BINARY, "BINARY or STRING"),
    ANY(-1 & ~1, "any type");

    final int types;
    final String expected;

    Kind(int types, String expected) {
      this.types = types;
      this.expected = expected;
    }
  }

  /** One record component: what it reads, whether it must be there, the argument names it matches. */
  private static final class Component {
    final String name;
    final Kind kind;
    /** Primitive components need a value; the others are null when the argument is absent or NULL. */
    final boolean required;
    /** The component's name, then its kebab-case and snake_case spellings if they differ. */
    final String[] candidates;

    Component(Class<?> record, String name, Class<?> t) {
      this.name = name;
      this.required = t.isPrimitive();
      if (t == long.class || t == Long.class) {
        kind = Kind.LONG;
      } else if (t == int.class || t == Integer.class) {
        kind = Kind.INT;
      } else if (t == boolean.class || t == Boolean.class) {
        kind = Kind.BOOLEAN;
      } else if (t == String.class) {
        kind = Kind.STRING;
      } else if (t == InetAddress.class) {
        kind = Kind.ADDRESS;
      } else if (t == Buffer.class) {
        kind = Kind.BUFFER;
      } else if (t == byte[].class) {
        kind = Kind.BYTES;
      } else if (t == Object.class) {
        kind = Kind.ANY;
      } else {
        throw new IllegalArgumentException("record " + record.getName() + ", component '" + name + "': "
            + t.getName() + " is not an argument type (long, int, boolean, their boxes, String, InetAddress, "
            + "Buffer, byte[] or Object)");
      }
      List<String> c = new ArrayList<>(List.of(name));
      for (String s : new String[] {spell(name, '-'), spell(name, '_')}) {
        if (!c.contains(s)) {
          c.add(s);
        }
      }
      candidates = c.toArray(new String[0]);
    }

    /** {@code userAgent} as {@code user-agent} or {@code user_agent}. */
    private static String spell(String name, char sep) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < name.length(); i++) {
        char ch = name.charAt(i);
        if (Character.isUpperCase(ch) && i > 0) {
          sb.append(sep).append(Character.toLowerCase(ch));
        } else {
          sb.append(ch == '_' || ch == '-' ? sep : ch);
        }
      }
      return sb.toString().toLowerCase(Locale.ROOT);
    }

    /** The first candidate {@code m} has, or {@code otherwise}. No allocation. */
    int find(SpoeMessage m, int otherwise) {
      for (int i = 0; i < candidates.length; i++) {
        if (m.contains(candidates[i])) {
          return i;
        }
      }
      return otherwise;
    }

    Object read(SpoeMessage m, String argName) {
      int at = m.rawValueOffset(argName);
      int type = at < 0 ? -1 : m.arr[at] & 0x0F;
      if (!required && (type < 0 || type == TypeCode.NULL)) {
        return null;
      }
      m.require(argName, kind.types, kind.expected); // the accessors below find it at the cursor
      switch (kind) {
        case LONG:
          return m.requireLong(argName);
        case INT:
          long v = m.requireLong(argName);
          if (v != (int) v) {
            throw new BadArgumentException(m.name(), argName, BadArgumentException.Problem.WRONG_TYPE,
                DataType.fromCode(type), "message '" + m.name() + "': argument '" + argName + "' is " + v
                + ", out of the range of record component '" + name + "' (int)");
          }
          return (int) v;
        case BOOLEAN:
          return m.requireBoolean(argName);
        case STRING:
          return m.requireString(argName);
        case ADDRESS:
          return m.requireAddress(argName);
        case BUFFER:
          return m.requireBinary(argName);
        case BYTES:
          return m.requireBinary(argName).getBytes();
        default:
          return m.get(argName);
      }
    }
  }
}
