package io.spoavertx.testing;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class VarintTest {

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  /** The vectors of SPOP.md. */
  @ParameterizedTest
  @CsvSource({
      "0, 00",
      "1, 01",
      "239, ef",
      "240, f0 00",
      "1000, f8 2f",
      "2287, ff 7f",
      "2288, f0 80 00",
      "16380, fc f0 06",
      "18080, f0 db 07",
      "4294967295, ff f0 fe fe 7e",
      "-1, ff f0 fe fe fe fe fe fe fe 0e",
      "-42, f6 ee fe fe fe fe fe fe fe 0e",
  })
  void vectorsBothWays(long value, String bytes) {
    assertArrayEquals(hex(bytes), SpopClientCodec.varint(value).getBytes());
    assertEquals(value, SpopClientCodec.decodeVarint(Buffer.buffer(hex(bytes))));
  }

  @Test
  void roundTripsBoundaries() {
    long[] values = {0, 127, 128, 239, 240, 241, 2287, 2288, 2289, 264431, 264432, 33818863, 33818864,
        Integer.MAX_VALUE, 0xFFFF_FFFFL, Long.MAX_VALUE, Long.MIN_VALUE, -2};
    for (long v : values) {
      Buffer b = SpopClientCodec.varint(v);
      assertEquals(v, SpopClientCodec.decodeVarint(b), "value " + v);
    }
    for (int shift = 0; shift < 64; shift++) {
      long v = 1L << shift;
      assertEquals(v, SpopClientCodec.decodeVarint(SpopClientCodec.varint(v)));
      assertEquals(v - 1, SpopClientCodec.decodeVarint(SpopClientCodec.varint(v - 1)));
    }
  }

  @Test
  void rejectsTruncatedAndTooLongVarints() {
    SpopProtocolException e = assertThrows(SpopProtocolException.class,
        () -> SpopClientCodec.decodeVarint(Buffer.buffer(hex("f0 80"))));
    assertEquals(4, e.status());
    assertThrows(SpopProtocolException.class,
        () -> SpopClientCodec.decodeVarint(Buffer.buffer(hex("ff ff ff ff ff ff ff ff ff ff 01"))));
    assertThrows(SpopProtocolException.class, () -> SpopClientCodec.decodeVarint(Buffer.buffer()));
  }
}
