package io.spoavertx.codec;

import io.vertx.core.buffer.Buffer;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A bounds-checked cursor over one frame of a {@link Buffer}. Every read stays inside
 * {@code [pos, end)}: anything that would run past the frame end, a varint longer than 10 bytes, or
 * a reserved type code throws {@link SpopException} with status 4 (invalid frame). It copies
 * nothing: callers read values in place through {@link #buffer()} and {@link #pos()}.
 */
public final class SpopReader {

  private Buffer buf;
  private int pos;
  private int end;

  public SpopReader() {
  }

  public SpopReader(Buffer buf, int pos, int end) {
    reset(buf, pos, end);
  }

  public SpopReader reset(Buffer buf, int pos, int end) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    return this;
  }

  public Buffer buffer() {
    return buf;
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
    return buf.getUnsignedByte(pos++);
  }

  public int readInt() {
    if (end - pos < 4) {
      throw invalid("frame ends inside a 32-bit field");
    }
    int v = buf.getInt(pos);
    pos += 4;
    return v;
  }

  /** Reads one HAProxy varint (doc/SPOE.txt 3.1); the result is an unsigned 64-bit pattern. */
  public long readVarint() {
    if (pos >= end) {
      throw invalid("frame ends inside a varint");
    }
    long v = buf.getUnsignedByte(pos++);
    if (v < 240) {
      return v;
    }
    int shift = 4;
    for (int i = 1; i < Varint.MAX_BYTES; i++) {
      if (pos >= end) {
        throw invalid("frame ends inside a varint");
      }
      long b = buf.getUnsignedByte(pos++);
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
    String s = buf.getString(pos, pos + len, "UTF-8");
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
   * Reads a typed value as a Java object: null, Boolean, Integer (INT32), Long (the three other
   * integer types; UINT64 as its bit pattern), InetAddress, String, or a Buffer slice (BINARY).
   */
  public Object readTypedValue() {
    int typeByte = readU8();
    switch (typeByte & 0x0F) {
      case TypeCode.NULL:
        return null;
      case TypeCode.BOOL:
        return (typeByte & 0x10) != 0;
      case TypeCode.INT32:
        return (int) readVarint();
      case TypeCode.UINT32:
      case TypeCode.INT64:
      case TypeCode.UINT64:
        return readVarint();
      case TypeCode.IPV4:
        return readAddress(4);
      case TypeCode.IPV6:
        return readAddress(16);
      case TypeCode.STRING: {
        int len = readLength();
        String s = buf.getString(pos, pos + len, "UTF-8");
        pos += len;
        return s;
      }
      case TypeCode.BINARY: {
        int len = readLength();
        Buffer b = buf.slice(pos, pos + len);
        pos += len;
        return b;
      }
      default:
        throw invalid("reserved data type " + (typeByte & 0x0F));
    }
  }

  private InetAddress readAddress(int n) {
    if (end - pos < n) {
      throw invalid("frame ends inside an address");
    }
    byte[] raw = buf.getBytes(pos, pos + n);
    pos += n;
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // only thrown for a wrong length
    }
  }

  /** True when the {@code len} bytes at {@code off} are the UTF-8 encoding of {@code s}. */
  public static boolean nameEquals(Buffer buf, int off, int len, String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      if (s.charAt(i) > 0x7F) {
        return buf.getString(off, off + len, "UTF-8").equals(s);
      }
    }
    if (n != len) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (buf.getByte(off + i) != (byte) s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  static SpopException invalid(String message) {
    return new SpopException(DisconnectStatus.INVALID_FRAME, message);
  }
}
