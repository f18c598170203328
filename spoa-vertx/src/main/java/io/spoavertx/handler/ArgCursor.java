package io.spoavertx.handler;

import io.spoavertx.codec.SpopReader;
import io.spoavertx.codec.TypedValues;
import io.spoavertx.codec.Varint;

/**
 * Finds the arguments of a {@link SpoeMessage} in its bytes, by name or index, starting from the
 * message's cursor (see the "Lookup cost" paragraph of its class comment): the lookups of
 * SpoeMessage, apart so that the view's class stays readable.
 */
final class ArgCursor {

  /*
   * The cursor packs, in one int (so that a reader never sees half of an update, and the view stays
   * at 40 bytes):
   *   bits  0-15  offset of the cursor argument (its name length), relative to argsStart;
   *   bits 16-23  an 8-bit filter of the names of the arguments before it (nameBit of each): a bit
   *               not set proves that no earlier argument has a name of that bit;
   *   bits 24-31  its index.
   * 0 is the start: argument 0, nothing before it. A cursor whose offset does not fit in 16 bits
   * (arguments past 64 KiB of a message) is not stored: lookups then start from the last one that was.
   */
  private static final int OFFSET_MASK = 0xFFFF;

  private ArgCursor() {
  }

  /**
   * Finds the first argument named {@code argName}: {@code index << 32 | offset of its name}, or
   * -1. Starts at the cursor, wraps around once, and leaves the cursor on what it found.
   */
  static long locate(SpoeMessage m, String argName) {
    byte[] arr = m.arr;
    int argsStart = m.argsStart;
    int n = m.argCount;
    if (n == 0) {
      return -1;
    }
    int queryBit = queryBit(argName);
    int c = m.cursor;
    int from = c >>> 24;
    int before = c >>> 16 & 0xFF; // names of [0, from)
    int p = argsStart + (c & OFFSET_MASK);
    int seen = 0; // names of [from, found) or [from, n)
    int found = -1;
    int foundAt = -1;
    for (int i = from; i < n; i++) {
      int b = arr[p] & 0xFF;
      int len = b < 240 ? b : (int) Varint.read(arr, p);
      int nameAt = b < 240 ? p + 1 : Varint.end(arr, p);
      if (SpopReader.nameEquals(arr, nameAt, len, argName)) {
        if ((before & queryBit) == 0) {
          save(m, i, p, before | seen); // no earlier argument can have this name
          return (long) i << 32 | p;
        }
        found = i; // the first from the cursor on: see whether one before the cursor comes first
        foundAt = p;
        break;
      }
      seen |= nameBit(arr, nameAt, len);
      p = TypedValues.end(arr, nameAt + len);
    }
    // wrap around: [0, from), in order, so the first match there is the first of all
    p = argsStart;
    int prefix = 0; // names of [0, i)
    for (int i = 0; i < from; i++) {
      int b = arr[p] & 0xFF;
      int len = b < 240 ? b : (int) Varint.read(arr, p);
      int nameAt = b < 240 ? p + 1 : Varint.end(arr, p);
      if (SpopReader.nameEquals(arr, nameAt, len, argName)) {
        save(m, i, p, prefix);
        return (long) i << 32 | p;
      }
      prefix |= nameBit(arr, nameAt, len);
      p = TypedValues.end(arr, nameAt + len);
    }
    if (found >= 0) {
      save(m, found, foundAt, prefix | seen);
      return (long) found << 32 | foundAt;
    }
    return -1;
  }

  /** Offset of argument {@code index}'s name; moves the cursor there. */
  static int at(SpoeMessage m, int index) {
    if (index < 0 || index >= m.argCount) {
      throw new IndexOutOfBoundsException("argument " + index + " of " + m.argCount);
    }
    byte[] arr = m.arr;
    int argsStart = m.argsStart;
    int c = m.cursor;
    int i = c >>> 24;
    int names;
    int p;
    if (i <= index) {
      names = c >>> 16 & 0xFF;
      p = argsStart + (c & OFFSET_MASK);
    } else {
      i = 0;
      names = 0;
      p = argsStart;
    }
    for (; i < index; i++) {
      int b = arr[p] & 0xFF;
      int len = b < 240 ? b : (int) Varint.read(arr, p);
      int nameAt = b < 240 ? p + 1 : Varint.end(arr, p);
      names |= nameBit(arr, nameAt, len);
      p = TypedValues.end(arr, nameAt + len);
    }
    save(m, index, p, names);
    return p;
  }

  private static void save(SpoeMessage m, int index, int nameOffset, int namesBefore) {
    int rel = nameOffset - m.argsStart;
    if (rel <= OFFSET_MASK) {
      m.cursor = index << 24 | namesBefore << 16 | rel;
    }
  }

  /** Offset of the type byte of the argument whose name starts at {@code nameOffset}. */
  static int valueOffsetOf(byte[] arr, int nameOffset) {
    int b = arr[nameOffset] & 0xFF;
    return b < 240 ? nameOffset + 1 + b : Varint.end(arr, nameOffset) + (int) Varint.read(arr, nameOffset);
  }

  /** Filter bit of a name, from its length and first and last bytes. */
  private static int nameBit(byte[] arr, int off, int len) {
    return len == 0 ? 1 : bit(len, arr[off], arr[off + len - 1]);
  }

  /** {@link #nameBit} of {@code s}'s UTF-8 encoding when it is ASCII; all bits (unknown) otherwise. */
  private static int queryBit(String s) {
    int n = s.length();
    if (n == 0) {
      return 1;
    }
    char first = s.charAt(0);
    char last = s.charAt(n - 1);
    if (first > 0x7F || last > 0x7F) {
      return -1;
    }
    for (int i = 1; i < n - 1; i++) {
      if (s.charAt(i) > 0x7F) {
        return -1;
      }
    }
    return bit(n, (byte) first, (byte) last);
  }

  private static int bit(int len, byte first, byte last) {
    int h = len * 961 + first * 31 + last;
    return 1 << ((h ^ h >>> 5) & 7);
  }
}
