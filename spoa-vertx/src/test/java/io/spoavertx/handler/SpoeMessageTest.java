package io.spoavertx.handler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.codec.FrameHeader;
import io.spoavertx.codec.NotifyScanner;
import io.spoavertx.codec.SpopReader;
import io.spoavertx.testing.GoldenFrames;
import io.vertx.core.buffer.Buffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

public class SpoeMessageTest {

  /** The messages of a golden NOTIFY as the agent builds them: views over the frame. */
  public static SpoeMessage[] messages(String golden) {
    return messages(GoldenFrames.load(golden));
  }

  static SpoeMessage[] messages(Buffer frame) {
    SpopReader r = new SpopReader(frame, 4, frame.length());
    new FrameHeader().read(r);
    NotifyScanner s = new NotifyScanner();
    int n = s.scan(frame, r.pos(), frame.length());
    SpoeMessage[] out = new SpoeMessage[n];
    for (int i = 0; i < n; i++) {
      String name = frame.getString(s.nameOffset(i), s.nameOffset(i) + s.nameLength(i));
      out[i] = io.spoavertx.agent.impl.MessageViews.create(frame, s.start(i), s.end(i), name, s.argsOffset(i), s.argCount(i));
    }
    return out;
  }

  @Test
  void everyArgumentTypeHaproxyProducesIsDecoded() throws Exception {
    for (String golden : new String[] {"haproxy-2.6.12-notify-all-types", "haproxy-3.4.0-notify-all-types"}) {
      SpoeMessage[] m = messages(golden);
      assertEquals("check-client-ip", m[0].name());
      assertEquals(InetAddress.getByName("127.0.0.1"), m[0].getAddress("ip"));
      assertEquals(DataType.IPV4, m[0].typeOf("ip"));
      assertEquals("/", m[0].getString("path"));
      assertEquals("e2e-harness/1.0", m[0].getString("ua"));

      SpoeMessage meta = m[1];
      assertEquals("check-request-meta", meta.name());
      assertEquals(9, meta.argCount());
      assertEquals(18090L, meta.getLong("port"));
      assertEquals(DataType.INT64, meta.typeOf("port"));
      assertEquals(3L, meta.getLong("hdrs"));
      assertEquals(-42L, meta.getLong("neg"));
      assertEquals(true, meta.getBoolean("flag"));
      assertEquals(InetAddress.getByName("192.0.2.7"), meta.getAddress("v4"));
      assertEquals(InetAddress.getByName("2001:db8::1"), meta.getAddress("v6"));
      assertEquals(DataType.IPV6, meta.typeOf("v6"));
      assertArrayEquals(HexFormat.of().parseHex("cafebabe00ff"), meta.getBinary("blob").getBytes());
      assertEquals(DataType.BINARY, meta.typeOf("blob"));
      assertEquals("GET", meta.getString("method"));
      assertEquals(DataType.NULL, meta.typeOf("absent"));
      assertNull(meta.get("absent"));
      assertNull(meta.getString("absent"));
      assertTrue(meta.contains("absent"));
      assertFalse(meta.contains("nope"));
      assertNull(meta.getLong("nope"));
      assertEquals("absent", meta.argName(8));
      assertEquals(-42L, meta.argValue(2));
    }
  }

  @Test
  void encodedMessageDecodesToTheSameMessage() {
    for (SpoeMessage m : messages("haproxy-2.6.12-notify-all-types")) {
      SpoeMessage copy = SpoeMessage.decode(Buffer.buffer(m.encoded().getBytes()));
      assertEquals(m.toString(), copy.toString());
      assertEquals(m.name(), copy.name());
      assertEquals(m.argCount(), copy.argCount());
    }
  }

  @Test
  void builderUsesHaproxyDefaultTypes() throws Exception {
    SpoeMessage m = SpoeMessage.builder("route")
        .arg("cookie", "abc")
        .arg("n", 7)
        .arg("ok", false)
        .arg("ip", InetAddress.getByName("::1"))
        .arg("raw", new byte[] {1, 2})
        .arg("none", null)
        .build();
    assertEquals(DataType.STRING, m.typeOf("cookie"));
    assertEquals(DataType.INT64, m.typeOf("n"));
    assertEquals(7L, m.getLong("n"));
    assertEquals(false, m.getBoolean("ok"));
    assertEquals(InetAddress.getByName("::1"), m.getAddress("ip"));
    assertEquals(2, m.getBinary("raw").length());
    assertEquals(DataType.NULL, m.typeOf("none"));
  }

  @Test
  void copyKeepsTheMessageWhenTheFrameBytesAreReused() {
    Buffer frame = GoldenFrames.load("haproxy-2.6.12-notify-all-types");
    SpoeMessage[] m = messages(frame);
    List<String> before = new ArrayList<>();
    List<byte[]> encoded = new ArrayList<>();
    List<SpoeMessage> copies = new ArrayList<>();
    for (SpoeMessage message : m) {
      message.getString("method"); // a cursor mid-message: the copy starts from it
      before.add(message.toString());
      encoded.add(message.encoded().getBytes());
      copies.add(message.copy());
    }
    for (int i = 0; i < frame.length(); i++) {
      frame.setByte(i, (byte) 0xEE); // the pooled read buffer, released and reused
    }
    for (int i = 0; i < m.length; i++) {
      SpoeMessage copy = copies.get(i);
      assertEquals(m[i].name(), copy.name());
      assertEquals(m[i].argCount(), copy.argCount());
      assertEquals(encoded.get(i).length, copy.encodedLength());
      assertArrayEquals(encoded.get(i), copy.encoded().getBytes());
      assertEquals(before.get(i), copy.toString());
      assertEquals(encoded.get(i).length, copy.encoded().length(), "a copy holds just the message");
    }
    SpoeMessage meta = copies.get(1);
    assertEquals("GET", meta.getString("method"));
    assertEquals(18090L, meta.getLong("port"));
    assertEquals(7, meta.indexOf("method"));
    assertArrayEquals(HexFormat.of().parseHex("cafebabe00ff"), meta.getBinary("blob").getBytes());
  }

  /** Lookups in the order a handler reads, backwards, and repeated, on golden messages. */
  @Test
  void lookupsInAnyOrderGiveTheSameAnswers() throws Exception {
    String[] names = {"port", "hdrs", "neg", "flag", "v4", "v6", "blob", "method", "absent"};
    SpoeMessage fresh = messages("haproxy-3.4.0-notify-all-types")[1];
    Object[] expected = new Object[names.length];
    for (int i = 0; i < names.length; i++) {
      expected[i] = messages("haproxy-3.4.0-notify-all-types")[1].get(names[i]);
    }
    for (int i = 0; i < names.length; i++) {
      assertEquals(expected[i], fresh.get(names[i]));
      assertEquals(i, fresh.indexOf(names[i]));
      assertEquals(i, fresh.indexOf(names[i]), "twice");
    }
    for (int i = names.length - 1; i >= 0; i--) {
      assertEquals(expected[i], fresh.get(names[i]));
      assertEquals(names[i], fresh.argName(i));
      assertEquals(-1, fresh.indexOf(names[i] + "x"));
    }
    assertEquals(InetAddress.getByName("2001:db8::1"), fresh.getAddress("v6"));
    assertEquals(InetAddress.getByName("192.0.2.7"), fresh.getAddress("v4"));
  }

  /** Unnamed and repeated names: a lookup finds the first, wherever the cursor stands. */
  @Test
  void aRepeatedNameIsFoundAtItsFirstArgument() {
    SpoeMessage m = SpoeMessage.builder("m")
        .arg("", "first-unnamed").arg("a", 1).arg("", "second-unnamed").arg("a", 2).arg("b", 3).arg("", "third")
        .build();
    assertEquals("first-unnamed", m.getString(""));
    assertEquals(4, m.indexOf("b"));
    assertEquals("first-unnamed", m.getString(""), "after the cursor moved past the later ones");
    assertEquals(3L, m.getLong("b"));
    assertEquals(1L, m.getLong("a"));
    assertEquals(4, m.indexOf("b"));
    assertEquals(1, m.indexOf("a"));
    assertEquals("third", m.argValue(5));
    assertEquals(0, m.indexOf(""));
    assertEquals(1, m.indexOf("a"));
    assertEquals("m(=first-unnamed, a=1, =second-unnamed, a=2, b=3, =third)", m.toString());
  }

  @Test
  void namesBeyondAsciiAreComparedAsUtf8() {
    SpoeMessage m = SpoeMessage.builder("m").arg("café", "1").arg("日本", "2").arg("\uD83D\uDE00", "3").arg("cafe", "4").build();
    assertEquals("1", m.getString("café"));
    assertEquals("4", m.getString("cafe"));
    assertEquals("3", m.getString("\uD83D\uDE00"));
    assertEquals("2", m.getString("日本"));
    assertEquals(-1, m.indexOf("日"));
    assertEquals(-1, m.indexOf("\uD83D"));
    assertEquals("café", m.argName(0));
  }

  @Test
  void emptyMessageFindsNothing() {
    SpoeMessage m = SpoeMessage.builder("empty").build();
    assertEquals(-1, m.indexOf(""));
    assertNull(m.get("x"));
    assertEquals("empty()", m.toString());
    assertEquals("empty()", m.copy().toString());
  }

  @Test
  void argumentsPast64KiBAreStillFound() {
    SpoeMessage.Builder b = SpoeMessage.builder("big");
    for (int i = 0; i < 40; i++) {
      b.arg("a" + i, "x".repeat(3000) + i);
    }
    SpoeMessage m = b.build();
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 40; i++) {
        assertEquals("x".repeat(3000) + i, m.getString("a" + i));
        assertEquals(i, m.indexOf("a" + i));
      }
      for (int i = 39; i >= 0; i--) {
        assertEquals("a" + i, m.argName(i));
      }
    }
  }

  /**
   * Random messages (repeated, unnamed and non-ASCII names, values of every type and of lengths
   * that need 2-byte varints) at a random place in a larger buffer, read by a random sequence of
   * lookups, some on a copy made along the way: every answer is the first-match answer.
   */
  @Property(tries = 400)
  void lookupsAgreeWithAFirstMatchScan(@ForAll("args") List<Arg> args, @ForAll("ops") List<Op> ops,
      @ForAll("offsets") int offset) {
    SpoeMessage.Builder b = SpoeMessage.builder("m");
    for (Arg a : args) {
      b.arg(a.name, a.value);
    }
    Buffer enc = b.build().encoded();
    Buffer big = Buffer.buffer().appendBytes(new byte[offset]).appendBuffer(enc).appendBytes(new byte[3]);
    int argsStart = offset + 3; // name length 1, "m", nb-args
    SpoeMessage m = io.spoavertx.agent.impl.MessageViews.create(big, offset, offset + enc.length(), "m", argsStart, args.size());
    List<String> names = args.stream().map(Arg::name).toList();
    for (Op op : ops) {
      if (op.copy) {
        m = m.copy();
      }
      String name = op.name;
      int first = names.indexOf(name);
      assertEquals(first, m.indexOf(name), name + " in " + names);
      assertEquals(first >= 0, m.contains(name));
      Object want = first < 0 ? null : normalize(args.get(first).value);
      assertEquals(want, normalize(m.get(name)), name + " in " + names);
      if (!args.isEmpty()) {
        int i = Math.floorMod(op.index, args.size());
        assertEquals(names.get(i), m.argName(i));
        assertEquals(normalize(args.get(i).value), normalize(m.argValue(i)));
      }
    }
  }

  /** What the builder's value reads back as: integers as Long, byte[] and Buffer as byte lists. */
  private static Object normalize(Object v) {
    if (v instanceof Integer i) {
      return (long) i;
    }
    if (v instanceof byte[] bytes) {
      return Arrays.toString(bytes);
    }
    if (v instanceof Buffer buffer) {
      return Arrays.toString(buffer.getBytes());
    }
    return v;
  }

  record Arg(String name, Object value) {
  }

  record Op(String name, int index, boolean copy) {
  }

  private static final List<String> NAMES = List.of("", "ip", "path", "ua", "port", "flag", "a", "b", "ab", "ba",
      "aab", "abb", "café", "日本", "x.y_z");

  @Provide
  Arbitrary<List<Arg>> args() {
    Arbitrary<String> name = Arbitraries.of(NAMES);
    Arbitrary<Object> value = Arbitraries.<Object>oneOf(
        Arbitraries.just(null),
        Arbitraries.of(true, false),
        Arbitraries.longs(),
        Arbitraries.strings().ofMaxLength(300),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
        Arbitraries.bytes().array(byte[].class).ofSize(4).map(SpoeMessageTest::address),
        Arbitraries.bytes().array(byte[].class).ofSize(16).map(SpoeMessageTest::address));
    return Combinators.combine(name, value).as(Arg::new).list().ofMaxSize(20);
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<String> name = Arbitraries.oneOf(Arbitraries.of(NAMES), Arbitraries.of("nope", "ip2", "日"));
    Arbitrary<Boolean> copy = Arbitraries.integers().between(0, 9).map(i -> i == 0);
    return Combinators.combine(name, Arbitraries.integers().between(0, 30), copy).as(Op::new).list().ofMaxSize(30);
  }

  @Provide
  Arbitrary<Integer> offsets() {
    return Arbitraries.integers().between(0, 300);
  }

  private static Object address(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
