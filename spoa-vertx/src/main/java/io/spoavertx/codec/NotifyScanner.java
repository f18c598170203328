package io.spoavertx.codec;

import io.vertx.core.buffer.Buffer;

import java.util.Arrays;

/**
 * Validates a NOTIFY payload (doc/SPOE.txt 3.2.6: messages until the frame ends, each
 * {@code name, nb-args (u8), nb-args x (name, typed value)}) and records where each message and
 * its parts are, without copying or decoding any value. Reusable: one per connection.
 */
public final class NotifyScanner {

  private static final int FIELDS = 6;
  private static final int START = 0;
  private static final int NAME_OFFSET = 1;
  private static final int NAME_LENGTH = 2;
  private static final int ARGS_OFFSET = 3;
  private static final int ARG_COUNT = 4;
  private static final int END = 5;

  private final SpopReader reader = new SpopReader();
  private int[] fields = new int[FIELDS * 8];
  private int count;

  /**
   * Scans {@code [start, end)} of {@code buf}; returns the number of messages (0 is valid). Throws
   * {@link SpopException} (status 4) if anything is malformed, before any message is reported.
   */
  public int scan(Buffer buf, int start, int end) {
    SpopReader r = reader.reset(buf, start, end);
    int n = 0;
    while (r.hasRemaining()) {
      if (fields.length < (n + 1) * FIELDS) {
        fields = Arrays.copyOf(fields, fields.length * 2);
      }
      int base = n * FIELDS;
      fields[base + START] = r.pos();
      int nameLen = r.readLength();
      fields[base + NAME_OFFSET] = r.pos();
      fields[base + NAME_LENGTH] = nameLen;
      r.skip(nameLen);
      int nbArgs = r.readU8();
      fields[base + ARGS_OFFSET] = r.pos();
      fields[base + ARG_COUNT] = nbArgs;
      for (int a = 0; a < nbArgs; a++) {
        r.skip(r.readLength());
        r.skipTypedValue();
      }
      fields[base + END] = r.pos();
      n++;
    }
    count = n;
    return n;
  }

  public int count() {
    return count;
  }

  /**
   * The array holding the scanned bytes (index {@code i} of the buffer is at {@code i + arrayOffset()}):
   * the buffer's own for heap buffers, a copy of the scanned range otherwise.
   */
  public byte[] array() {
    return reader.array();
  }

  public int arrayOffset() {
    return reader.arrayOffset();
  }

  /** Offset of message {@code i}'s first byte (its name length). */
  public int start(int i) {
    return fields[i * FIELDS + START];
  }

  /** Offset just past message {@code i}. */
  public int end(int i) {
    return fields[i * FIELDS + END];
  }

  public int nameOffset(int i) {
    return fields[i * FIELDS + NAME_OFFSET];
  }

  public int nameLength(int i) {
    return fields[i * FIELDS + NAME_LENGTH];
  }

  /** Offset of message {@code i}'s first argument. */
  public int argsOffset(int i) {
    return fields[i * FIELDS + ARGS_OFFSET];
  }

  public int argCount(int i) {
    return fields[i * FIELDS + ARG_COUNT];
  }
}
