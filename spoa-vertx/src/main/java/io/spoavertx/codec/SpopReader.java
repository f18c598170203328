package io.spoavertx.codec;


import io.vertx.core.buffer.Buffer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A bounds-checked cursor over one frame of a {@link Buffer}. Every read stays inside
 * {@code [pos, end)}: anything that would run past the frame end, a varint longer than 10 bytes, or
 * a reserved type code throws {@link SpopException} with status 4 (invalid frame). It copies
 * nothing: callers read values in place through {@link #buffer()} and {@link #pos()}.
 */
public final class SpopReader {

  private Buffer buf;
  /** The bytes of {@code buf}: index {@code i} of buf is {@code arr[base + i]} (see {@link HeapArrays}). */
  private byte[] arr;
  private int base;
  private int pos;
  private int end;

  public SpopReader() {
  }

  public SpopReader(Buffer buf, int pos, int end) {
    reset(buf, pos, end);
  }

  public SpopReader reset(Buffer buf, int pos, int end) {
    // Not cached by buffer identity: a buffer that grew has a new array.
    this.buf = buf;
    if (HeapArrays.hasArray(buf)) {
      this.arr = HeapArrays.array(buf);
      this.base = HeapArrays.offset(buf);
    } else {
      this.arr = buf.getBytes(pos, end); // direct memory: a copy of just this range
      this.base = -pos;
    }
    this.pos = pos;
    this.end = end;
    return this;
  }

  public Buffer buffer() {
    return buf;
  }

  /** The array holding the buffer's bytes: index {@code i} of {@link #buffer()} is at {@code i + arrayOffset()}. */
  public byte[] array() {
    return arr;
  }

  public int arrayOffset() {
    return base;
  }

  public int pos() {
    return pos;
  }

  public int end() {
    return end;
  }

  public boolean hasRemaining() {
    return pos < end;
  }

  public int readU8() {
    if (pos >= end) {
      throw invalid("frame ends inside a byte field");
    }
    return arr[base + pos++] & 0xFF;
  }

  public int readInt() {
    if (end - pos < 4) {
      throw invalid("frame ends inside a 32-bit field");
    }
    int i = base + pos;
    int v = (arr[i] & 0xFF) << 24 | (arr[i + 1] & 0xFF) << 16 | (arr[i + 2] & 0xFF) << 8 | arr[i + 3] & 0xFF;
    pos += 4;
    return v;
  }

  /** Reads one HAProxy varint (doc/SPOE.txt 3.1); the result is an unsigned 64-bit pattern. */
  public long readVarint() {
    if (pos >= end) {
      throw invalid("frame ends inside a varint");
    }
    long v = arr[base + pos++] & 0xFF;
    if (v < 240) {
      return v;
    }
    int shift = 4;
    for (int i = 1; i < Varint.MAX_BYTES; i++) {
      if (pos >= end) {
        throw invalid("frame ends inside a varint");
      }
      long b = arr[base + pos++] & 0xFF;
      v += b << shift;
      if (b < 128) {
        return v;
      }
      shift += 7;
    }
    throw invalid("varint longer than 10 bytes");
  }

  /** Reads a varint length and checks that many bytes remain in the frame. */
  public int readLength() {
    long len = readVarint();
    if (len < 0 || len > end - pos) {
      throw invalid("length " + Long.toUnsignedString(len) + " runs past the frame end");
    }
    return (int) len;
  }

  public void skip(int n) {
    if (n < 0 || n > end - pos) {
      throw invalid("frame ends early");
    }
    pos += n;
  }

  /** Reads a bare string (varint length + UTF-8 bytes), as used for names and KV keys. */
  public String readString() {
    int len = readLength();
    String s = new String(arr, base + pos, len, StandardCharsets.UTF_8);
    pos += len;
    return s;
  }

  /**
   * Reads a typed value's type byte, checks it and skips the value. Returns the type byte (flags
   * included), so a caller that wants the value can decode it from the position before the call.
   */
  public int skipTypedValue() {
    int typeByte = readU8();
    switch (typeByte & 0x0F) {
      case TypeCode.NULL:
      case TypeCode.BOOL:
        break;
      case TypeCode.INT32:
      case TypeCode.UINT32:
      case TypeCode.INT64:
      case TypeCode.UINT64:
        readVarint();
        break;
      case TypeCode.IPV4:
        skip(4);
        break;
      case TypeCode.IPV6:
        skip(16);
        break;
      case TypeCode.STRING:
      case TypeCode.BINARY:
        skip(readLength());
        break;
      default:
        throw invalid("reserved data type " + (typeByte & 0x0F));
    }
    return typeByte;
  }

  /**
   * Reads a typed value as a Java object (see {@link TypedValues#read}), after validating it.
   */
  public Object readTypedValue() {
    int at = base + pos;
    skipTypedValue();
    return TypedValues.read(arr, at);
  }

  /**
   * Offset just past the typed value whose type byte is at {@code off}, in bytes already validated
   * (by this reader or {@link NotifyScanner}): the allocation-free counterpart of
   * {@link #skipTypedValue()} for views that keep offsets instead of a reader.
   */
  public static int typedValueEnd(Buffer buf, int off) {
    int base = HeapArrays.offset(buf);
    return TypedValues.end(HeapArrays.array(buf), base + off) - base;
  }

  /**
   * True when the {@code len} bytes at {@code off} are the UTF-8 encoding of {@code s}, i.e. when
   * decoding them as UTF-8 gives {@code s}. Compares bytes in place, without creating a String
   * (except for a name holding an unpaired surrogate or U+FFFD, which only decoding can match).
   */
  public static boolean nameEquals(Buffer buf, int off, int len, String s) {
    return nameEquals(HeapArrays.array(buf), HeapArrays.offset(buf) + off, len, s);
  }

  /** {@link #nameEquals(Buffer, int, int, String)} over {@code len} bytes at index {@code off} of an array. */
  public static boolean nameEquals(byte[] a, int off, int len, String s) {
    int n = s.length();
    if (n > len) {
      return false; // every char comes from at least one byte
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c > 0x7F) {
        return utf8Equals(a, off + i, len - i, s, i);
      }
      if (a[off + i] != (byte) c) {
        return false;
      }
    }
    return n == len;
  }

  /** {@link #nameEquals} from char {@code from} of {@code s} (the first non-ASCII one) on. */
  private static boolean utf8Equals(byte[] a, int off, int len, String s, int from) {
    int n = s.length();
    int p = off;
    int end = off + len;
    for (int i = from; i < n; i++) {
      char c = s.charAt(i);
      int cp = c;
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          cp = Character.toCodePoint(c, s.charAt(++i));
        } else {
          return decodedEquals(a, off - from, len + from, s);
        }
      } else if (c == '\uFFFD') {
        return decodedEquals(a, off - from, len + from, s);
      }
      int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (end - p < size) {
        return false;
      }
      switch (size) {
        case 1:
          if (a[p] != (byte) cp) {
            return false;
          }
          break;
        case 2:
          if (a[p] != (byte) (0xC0 | cp >> 6)
              || a[p + 1] != (byte) (0x80 | cp & 0x3F)) {
            return false;
          }
          break;
        case 3:
          if (a[p] != (byte) (0xE0 | cp >> 12)
              || a[p + 1] != (byte) (0x80 | cp >> 6 & 0x3F)
              || a[p + 2] != (byte) (0x80 | cp & 0x3F)) {
            return false;
          }
          break;
        default:
          if (a[p] != (byte) (0xF0 | cp >> 18)
              || a[p + 1] != (byte) (0x80 | cp >> 12 & 0x3F)
              || a[p + 2] != (byte) (0x80 | cp >> 6 & 0x3F)
              || a[p + 3] != (byte) (0x80 | cp & 0x3F)) {
            return false;
          }
      }
      p += size;
    }
    return p == end;
  }

  /** What malformed input decodes to (U+FFFD) can only be matched by decoding. */
  private static boolean decodedEquals(byte[] a, int off, int len, String s) {
    return new String(a, off, len, StandardCharsets.UTF_8).equals(s);
  }

  static SpopException invalid(String message) {
    return new SpopException(DisconnectStatus.INVALID_FRAME, message);
  }
}
