package io.spoavertx.testing;

import io.vertx.core.buffer.Buffer;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A SPOP typed value: a {@link Type} and its Java value.
 *
 * <p>Java values by type: NULL {@code null}, BOOL {@link Boolean}, INT32 {@link Integer},
 * UINT32 {@link Long} (0..2<sup>32</sup>-1), INT64 {@link Long}, UINT64 {@link Long} (the unsigned
 * 64-bit pattern), IPV4 {@link Inet4Address}, IPV6 {@link Inet6Address}, STRING {@link String},
 * BINARY {@code byte[]} (copied in and out). Instances are immutable and compare by content.
 */
public record TypedValue(Type type, Object value) {

  /** SPOP data types, with their wire code (low nibble of the type byte). */
  public enum Type {
    /** No value, code 0. */
    NULL(0),
    /** Boolean, code 1. */
    BOOL(1),
    /** Signed 32-bit integer, code 2. */
    INT32(2),
    /** Unsigned 32-bit integer, code 3. */
    UINT32(3),
    /** Signed 64-bit integer, code 4. */
    INT64(4),
    /** Unsigned 64-bit integer, code 5. */
    UINT64(5),
    /** IPv4 address, code 6. */
    IPV4(6),
    /** IPv6 address, code 7. */
    IPV6(7),
    /** Length-prefixed string, code 8. */
    STRING(8),
    /** Length-prefixed bytes, code 9. */
    BINARY(9);

    private final int code;

    Type(int code) {
      this.code = code;
    }

    /** {@return the wire code, 0..9} */
    public int code() {
      return code;
    }

    /** {@return true for INT32, UINT32, INT64 and UINT64} */
    public boolean isInteger() {
      return this == INT32 || this == UINT32 || this == INT64 || this == UINT64;
    }

    /**
     * The type for a wire code.
     *
     * @param code the wire code, 0..9
     * @return the type
     * @throws IllegalArgumentException for 10..15 (reserved) or a code out of range
     */
    public static Type fromCode(int code) {
      if (code < 0 || code > 9) {
        throw new IllegalArgumentException("reserved or invalid SPOP data type " + code);
      }
      return values()[code];
    }
  }

  private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final TypedValue NIL = new TypedValue(Type.NULL, null);
  private static final TypedValue TRUE = new TypedValue(Type.BOOL, Boolean.TRUE);
  private static final TypedValue FALSE = new TypedValue(Type.BOOL, Boolean.FALSE);

  /**
   * Validates that {@code value} has the Java class documented for {@code type}; copies a {@code byte[]}.
   *
   * @param type  the SPOP type
   * @param value the Java value for that type
   * @throws IllegalArgumentException if the value does not fit the type
   */
  public TypedValue {
    Objects.requireNonNull(type, "type");
    boolean ok = switch (type) {
      case NULL -> value == null;
      case BOOL -> value instanceof Boolean;
      case INT32 -> value instanceof Integer;
      case UINT32 -> value instanceof Long l && l >= 0 && l <= 0xFFFF_FFFFL;
      case INT64, UINT64 -> value instanceof Long;
      case IPV4 -> value instanceof Inet4Address;
      case IPV6 -> value instanceof Inet6Address;
      case STRING -> value instanceof String;
      case BINARY -> value instanceof byte[];
    };
    if (!ok) {
      throw new IllegalArgumentException("invalid value for " + type + ": "
          + (value == null ? "null" : value.getClass().getSimpleName() + " " + value));
    }
    if (value instanceof byte[] b) {
      value = b.clone();
    }
  }

  // ---- factories ---------------------------------------------------------------------------

  /** {@return the NULL value (HAProxy sends it for a missing sample)} */
  public static TypedValue nil() {
    return NIL;
  }

  /**
   * A BOOL.
   *
   * @param b the boolean
   * @return the value
   */
  public static TypedValue bool(boolean b) {
    return b ? TRUE : FALSE;
  }

  /**
   * An INT32.
   *
   * @param v the integer
   * @return the value
   */
  public static TypedValue int32(int v) {
    return new TypedValue(Type.INT32, v);
  }

  /**
   * A UINT32.
   *
   * @param v the integer, 0..4294967295
   * @return the value
   * @throws IllegalArgumentException if {@code v} is out of range
   */
  public static TypedValue uint32(long v) {
    return new TypedValue(Type.UINT32, v);
  }

  /**
   * An INT64 (what HAProxy sends for every integer sample).
   *
   * @param v the integer
   * @return the value
   */
  public static TypedValue int64(long v) {
    return new TypedValue(Type.INT64, v);
  }

  /**
   * A UINT64.
   *
   * @param v the integer, taken as an unsigned 64-bit pattern
   * @return the value
   */
  public static TypedValue uint64(long v) {
    return new TypedValue(Type.UINT64, v);
  }

  /**
   * An IPV4 from a dotted-quad literal (no DNS lookup).
   *
   * @param literal an address such as {@code "127.0.0.1"}
   * @return the value
   * @throws IllegalArgumentException if it is not an IPv4 literal
   */
  public static TypedValue ipv4(String literal) {
    if (literal == null || !IPV4_LITERAL.matcher(literal).matches()) {
      throw new IllegalArgumentException("not an IPv4 literal: " + literal);
    }
    return new TypedValue(Type.IPV4, parse(literal));
  }

  /**
   * An IPV6 from a literal (no DNS lookup); an IPv4 literal gives its IPv4-mapped address.
   *
   * @param literal an address such as {@code "2001:db8::1"}
   * @return the value
   * @throws IllegalArgumentException if it is not an IPv6 literal
   */
  public static TypedValue ipv6(String literal) {
    if (literal == null || !literal.contains(":")) {
      throw new IllegalArgumentException("not an IPv6 literal: " + literal);
    }
    return new TypedValue(Type.IPV6, toInet6(parse(literal)));
  }

  /**
   * An IPV4 for an {@link Inet4Address}, an IPV6 otherwise.
   *
   * @param address the address, not null
   * @return the value
   */
  public static TypedValue ip(InetAddress address) {
    Objects.requireNonNull(address, "address");
    return address instanceof Inet4Address
        ? new TypedValue(Type.IPV4, address)
        : new TypedValue(Type.IPV6, address);
  }

  /**
   * A STRING; {@code null} gives {@link #nil()}.
   *
   * @param s the string, or null
   * @return the value
   */
  public static TypedValue string(String s) {
    return s == null ? NIL : new TypedValue(Type.STRING, s);
  }

  /**
   * A BINARY (the array is copied); {@code null} gives {@link #nil()}.
   *
   * @param bytes the bytes, or null
   * @return the value
   */
  public static TypedValue binary(byte[] bytes) {
    return bytes == null ? NIL : new TypedValue(Type.BINARY, bytes);
  }

  /**
   * A BINARY with the bytes of {@code buffer}; {@code null} gives {@link #nil()}.
   *
   * @param buffer the bytes, or null
   * @return the value
   */
  public static TypedValue binary(Buffer buffer) {
    return buffer == null ? NIL : new TypedValue(Type.BINARY, buffer.getBytes());
  }

  // ---- accessors ---------------------------------------------------------------------------

  /** {@return the Java value; a copy for BINARY} */
  @Override
  public Object value() {
    return value instanceof byte[] b ? b.clone() : value;
  }

  /** {@return true for NULL} */
  public boolean isNull() {
    return type == Type.NULL;
  }

  /**
   * {@return the BOOL value}
   *
   * @throws IllegalStateException for another type
   */
  public boolean asBoolean() {
    require(type == Type.BOOL, "BOOL");
    return (Boolean) value;
  }

  /**
   * {@return the value of any integer type as a long (UINT64 as its unsigned bit pattern)}
   *
   * @throws IllegalStateException for a non-integer type
   */
  public long asLong() {
    require(type.isInteger(), "an integer type");
    return ((Number) value).longValue();
  }

  /**
   * {@return the STRING value}
   *
   * @throws IllegalStateException for another type
   */
  public String asString() {
    require(type == Type.STRING, "STRING");
    return (String) value;
  }

  /**
   * {@return the BINARY value (a copy); STRING values give their UTF-8 bytes}
   *
   * @throws IllegalStateException for another type
   */
  public byte[] asBytes() {
    if (type == Type.STRING) {
      return ((String) value).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
    require(type == Type.BINARY, "BINARY");
    return ((byte[]) value).clone();
  }

  /**
   * {@return the IPV4 or IPV6 value}
   *
   * @throws IllegalStateException for another type
   */
  public InetAddress asInetAddress() {
    require(type == Type.IPV4 || type == Type.IPV6, "IPV4 or IPV6");
    return (InetAddress) value;
  }

  private void require(boolean ok, String expected) {
    if (!ok) {
      throw new IllegalStateException("expected " + expected + " but was " + this);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TypedValue other) || other.type != type) {
      return false;
    }
    if (value instanceof byte[] b) {
      return Arrays.equals(b, (byte[]) other.value);
    }
    return Objects.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return 31 * type.hashCode() + (value instanceof byte[] b ? Arrays.hashCode(b) : Objects.hashCode(value));
  }

  /** For example {@code INT64:42}, {@code STRING:"GET"}, {@code BINARY:cafebabe}, {@code NULL}. */
  @Override
  public String toString() {
    return switch (type) {
      case NULL -> "NULL";
      case STRING -> "STRING:\"" + value + "\"";
      case BINARY -> "BINARY:" + HexFormat.of().formatHex((byte[]) value);
      case UINT64 -> "UINT64:" + Long.toUnsignedString((Long) value);
      case IPV4, IPV6 -> type + ":" + ((InetAddress) value).getHostAddress();
      default -> type + ":" + value;
    };
  }

  static InetAddress parse(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("invalid IP literal: " + literal, e);
    }
  }

  static Inet6Address toInet6(InetAddress a) {
    if (a instanceof Inet6Address a6) {
      return a6;
    }
    byte[] v4 = a.getAddress();
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xFF;
    mapped[11] = (byte) 0xFF;
    System.arraycopy(v4, 0, mapped, 12, 4);
    return inet6(mapped);
  }

  static Inet6Address inet6(byte[] sixteen) {
    try {
      return Inet6Address.getByAddress(null, sixteen, -1);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
