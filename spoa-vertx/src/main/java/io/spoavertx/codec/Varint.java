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
