package io.spoavertx.testing;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.util.List;

import static io.spoavertx.testing.VarintTest.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AckDecodeTest {

  private static Ack decode(String hexFrame) {
    return SpopClientCodec.decodeAck(SpopClientCodec.decodeFrameWithLength(Buffer.buffer(hex(hexFrame))));
  }

  /** Builds "u32 len, 67, 00000001, sid, fid, actions" from hand-written action bytes. */
  private static Ack ackWith(long sid, long fid, String actionsHex) {
    Buffer body = Buffer.buffer().appendByte((byte) 103).appendInt(1);
    SpopClientCodec.writeVarint(body, sid);
    SpopClientCodec.writeVarint(body, fid);
    body.appendBytes(hex(actionsHex));
    return SpopClientCodec.decodeAck(SpopClientCodec.decodeFrame(body));
  }

  @Test
  void emptyAck() {
    Ack ack = decode("00000007 67 00000001 05 01");
    assertEquals(new Ack(5, 1, List.of()), ack);
    AckAssert.assertThat(ack).hasNoActions().hasIds(5, 1);
  }

  @Test
  void setVarOfEveryType() {
    // 01 03 <scope> <name> <typed value>, name "v" = 01 76
    record Case(String valueHex, TypedValue expected) { }
    List<Case> cases = List.of(
        new Case("00", TypedValue.nil()),
        new Case("11", TypedValue.bool(true)),
        new Case("01", TypedValue.bool(false)),
        new Case("02 2a", TypedValue.int32(42)),
        new Case("02 ff f0 fe fe fe fe fe fe fe 0e", TypedValue.int32(-1)),
        new Case("03 fc f0 06", TypedValue.uint32(16380)),
        new Case("04 f6 ee fe fe fe fe fe fe fe 0e", TypedValue.int64(-42)),
        new Case("05 ff f0 fe fe 7e", TypedValue.uint64(0xFFFF_FFFFL)),
        new Case("06 c0 00 02 07", TypedValue.ipv4("192.0.2.7")),
        new Case("07 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01", TypedValue.ipv6("2001:db8::1")),
        new Case("08 02 6f 6b", TypedValue.string("ok")),
        new Case("09 03 00 01 ff", TypedValue.binary(hex("0001ff"))));
    for (VarScope scope : VarScope.values()) {
      for (Case c : cases) {
        String scopeHex = String.format("%02x", scope.code());
        Ack ack = ackWith(7, 1, "01 03 " + scopeHex + " 01 76 " + c.valueHex());
        assertEquals(List.of(AckAction.setVar(scope, "v", c.expected())), ack.actions(), c.valueHex());
        AckAssert.assertThat(ack).hasActionCount(1).setsVar(scope, "v", c.expected());
      }
    }
  }

  @Test
  void unsetVarAndSeveralActions() {
    // set txn.score INT32 42, set sess.deny BOOL true, unset req.reason
    Ack ack = ackWith(1, 1, "01 03 02 05 73636f7265 02 2a"
        + "01 03 01 04 64656e79 11"
        + "02 02 03 06 726561736f6e");
    assertEquals(List.of(
        AckAction.setVar(VarScope.TXN, "score", TypedValue.int32(42)),
        AckAction.setVar(VarScope.SESS, "deny", TypedValue.bool(true)),
        AckAction.unsetVar(VarScope.REQ, "reason")), ack.actions());
    AckAssert.assertThat(ack)
        .setsVar(VarScope.TXN, "score").withIntIn(0, 100).withType(TypedValue.Type.INT32).and()
        .setsVar(VarScope.TXN, "score", 42)
        .setsVar(VarScope.SESS, "deny", true)
        .unsetsVar(VarScope.REQ, "reason")
        .doesNotTouchVar(VarScope.RES, "score");
  }

  @Test
  void assertionMessagesListActualActions() {
    Ack ack = ackWith(1, 1, "01 03 02 05 73636f7265 04 f0 c2 06");
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> AckAssert.assertThat(ack).setsVar(VarScope.TXN, "score").withIntIn(0, 100));
    assertTrue(e.getMessage().contains("set-var(txn.score, INT64:"), e.getMessage());
    e = assertThrows(AssertionFailedError.class, () -> AckAssert.assertThat(ack).setsVar(VarScope.TXN, "deny", true));
    assertTrue(e.getMessage().contains("set-var(txn.deny)") && e.getMessage().contains("txn.score"), e.getMessage());
    assertThrows(AssertionFailedError.class, () -> AckAssert.assertThat(ack).hasNoActions());
    assertThrows(AssertionFailedError.class, () -> AckAssert.assertThat(ack).unsetsVar(VarScope.TXN, "score"));
  }

  @Test
  void malformedAcksAreRejected() {
    for (String bad : List.of(
        "01 03 02 01 76",          // value missing
        "01 02 02 01 76 11",       // SET-VAR with 2 args
        "02 03 02 01 76",          // UNSET-VAR with 3 args
        "03 00",                   // unknown action
        "01 03 05 01 76 11",       // unknown scope
        "01 03 02 05 76 11",       // name runs past the end
        "01 03 02 01 76 0a",       // reserved type
        "01")) {                   // truncated
      SpopProtocolException e = assertThrows(SpopProtocolException.class, () -> ackWith(1, 1, bad), bad);
      assertEquals(4, e.status());
    }
  }

  @Test
  void agentHelloAndDisconnectDecoding() {
    Buffer kv = Buffer.buffer();
    SpopClientCodec.writeKvList(kv, new java.util.LinkedHashMap<>(java.util.Map.of(
        "version", TypedValue.string("2.0"))));
    SpopClientCodec.writeTypedValue(SpopClientCodec.writeString(kv, "max-frame-size"), TypedValue.uint32(16380));
    SpopClientCodec.writeTypedValue(SpopClientCodec.writeString(kv, "capabilities"), TypedValue.string("pipelining, fragmentation"));
    AgentHello h = SpopClientCodec.decodeAgentHello(new Frame(101, 1, 0, 0, kv));
    assertEquals("2.0", h.version());
    assertEquals(16380, h.maxFrameSize());
    assertEquals(List.of("pipelining", "fragmentation"), h.capabilityList());

    Buffer d = Buffer.buffer();
    SpopClientCodec.writeTypedValue(SpopClientCodec.writeString(d, "status-code"), TypedValue.uint32(4));
    SpopClientCodec.writeTypedValue(SpopClientCodec.writeString(d, "message"), TypedValue.string("invalid frame"));
    assertEquals(new AgentDisconnect(4, "invalid frame"), SpopClientCodec.decodeAgentDisconnect(new Frame(102, 1, 0, 0, d)));
  }
}
