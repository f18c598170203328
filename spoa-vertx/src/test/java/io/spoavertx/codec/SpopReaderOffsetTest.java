package io.spoavertx.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/** The static, offset-based readers of SpopReader against the reader itself and String decoding. */
class SpopReaderOffsetTest {

  @Property(tries = 1000)
  void typedValueEndIsWhereSkipTypedValueStops(@ForAll("typedValues") Buffer value) {
    Buffer buf = Buffer.buffer().appendBytes(new byte[3]).appendBuffer(value).appendByte((byte) 0x0F);
    SpopReader r = new SpopReader(buf, 3, buf.length());
    r.skipTypedValue();
    assertEquals(r.pos(), SpopReader.typedValueEnd(buf, 3));
    assertEquals(3 + value.length(), r.pos());
  }

  /** nameEquals compares bytes in place and answers what decoding them as UTF-8 would. */
  @Property(tries = 3000)
  void nameEqualsAgreesWithDecoding(@ForAll("names") String s, @ForAll("names") String other,
      @ForAll("bytes") byte[] raw) {
    for (byte[] bytes : new byte[][] {s.getBytes(StandardCharsets.UTF_8), other.getBytes(StandardCharsets.UTF_8), raw}) {
      Buffer buf = Buffer.buffer().appendByte((byte) 7).appendBytes(bytes).appendByte((byte) 'x');
      boolean decoded = new String(bytes, StandardCharsets.UTF_8).equals(s);
      assertEquals(decoded, SpopReader.nameEquals(buf, 1, bytes.length, s), () -> s + " vs " + java.util.HexFormat.of().formatHex(bytes));
    }
  }

  @Test
  void nameEqualsEdgeCases() {
    Buffer buf = Buffer.buffer("café\uD83D\uDE00".getBytes(StandardCharsets.UTF_8));
    assertTrue(SpopReader.nameEquals(buf, 0, buf.length(), "café\uD83D\uDE00"));
    assertFalse(SpopReader.nameEquals(buf, 0, buf.length(), "café"));
    assertFalse(SpopReader.nameEquals(buf, 0, buf.length() - 1, "café\uD83D\uDE00"));
    assertTrue(SpopReader.nameEquals(buf, 0, 5, "café"));
    assertTrue(SpopReader.nameEquals(buf, 0, 0, ""));
    assertFalse(SpopReader.nameEquals(buf, 0, 1, ""));
    // malformed bytes decode to U+FFFD: only a name with U+FFFD matches them, as before
    Buffer bad = Buffer.buffer(new byte[] {'a', (byte) 0xC3});
    assertTrue(SpopReader.nameEquals(bad, 0, 2, "a\uFFFD"));
    assertFalse(SpopReader.nameEquals(bad, 0, 2, "a\u00C3"));
    // an unpaired surrogate encodes as '?'; decoding never yields one
    Buffer q = Buffer.buffer("a?".getBytes(StandardCharsets.UTF_8));
    assertFalse(SpopReader.nameEquals(q, 0, 2, "a\uD83D"));
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(8),
        Arbitraries.strings().withChars("aé日\uFFFD?").ofMaxLength(4),
        Arbitraries.strings().withCharRange('\uD800', '\uDFFF').ofMaxLength(3),
        Arbitraries.of("a\uD83D\uDE00", "\uD83D\uDE00", "ip", ""));
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(8),
        Arbitraries.bytes().between((byte) 0x80, (byte) 0xFF).array(byte[].class).ofMaxSize(4));
  }

  @Provide
  Arbitrary<Buffer> typedValues() {
    return Arbitraries.oneOf(
        Arbitraries.just(Buffer.buffer().appendByte((byte) TypeCode.NULL)),
        Arbitraries.of(true, false).map(b -> {
          Buffer out = Buffer.buffer();
          SpopWriter.writeBool(out, b);
          return out;
        }),
        Arbitraries.longs().map(v -> {
          Buffer out = Buffer.buffer();
          SpopWriter.writeInt64(out, v);
          return out;
        }),
        Arbitraries.integers().map(v -> {
          Buffer out = Buffer.buffer();
          SpopWriter.writeInt32(out, v);
          return out;
        }),
        Arbitraries.of("192.0.2.1", "2001:db8::1").map(a -> {
          Buffer out = Buffer.buffer();
          try {
            SpopWriter.writeAddress(out, InetAddress.getByName(a));
          } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
          }
          return out;
        }),
        Arbitraries.strings().ofMaxLength(600).map(v -> {
          Buffer out = Buffer.buffer();
          SpopWriter.writeString(out, v);
          return out;
        }),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(600).map(v -> {
          Buffer out = Buffer.buffer();
          SpopWriter.writeBinary(out, v);
          return out;
        }));
  }
}
