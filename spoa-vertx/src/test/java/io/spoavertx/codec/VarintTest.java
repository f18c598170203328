package io.spoavertx.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HexFormat;

class VarintTest {

  /** The vectors of shared/SPOP.md, checked there against HAProxy's encoder. */
  @ParameterizedTest
  @CsvSource({
      "0, 00",
      "239, ef",
      "240, f000",
      "1000, f82f",
      "2287, ff7f",
      "2288, f08000",
      "16380, fcf006",
      "4294967295, fff0fefe7e",
      "-1, fff0fefefefefefefe0e",
  })
  void encodesAndDecodesSpopVectors(long value, String hex) {
    Buffer out = Buffer.buffer();
    Varint.write(out, value);
    assertEquals(hex, HexFormat.of().formatHex(out.getBytes()));
    assertEquals(hex.length() / 2, Varint.size(value));
    SpopReader r = new SpopReader(out, 0, out.length());
    assertEquals(value, r.readVarint());
    assertEquals(out.length(), r.pos());
  }

  @Property(tries = 2000)
  void roundTripsEveryLong(@ForAll long value) {
    Buffer out = Buffer.buffer();
    Varint.write(out, value);
    assertEquals(Varint.size(value), out.length());
    SpopReader r = new SpopReader(out, 0, out.length());
    assertEquals(value, r.readVarint());
    assertEquals(out.length(), r.pos());
  }

  @Property(tries = 500)
  void neverReadsPastTheFrameEnd(@ForAll long value) {
    Buffer out = Buffer.buffer();
    Varint.write(out, value);
    for (int cut = 0; cut < out.length(); cut++) {
      SpopReader r = new SpopReader(out, 0, cut);
      SpopException e = assertThrows(SpopException.class, r::readVarint);
      assertEquals(DisconnectStatus.INVALID_FRAME, e.status());
    }
  }

  @org.junit.jupiter.api.Test
  void rejectsVarintLongerThanTenBytes() {
    Buffer eleven = Buffer.buffer(HexFormat.of().parseHex("fffefefefefefefefefe0e"));
    SpopException e = assertThrows(SpopException.class, () -> new SpopReader(eleven, 0, eleven.length()).readVarint());
    assertEquals(DisconnectStatus.INVALID_FRAME, e.status());
  }

  /** The offset-based readers and the array writer agree with the Buffer writer and the reader. */
  @Property(tries = 2000)
  void offsetReadersAndArrayWriterAgree(@ForAll long value, @ForAll @net.jqwik.api.constraints.IntRange(max = 20) int at) {
    Buffer out = Buffer.buffer().appendBytes(new byte[at]);
    Varint.write(out, value);
    out.appendByte((byte) 0xFF); // what follows is not read
    assertEquals(value, Varint.read(out, at));
    assertEquals(at + Varint.size(value), Varint.end(out, at));
    byte[] array = new byte[at + Varint.MAX_BYTES];
    assertEquals(at + Varint.size(value), Varint.write(array, at, value));
    assertEquals(HexFormat.of().formatHex(out.getBytes(at, at + Varint.size(value))),
        HexFormat.of().formatHex(array, at, at + Varint.size(value)));
  }
}
