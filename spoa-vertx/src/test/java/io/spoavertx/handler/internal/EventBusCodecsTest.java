package io.spoavertx.handler.internal;

import io.spoavertx.handler.Actions;
import io.spoavertx.handler.Scope;
import io.spoavertx.handler.SpoeMessage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

/** The cluster wire form of the event-bus codecs: length-prefixed SPOP encoding, read back in place. */
class EventBusCodecsTest {

  @Test
  void actionsTravelInTheirSpopEncoding() {
    EventBusCodecs.ActionsCodecImpl codec = new EventBusCodecs.ActionsCodecImpl();
    Actions a = Actions.create().setVar(Scope.TXN, "score", 42L).unsetVar(Scope.SESS, "x").setVar(Scope.REQ, "s", "v");
    Buffer wire = Buffer.buffer().appendString("prefix");
    codec.encodeToWire(wire, a);
    wire.appendString("suffix");
    assertEquals(6 + 4 + a.encodedLength() + 6, wire.length());
    assertEquals(a.encodedLength(), wire.getInt(6));
    Actions back = codec.decodeFromWire(6, wire);
    assertEquals(a.toString(), back.toString());
    assertEquals(HexFormat.of().formatHex(a.encoded().getBytes()), HexFormat.of().formatHex(back.encoded().getBytes()));
    assertEquals(3, back.size());
    assertThrows(IllegalStateException.class, () -> back.setVar(Scope.TXN, "y", 1));

    Buffer empty = Buffer.buffer();
    codec.encodeToWire(empty, Actions.none());
    assertEquals(0, codec.decodeFromWire(0, empty).size());
  }

  @Test
  void localDeliveryPassesTheSameFrozenActions() {
    Actions a = Actions.create().setVar(Scope.TXN, "a", 1);
    assertSame(a, new EventBusCodecs.ActionsCodecImpl().transform(a));
    assertThrows(IllegalStateException.class, () -> a.setVar(Scope.TXN, "b", 1));
  }

  @Test
  void messagesTravelInTheirSpopEncoding() {
    EventBusCodecs.MessageCodecImpl codec = new EventBusCodecs.MessageCodecImpl();
    for (SpoeMessage m : io.spoavertx.handler.SpoeMessageTest.messages("haproxy-2.6.12-notify-all-types")) {
      Buffer wire = Buffer.buffer().appendString("p");
      codec.encodeToWire(wire, m);
      SpoeMessage back = codec.decodeFromWire(1, wire);
      assertEquals(m.toString(), back.toString());
      assertEquals(m.name(), back.name());
    }
  }
}
