package io.spoavertx.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.spoavertx.handler.SpoeMessage;
import io.spoavertx.testing.GoldenFrames;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The codec reads arrays, not Buffers: the same golden NOTIFY decodes to the same values whether it
 * sits at index 0 of a heap buffer, inside a slice (a non-zero array offset), or in direct memory
 * (copied), and the Buffers a message hands out are views of its bytes.
 */
class HeapArraysTest {

  private static final String NOTIFY = "haproxy-2.6.12-notify-all-types";

  @Test
  void aGoldenNotifyDecodesTheSameFromEveryKindOfBuffer() {
    Buffer frame = GoldenFrames.load(NOTIFY);
    List<String> expected = decode(frame);
    assertFalse(expected.isEmpty());

    // inside a larger heap buffer, then sliced: index 0 of the slice is array index 7
    Buffer padded = Buffer.buffer().appendString("garbage").appendBuffer(frame).appendString("tail");
    Buffer slice = padded.slice(7, 7 + frame.length());
    assertEquals(7, HeapArrays.offset(slice) - HeapArrays.offset(padded));
    assertEquals(expected, decode(slice));

    // direct memory: no array, the scanned range is copied
    ByteBuf direct = Unpooled.directBuffer(frame.length()).writeBytes(frame.getBytes());
    try {
      assertFalse(direct.hasArray());
      assertEquals(expected, decode(BufferInternal.buffer(direct)));
    } finally {
      direct.release();
    }
  }

  @Test
  void arrayAndOffsetAddressTheBufferBytes() {
    Buffer padded = Buffer.buffer().appendString("0123456789");
    Buffer slice = padded.slice(3, 8);
    byte[] a = HeapArrays.array(slice);
    assertSame(HeapArrays.array(padded), a);
    for (int i = 0; i < slice.length(); i++) {
      assertEquals(slice.getByte(i), a[HeapArrays.offset(slice) + i]);
    }
  }

  @Test
  void wrapSharesTheBytesAndItsCopiesDoNot() {
    byte[] a = "abcdefgh".getBytes();
    Buffer view = HeapArrays.wrap(a, 2, 3);
    assertEquals("cde", view.toString());
    Buffer copy = view.copy();
    a[2] = 'X';
    assertEquals("Xde", view.toString());
    assertEquals("cde", copy.toString());
    assertNotSame(a, HeapArrays.array(copy));
  }

  @Test
  void binaryArgumentsAreViewsOfTheMessageBytes() {
    SpoeMessage m = SpoeMessage.builder("m").arg("b", new byte[] {1, 2, 3}).arg("s", "text").build();
    Buffer b = m.getBinary("b");
    assertEquals(Buffer.buffer(new byte[] {1, 2, 3}), b);
    assertSame(HeapArrays.array(m.encoded()), HeapArrays.array(b));
    assertEquals("text", m.getString("s"));
    assertTrue(m.encodedLength() > 0);
    assertEquals(m.toString(), SpoeMessage.decode(m.encoded().copy()).toString());
  }

  /** Header, scan and every argument of every message, as text. */
  private static List<String> decode(Buffer frame) {
    SpopReader r = new SpopReader(frame, 4, frame.length());
    new FrameHeader().read(r);
    NotifyScanner s = new NotifyScanner();
    int n = s.scan(frame, r.pos(), frame.length());
    List<String> out = new ArrayList<>();
    byte[] a = s.array();
    int base = s.arrayOffset();
    for (int i = 0; i < n; i++) {
      String name = new String(a, base + s.nameOffset(i), s.nameLength(i));
      SpoeMessage viaArray = io.spoavertx.agent.impl.MessageViews.create(a, base + s.start(i), base + s.end(i), name, base + s.argsOffset(i),
          s.argCount(i));
      SpoeMessage viaBuffer = io.spoavertx.agent.impl.MessageViews.create(frame, s.start(i), s.end(i), name, s.argsOffset(i), s.argCount(i));
      assertEquals(viaArray.toString(), viaBuffer.toString());
      out.add(viaArray.toString());
      for (int k = 0; k < viaArray.argCount(); k++) {
        String arg = viaArray.argName(k);
        out.add(arg + ":" + viaArray.typeOf(arg) + ":" + viaArray.getString(arg));
      }
    }
    return out;
  }
}
