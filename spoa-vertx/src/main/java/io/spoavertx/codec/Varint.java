package io.spoavertx.codec;

import io.vertx.core.buffer.Buffer;

/**
 * HAProxy's variable-length integer (doc/SPOE.txt 3.1, not protobuf's): values below 240 take one
 * byte; larger ones spread 4 bits into the first byte and 7 bits per following byte. A 64-bit value
 * takes at most 10 bytes.
 */
public final class Varint {

  public static final int MAX_BYTES = 10;

  private Varint() {
  }

  /** Appends {@code value} (an unsigned 64-bit pattern) to {@code out}. */
  public static void write(Buffer out, long value) {
    if (Long.compareUnsigned(value, 240) < 0) {
      out.appendByte((byte) value);
      return;
    }
    out.appendByte((byte) (value | 0xF0));
    value = (value - 240) >>> 4;
    while (Long.compareUnsigned(value, 128) >= 0) {
      out.appendByte((byte) (value | 0x80));
      value = (value - 128) >>> 7;
    }
    out.appendByte((byte) value);
  }

  /**
   * Writes {@code value} (an unsigned 64-bit pattern) into {@code out} at {@code off}; returns the
   * offset just past it. The caller makes room first (at most {@link #MAX_BYTES}, exactly
   * {@link #size}).
   */
  public static int write(byte[] out, int off, long value) {
    if (Long.compareUnsigned(value, 240) < 0) {
      out[off++] = (byte) value;
      return off;
    }
    out[off++] = (byte) (value | 0xF0);
    value = (value - 240) >>> 4;
    while (Long.compareUnsigned(value, 128) >= 0) {
      out[off++] = (byte) (value | 0x80);
      value = (value - 128) >>> 7;
    }
    out[off++] = (byte) value;
    return off;
  }

  /**
   * Reads the varint at {@code off} of bytes already validated (by {@link SpopReader} or
   * {@link NotifyScanner}): no bounds or length check beyond the buffer's own. Allocation-free; see
   * {@link #end} for where it stops.
   */
  public static long read(Buffer buf, int off) {
    return read(HeapArrays.array(buf), HeapArrays.offset(buf) + off);
  }

  /** {@link #read(Buffer, int)} at index {@code off} of an array. */
  public static long read(byte[] a, int off) {
    long v = a[off] & 0xFF;
    if (v < 240) {
      return v;
    }
    int shift = 4;
    for (int i = 1; i < MAX_BYTES; i++) {
      long b = a[off + i] & 0xFF;
      v += b << shift;
      if (b < 128) {
        return v;
      }
      shift += 7;
    }
    throw SpopReader.invalid("varint longer than 10 bytes");
  }

  /** Offset just past the (validated) varint at {@code off}. */
  public static int end(Buffer buf, int off) {
    int base = HeapArrays.offset(buf);
    return end(HeapArrays.array(buf), base + off) - base;
  }

  /** {@link #end(Buffer, int)} at index {@code off} of an array: the index just past the varint. */
  public static int end(byte[] a, int off) {
    if ((a[off] & 0xFF) < 240) {
      return off + 1;
    }
    int p = off + 1;
    while ((a[p] & 0xFF) >= 128) {
      p++;
    }
    return p + 1;
  }

  /** Number of bytes {@link #write} produces for {@code value}. */
  public static int size(long value) {
    if (Long.compareUnsigned(value, 240) < 0) {
      return 1;
    }
    int n = 2;
    value = (value - 240) >>> 4;
    while (Long.compareUnsigned(value, 128) >= 0) {
      n++;
      value = (value - 128) >>> 7;
    }
    return n;
  }
}
