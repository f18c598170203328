package io.spoavertx.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.testing.GoldenFrames;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

class FrameParserTest {

  /** Collects the frames (length prefix excluded) and the error a parser reports. */
  static final class Collector implements FrameParser.Handler {
    final List<byte[]> frames = new ArrayList<>();
    SpopException error;

    @Override
    public void frame(Buffer buf, int start, int end) {
      frames.add(buf.getBytes(start, end));
    }

    @Override
    public void frameError(SpopException e) {
      error = e;
    }
  }

  private static List<Buffer> allGoldenFrames() {
    List<Buffer> frames = new ArrayList<>();
    for (String name : GoldenFrames.names()) {
      frames.add(GoldenFrames.load(name));
    }
    return frames;
  }

  @Test
  void everyGoldenFrameSplitAtEveryOffset() {
    for (String name : GoldenFrames.names()) {
      Buffer frame = GoldenFrames.load(name);
      byte[] expected = frame.getBytes(4, frame.length());
      for (int split = 0; split <= frame.length(); split++) {
        Collector c = new Collector();
        FrameParser p = new FrameParser(16380, c);
        p.handle(frame.slice(0, split));
        p.handle(frame.slice(split, frame.length()));
        assertNull(c.error, name + " split at " + split);
        assertEquals(1, c.frames.size(), name + " split at " + split);
        assertArrayEquals(expected, c.frames.get(0), name + " split at " + split);
        assertEquals(0, p.buffered());
      }
    }
  }

  @Test
  void allGoldenFramesCoalescedThenSplitAtEveryOffset() {
    List<Buffer> frames = allGoldenFrames();
    Buffer stream = Buffer.buffer();
    frames.forEach(stream::appendBuffer);
    for (int split = 0; split <= stream.length(); split++) {
      Collector c = new Collector();
      FrameParser p = new FrameParser(16380, c);
      p.handle(stream.slice(0, split));
      p.handle(stream.slice(split, stream.length()));
      assertNull(c.error);
      assertEquals(frames.size(), c.frames.size(), "split at " + split);
      for (int i = 0; i < frames.size(); i++) {
        assertArrayEquals(frames.get(i).getBytes(4, frames.get(i).length()), c.frames.get(i));
      }
    }
  }

  @Test
  void byteByByte() {
    List<Buffer> frames = allGoldenFrames();
    Buffer stream = Buffer.buffer();
    frames.forEach(stream::appendBuffer);
    Collector c = new Collector();
    FrameParser p = new FrameParser(16380, c);
    for (int i = 0; i < stream.length(); i++) {
      p.handle(stream.slice(i, i + 1));
    }
    assertEquals(frames.size(), c.frames.size());
  }

  @Test
  void rejectsOversizedLengthBeforeBufferingIt() {
    Collector c = new Collector();
    FrameParser p = new FrameParser(16380, c);
    // Only the 4 length bytes of a 1 GB frame arrive: the parser must refuse at once.
    p.handle(Buffer.buffer().appendInt(1 << 30));
    assertEquals(DisconnectStatus.FRAME_TOO_BIG, c.error.status());
    assertEquals(0, p.buffered());
    p.handle(Buffer.buffer(new byte[100]));
    assertTrue(c.frames.isEmpty());
  }

  @Test
  void httpRequestIsReadAsAnOversizedLength() {
    Collector c = new Collector();
    FrameParser p = new FrameParser(16380, c);
    p.handle(Buffer.buffer("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    assertEquals(DisconnectStatus.FRAME_TOO_BIG, c.error.status());
  }

  @Test
  void rejectsLengthShorterThanAHeader() {
    Collector c = new Collector();
    FrameParser p = new FrameParser(16380, c);
    p.handle(Buffer.buffer().appendInt(3).appendBytes(new byte[3]));
    assertEquals(DisconnectStatus.INVALID_FRAME, c.error.status());
  }

  @Test
  void pauseKeepsFramesUntilResume() {
    List<Buffer> frames = allGoldenFrames();
    Buffer stream = Buffer.buffer();
    frames.forEach(stream::appendBuffer);
    List<byte[]> seen = new ArrayList<>();
    FrameParser[] parser = new FrameParser[1];
    parser[0] = new FrameParser(16380, new FrameParser.Handler() {
      @Override
      public void frame(Buffer buf, int start, int end) {
        seen.add(buf.getBytes(start, end));
        parser[0].pause();
      }

      @Override
      public void frameError(SpopException e) {
        throw e;
      }
    });
    parser[0].handle(stream);
    assertEquals(1, seen.size());
    for (int i = 2; i <= frames.size(); i++) {
      parser[0].resume();
      assertEquals(i, seen.size());
    }
  }
}
