package io.spoavertx.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.testing.GoldenFrames;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

class HelloCodecTest {

  private static HaproxyHello decode(String golden) {
    Buffer frame = GoldenFrames.load(golden);
    SpopReader r = new SpopReader(frame, 4, frame.length());
    FrameHeader h = new FrameHeader().read(r);
    assertEquals(FrameType.HAPROXY_HELLO, h.type);
    assertTrue(h.fin());
    return HaproxyHello.decode(r);
  }

  @Test
  void haproxy26Hello() {
    HaproxyHello hello = decode("haproxy-2.6.12-haproxy-hello");
    assertEquals(List.of("2.0"), hello.supportedVersions());
    assertEquals(16380L, hello.maxFrameSize());
    assertEquals(List.of("pipelining", "async"), hello.capabilities());
    assertEquals("f9672ab5-201b-4004-8943-674adab5b1b9", hello.engineId());
    assertFalse(hello.healthcheck());
  }

  @Test
  void haproxy3Hello() {
    for (String name : new String[] {"haproxy-3.2.0-haproxy-hello", "haproxy-3.4.0-haproxy-hello"}) {
      HaproxyHello hello = decode(name);
      assertEquals(List.of("pipelining"), hello.capabilities());
      assertEquals(16380L, hello.maxFrameSize());
    }
  }

  @Test
  void healthcheckHello() {
    HaproxyHello hello = decode("haproxy-healthcheck-hello");
    assertTrue(hello.healthcheck());
    assertEquals(List.of(), hello.capabilities());
  }

  @Test
  void agentHelloBytes() {
    Buffer out = Buffer.buffer();
    SpopWriter.writeAgentHello(out, 16380, "pipelining");
    // length, type 101, flags FIN, sid 0, fid 0, version "2.0", max-frame-size UINT32 16380, capabilities
    String expected = "00000040" + "65" + "00000001" + "00" + "00"
        + "0776657273696f6e" + "08" + "03322e30"
        + "0e6d61782d6672616d652d73697a65" + "03" + "fcf006"
        + "0c6361706162696c6974696573" + "08" + "0a" + "706970656c696e696e67";
    assertEquals(expected, HexFormat.of().formatHex(out.getBytes()));
  }

  @Test
  void agentDisconnectCutsMessageTo255Bytes() {
    Buffer out = Buffer.buffer();
    SpopWriter.writeAgentDisconnect(out, DisconnectStatus.INVALID_FRAME, "x".repeat(1000));
    SpopReader r = new SpopReader(out, 4, out.length());
    FrameHeader h = new FrameHeader().read(r);
    assertEquals(FrameType.AGENT_DISCONNECT, h.type);
    HaproxyDisconnect d = HaproxyDisconnect.decode(r); // same KV layout
    assertEquals(4, d.statusCode());
    assertEquals(255, d.message().length());
  }
}
