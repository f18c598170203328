package io.spoavertx.testing;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static io.spoavertx.testing.VarintTest.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TypedValueCodecTest {

  static final List<TypedValue> SAMPLES = List.of(
      TypedValue.nil(),
      TypedValue.bool(true),
      TypedValue.bool(false),
      TypedValue.int32(0),
      TypedValue.int32(-1),
      TypedValue.int32(Integer.MIN_VALUE),
      TypedValue.int32(Integer.MAX_VALUE),
      TypedValue.uint32(0),
      TypedValue.uint32(0xFFFF_FFFFL),
      TypedValue.int64(-42),
      TypedValue.int64(Long.MIN_VALUE),
      TypedValue.int64(Long.MAX_VALUE),
      TypedValue.uint64(-1L),
      TypedValue.uint64(1000),
      TypedValue.ipv4("127.0.0.1"),
      TypedValue.ipv4("255.255.255.255"),
      TypedValue.ipv6("2001:db8::1"),
      TypedValue.ipv6("::ffff:10.0.0.1"),
      TypedValue.string(""),
      TypedValue.string("héllo wörld ✓"),
      TypedValue.string("x".repeat(5000)),
      TypedValue.binary(new byte[0]),
      TypedValue.binary(hex("cafebabe00ff")));

  @Test
  void everyTypeRoundTrips() {
    for (TypedValue v : SAMPLES) {
      Buffer encoded = SpopClientCodec.typedValue(v);
      assertEquals(v, SpopClientCodec.decodeTypedValue(encoded), "round trip of " + v);
    }
  }

  @Test
  void exactEncodings() {
    assertArrayEquals(hex("00"), SpopClientCodec.typedValue(TypedValue.nil()).getBytes());
    assertArrayEquals(hex("11"), SpopClientCodec.typedValue(TypedValue.bool(true)).getBytes());
    assertArrayEquals(hex("01"), SpopClientCodec.typedValue(TypedValue.bool(false)).getBytes());
    assertArrayEquals(hex("02 2a"), SpopClientCodec.typedValue(TypedValue.int32(42)).getBytes());
    assertArrayEquals(hex("02 ff f0 fe fe fe fe fe fe fe 0e"), SpopClientCodec.typedValue(TypedValue.int32(-1)).getBytes());
    assertArrayEquals(hex("03 ff f0 fe fe 7e"), SpopClientCodec.typedValue(TypedValue.uint32(0xFFFF_FFFFL)).getBytes());
    assertArrayEquals(hex("04 f0 db 07"), SpopClientCodec.typedValue(TypedValue.int64(18080)).getBytes());
    assertArrayEquals(hex("05 ef"), SpopClientCodec.typedValue(TypedValue.uint64(239)).getBytes());
    assertArrayEquals(hex("06 c0 00 02 07"), SpopClientCodec.typedValue(TypedValue.ipv4("192.0.2.7")).getBytes());
    assertArrayEquals(hex("07 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01"),
        SpopClientCodec.typedValue(TypedValue.ipv6("2001:db8::1")).getBytes());
    assertArrayEquals(hex("08 03 47 45 54"), SpopClientCodec.typedValue(TypedValue.string("GET")).getBytes());
    assertArrayEquals(hex("09 02 00 ff"), SpopClientCodec.typedValue(TypedValue.binary(hex("00ff"))).getBytes());
  }

  @Test
  void decodingIsStrict() {
    for (int reserved = 10; reserved <= 15; reserved++) {
      int r = reserved;
      assertEquals(4, assertThrows(SpopProtocolException.class,
          () -> SpopClientCodec.decodeTypedValue(Buffer.buffer(new byte[] {(byte) r, 0}))).status());
    }
    assertThrows(SpopProtocolException.class, () -> SpopClientCodec.decodeTypedValue(Buffer.buffer(hex("08 05 41 42"))));
    assertThrows(SpopProtocolException.class, () -> SpopClientCodec.decodeTypedValue(Buffer.buffer(hex("06 7f 00 00"))));
    assertThrows(SpopProtocolException.class, () -> SpopClientCodec.decodeTypedValue(Buffer.buffer(hex("03 ff f0 fe fe fe 0e"))));
  }

  @Test
  void factoriesAndAccessors() throws Exception {
    assertEquals(TypedValue.Type.IPV4, TypedValue.ip(InetAddress.getByName("10.1.2.3")).type());
    assertEquals(TypedValue.Type.IPV6, TypedValue.ip(InetAddress.getByName("::1")).type());
    assertEquals(-1L, TypedValue.int32(-1).asLong());
    assertEquals("GET", TypedValue.string("GET").asString());
    assertArrayEquals(hex("cafe"), TypedValue.binary(hex("cafe")).asBytes());
    assertTrue(TypedValue.string(null).isNull());
    assertThrows(IllegalArgumentException.class, () -> TypedValue.uint32(-1));
    assertThrows(IllegalArgumentException.class, () -> TypedValue.ipv4("localhost"));
    assertThrows(IllegalStateException.class, () -> TypedValue.string("x").asLong());
    assertEquals("BINARY:cafe", TypedValue.binary(hex("cafe")).toString());
    byte[] source = hex("0102");
    TypedValue bin = TypedValue.binary(source);
    source[0] = 9;
    assertArrayEquals(hex("0102"), bin.asBytes(), "binary values are copied");
  }

  @Test
  void messageBuilderPicksHaproxyTypes() throws Exception {
    Message m = Message.of("m").arg("s", "x").arg("i", 5).arg("b", true)
        .arg("ip", InetAddress.getByName("10.0.0.1")).arg("bin", hex("00")).arg("n", (String) null);
    assertEquals(List.of(TypedValue.Type.STRING, TypedValue.Type.INT64, TypedValue.Type.BOOL,
            TypedValue.Type.IPV4, TypedValue.Type.BINARY, TypedValue.Type.NULL),
        m.args().stream().map(a -> a.value().type()).toList());
    Message base = Message.of("base");
    base.arg("a", 1);
    assertEquals(0, base.args().size(), "messages are immutable");
  }
}
