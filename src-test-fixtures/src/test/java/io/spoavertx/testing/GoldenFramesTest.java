package io.spoavertx.testing;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.spoavertx.testing.VarintTest.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GoldenFramesTest {

  /** The messages of haproxy-*-notify.hex (port 18080, one argument in check-client-ip). */
  static List<Message> notifyMessages() {
    return List.of(
        Message.of("check-client-ip").arg("ip", TypedValue.ipv4("127.0.0.1")),
        meta(18080));
  }

  /** The messages of haproxy-*-notify-all-types.hex (port 18090, three arguments in check-client-ip). */
  static List<Message> allTypesMessages() {
    return List.of(
        Message.of("check-client-ip").arg("ip", TypedValue.ipv4("127.0.0.1")).arg("path", "/").arg("ua", "e2e-harness/1.0"),
        meta(18090));
  }

  private static Message meta(long port) {
    return Message.of("check-request-meta")
        .arg("port", port)
        .arg("hdrs", 3)
        .arg("neg", -42)
        .arg("flag", true)
        .arg("v4", TypedValue.ipv4("192.0.2.7"))
        .arg("v6", TypedValue.ipv6("2001:db8::1"))
        .arg("blob", HexFormat.of().parseHex("cafebabe00ff"))
        .arg("method", "GET")
        .arg("absent", TypedValue.nil());
  }

  static Stream<String> names() {
    return GoldenFrames.names().stream();
  }

  @ParameterizedTest
  @MethodSource("names")
  void everyGoldenFrameLoadsAndHasAConsistentLengthPrefix(String name) {
    Buffer frame = GoldenFrames.load(name);
    assertEquals(frame.length() - 4, frame.getUnsignedInt(0), name);
    Frame f = SpopClientCodec.decodeFrameWithLength(frame);
    assertTrue(f.fin(), name);
    assertTrue(GoldenFrames.comments(name).get(1).startsWith("type=" + f.type()), name);
  }

  @Test
  void namesListsEveryShippedResource() throws IOException {
    Path dir = Path.of("src/main/resources/io/spoavertx/testing/golden");
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        List<String> shipped = files.map(p -> p.getFileName().toString())
            .filter(n -> n.endsWith(".hex")).map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        assertEquals(shipped, GoldenFrames.names().stream().sorted().toList());
      }
    }
    assertThrows(IllegalArgumentException.class, () -> GoldenFrames.load("nope"));
  }

  @ParameterizedTest
  @CsvSource({
      "haproxy-2.6.12-notify, 0",
      "haproxy-3.2.0-notify, 1",
      "haproxy-3.4.0-notify, 1",
  })
  void notifyEncodesByteForByte(String name, long streamId) {
    assertBytes(GoldenFrames.load(name), SpopClientCodec.encodeNotify(streamId, 1, notifyMessages()));
  }

  @ParameterizedTest
  @CsvSource({
      "haproxy-2.6.12-notify-all-types, 0",
      "haproxy-3.4.0-notify-all-types, 1",
  })
  void notifyAllTypesEncodesByteForByte(String name, long streamId) {
    assertBytes(GoldenFrames.load(name), SpopClientCodec.encodeNotify(streamId, 1, allTypesMessages()));
  }

  @Test
  void goldenNotifyDecodesToTheSameMessages() {
    Frame f = SpopClientCodec.decodeFrameWithLength(GoldenFrames.load("haproxy-2.6.12-notify-all-types"));
    assertEquals(allTypesMessages(), SpopClientCodec.decodeNotifyPayload(f.payload()));
  }

  @ParameterizedTest
  @CsvSource({
      "haproxy-2.6.12-haproxy-hello, 'pipelining,async', f9672ab5-201b-4004-8943-674adab5b1b9",
      "haproxy-3.2.0-haproxy-hello, pipelining, 6f5db71a-1ea4-4c2b-ae36-13375f09d190",
      "haproxy-3.4.0-haproxy-hello, pipelining, 9a366b47-2ee5-423a-8e9c-e6fa6c8548bf",
  })
  void helloEncodesByteForByte(String name, String capabilities, String engineId) {
    HelloOptions hello = new HelloOptions().maxFrameSize(16380).capabilities(capabilities).engineId(engineId);
    assertBytes(GoldenFrames.load(name), SpopClientCodec.encodeHaproxyHello(hello));
  }

  @Test
  void healthcheckHelloEncodesByteForByte() {
    assertBytes(GoldenFrames.load("haproxy-healthcheck-hello"), SpopClientCodec.encodeHaproxyHello(HelloOptions.spopCheck()));
    Map<String, TypedValue> kv = SpopClientCodec.decodeKvList(
        SpopClientCodec.decodeFrameWithLength(GoldenFrames.load("haproxy-healthcheck-hello")).payload());
    assertEquals(TypedValue.bool(true), kv.get("healthcheck"));
  }

  @Test
  void haproxyDisconnectEncoding() {
    Buffer frame = SpopClientCodec.encodeHaproxyDisconnect(2, "a timeout occurred");
    Frame f = SpopClientCodec.decodeFrameWithLength(frame);
    assertEquals(SpopClientCodec.TYPE_HAPROXY_DISCONNECT, f.type());
    assertEquals(1, f.flags());
    Map<String, TypedValue> kv = SpopClientCodec.decodeKvList(f.payload());
    assertEquals(TypedValue.uint32(2), kv.get("status-code"));
    assertEquals(TypedValue.string("a timeout occurred"), kv.get("message"));
    assertEquals("0b7374617475732d636f64650302", HexFormat.of().formatHex(f.payload().getBytes(0, 14)));
  }

  @Test
  void hexdumpParserChecksOffsets() {
    assertEquals(Buffer.buffer(hex("0102")), GoldenFrames.parseHexdump("# c\n00000000  01 02  |..|\n00000002\n"));
    assertThrows(IllegalArgumentException.class, () -> GoldenFrames.parseHexdump("00000000  01\n00000005\n"));
  }

  static void assertBytes(Buffer expected, Buffer actual) {
    assertEquals(HexFormat.of().formatHex(expected.getBytes()), HexFormat.of().formatHex(actual.getBytes()));
  }
}
