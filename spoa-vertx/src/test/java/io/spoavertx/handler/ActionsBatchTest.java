package io.spoavertx.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.handler.internal.ActionsBatch;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

/** A reply from a handler node is validated per message: one bad entry fails that message only. */
class ActionsBatchTest {

  static Buffer wire(String... entries) {
    Buffer b = Buffer.buffer().appendInt(entries.length);
    for (String hex : entries) {
      byte[] bytes = HexFormat.of().parseHex(hex);
      b.appendInt(bytes.length).appendBytes(bytes);
    }
    return b;
  }

  @Test
  void aMessageWithInvalidActionsFailsWithTheReasonAndTheOthersKeepTheirs() {
    String ok = HexFormat.of().formatHex(Actions.create().setVar(Scope.TXN, "score", 42).encoded().getBytes());
    Buffer in = Buffer.buffer("prefix").appendBuffer(wire(ok, "010309" + "0178" + "022a", ok));
    ActionsBatch batch = ActionsBatch.decodeFrom(in, 6);
    assertEquals(3, batch.count());
    assertEquals(Actions.create().setVar(Scope.TXN, "score", 42).list(), batch.actions(0).list());
    assertNull(batch.actions(1));
    assertTrue(batch.failure(1).startsWith("invalid actions from the handler node: "), batch.failure(1));
    assertTrue(batch.failure(1).contains("unknown variable scope 9"), batch.failure(1));
    assertEquals(1, batch.actions(2).size());
  }

  @Test
  void aBatchWhoseFramingIsBrokenReadsAsNoAnswers() {
    Buffer lying = Buffer.buffer().appendInt(1000).appendInt(1).appendByte((byte) 1);
    assertEquals(0, ActionsBatch.decodeFrom(lying, 0).count());
    Buffer overrun = Buffer.buffer().appendInt(1).appendInt(50).appendByte((byte) 1);
    assertEquals(0, ActionsBatch.decodeFrom(overrun, 0).count());
  }

  @Test
  void whatEncodeToWritesReadsBack() {
    ActionsBatch b = new ActionsBatch(new Actions[] {Actions.create().setVar(Scope.REQ, "a", "b").freeze(), null},
        new String[] {null, "boom"});
    Buffer out = Buffer.buffer();
    b.encodeTo(out);
    ActionsBatch back = ActionsBatch.decodeFrom(out, 0);
    assertEquals(b.actions(0).list(), back.actions(0).list());
    assertEquals("boom", back.failure(1));
  }
}
