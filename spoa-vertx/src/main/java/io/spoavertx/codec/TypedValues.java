package io.spoavertx.codec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The one decoder of SPOP typed data (doc/SPOE.txt 3.1): a type byte, then the value. It reads
 * bytes already validated (by {@link SpopReader#skipTypedValue()} or {@link NotifyScanner}), in
 * place in an array; the message views and the KV-list decoding both use it.
 */
public final class TypedValues {

  private TypedValues() {
  }

  /**
   * The value at index {@code at} of {@code a} as a Java object: null, Boolean, Integer (INT32),
   * Long (the three other integer types; UINT64 as its bit pattern), InetAddress, String, or a
   * Buffer over the bytes (BINARY; a view of {@code a}, see {@link HeapArrays#wrap}).
   */
  public static Object read(byte[] a, int at) {
    int typeByte = a[at] & 0xFF;
    switch (typeByte & 0x0F) {
      case TypeCode.NULL:
        return null;
      case TypeCode.BOOL:
        return (typeByte & 0x10) != 0;
      case TypeCode.INT32:
        return (int) Varint.read(a, at + 1);
      case TypeCode.UINT32:
      case TypeCode.INT64:
      case TypeCode.UINT64:
        return Varint.read(a, at + 1);
      case TypeCode.IPV4:
        return address(a, at + 1, 4);
      case TypeCode.IPV6:
        return address(a, at + 1, 16);
      case TypeCode.STRING:
        return new String(a, dataOffset(a, at), dataLength(a, at), StandardCharsets.UTF_8);
      case TypeCode.BINARY:
        return HeapArrays.wrap(a, dataOffset(a, at), dataLength(a, at));
      default:
        throw new SpopException(DisconnectStatus.INVALID_FRAME, "reserved data type " + (typeByte & 0x0F));
    }
  }

  /** The integer at {@code at} (its type byte is one of the four integer types), INT32 sign-extended. */
  public static long integer(byte[] a, int at) {
    long v = Varint.read(a, at + 1);
    return (a[at] & 0x0F) == TypeCode.INT32 ? (long) (int) v : v;
  }

  /** Where the bytes of the STRING or BINARY value at {@code at} begin. */
  public static int dataOffset(byte[] a, int at) {
    int lenAt = at + 1;
    return (a[lenAt] & 0xFF) < 240 ? lenAt + 1 : Varint.end(a, lenAt);
  }

  /** How many bytes the STRING or BINARY value at {@code at} has. */
  public static int dataLength(byte[] a, int at) {
    int lenAt = at + 1;
    int b = a[lenAt] & 0xFF;
    return b < 240 ? b : (int) Varint.read(a, lenAt);
  }

  /** The {@code n}-byte address (4 or 16) at index {@code off}. */
  public static InetAddress address(byte[] a, int off, int n) {
    try {
      return InetAddress.getByAddress(Arrays.copyOfRange(a, off, off + n));
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // only thrown for a wrong length
    }
  }

  /** The index just past the typed value whose type byte is at {@code at}. */
  public static int end(byte[] a, int at) {
    int typeByte = a[at] & 0xFF;
    switch (typeByte & 0x0F) {
      case TypeCode.NULL:
      case TypeCode.BOOL:
        return at + 1;
      case TypeCode.INT32:
      case TypeCode.UINT32:
      case TypeCode.INT64:
      case TypeCode.UINT64:
        return Varint.end(a, at + 1);
      case TypeCode.IPV4:
        return at + 5;
      case TypeCode.IPV6:
        return at + 17;
      case TypeCode.STRING:
      case TypeCode.BINARY:
        return dataOffset(a, at) + dataLength(a, at);
      default:
        throw new SpopException(DisconnectStatus.INVALID_FRAME, "reserved data type " + (typeByte & 0x0F));
    }
  }
}
