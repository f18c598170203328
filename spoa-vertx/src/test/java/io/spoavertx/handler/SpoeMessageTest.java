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
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.HexFormat;

class SpoeMessageTest {

  /** The messages of a golden NOTIFY as the agent builds them: views over the frame. */
  static SpoeMessage[] messages(String golden) {
    Buffer frame = GoldenFrames.load(golden);
    SpopReader r = new SpopReader(frame, 4, frame.length());
    new FrameHeader().read(r);
    NotifyScanner s = new NotifyScanner();
    int n = s.scan(frame, r.pos(), frame.length());
    SpoeMessage[] out = new SpoeMessage[n];
    for (int i = 0; i < n; i++) {
      String name = frame.getString(s.nameOffset(i), s.nameOffset(i) + s.nameLength(i));
      out[i] = new SpoeMessage(frame, s.start(i), s.end(i), name, s.argsOffset(i), s.argCount(i));
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
}
