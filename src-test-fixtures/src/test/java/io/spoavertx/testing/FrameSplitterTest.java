package io.spoavertx.testing;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FrameSplitterTest {

  private static Buffer allGoldenFrames() {
    Buffer all = Buffer.buffer();
    GoldenFrames.names().forEach(n -> all.appendBuffer(GoldenFrames.load(n)));
    return all;
  }

  @Test
  void splitsInputCutAtEveryByte() {
    Buffer all = allGoldenFrames();
    List<Frame> frames = new ArrayList<>();
    FrameSplitter s = new FrameSplitter(16380, frames::add);
    for (int i = 0; i < all.length(); i++) {
      s.feed(all.getBuffer(i, i + 1));
    }
    assertEquals(GoldenFrames.names().size(), frames.size());
    for (int i = 0; i < frames.size(); i++) {
      GoldenFramesTest.assertBytes(GoldenFrames.load(GoldenFrames.names().get(i)), frames.get(i).encode());
    }
    assertEquals(0, s.buffered());
  }

  @Test
  void splitsRandomChunks() {
    Buffer all = allGoldenFrames();
    Random rnd = new Random(42);
    for (int round = 0; round < 50; round++) {
      List<Frame> frames = new ArrayList<>();
      FrameSplitter s = new FrameSplitter(0, frames::add);
      int pos = 0;
      while (pos < all.length()) {
        int end = Math.min(all.length(), pos + 1 + rnd.nextInt(300));
        s.feed(all.getBuffer(pos, end));
        pos = end;
      }
      assertEquals(GoldenFrames.names().size(), frames.size());
    }
  }

  @Test
  void rejectsTooBigFrameBeforeBuffering() {
    FrameSplitter s = new FrameSplitter(16380, f -> { });
    // "GET " read as a length: 0x47455420 = 1195725856
    SpopProtocolException e = assertThrows(SpopProtocolException.class,
        () -> s.feed(Buffer.buffer("GET / HTTP/1.1\r\n")));
    assertEquals(3, e.status());
    assertEquals(0, s.buffered());
    assertThrows(SpopProtocolException.class, () -> s.feed(Buffer.buffer("x")));
  }

  @Test
  void rejectsImpossiblyShortFrames() {
    FrameSplitter s = new FrameSplitter(16380, f -> { });
    assertEquals(4, assertThrows(SpopProtocolException.class,
        () -> s.feed(Buffer.buffer(new byte[] {0, 0, 0, 3, 1, 2, 3}))).status());
  }
}
