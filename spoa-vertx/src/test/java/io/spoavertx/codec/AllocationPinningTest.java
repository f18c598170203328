package io.spoavertx.codec;

import io.spoavertx.testing.Allocations;
import io.spoavertx.testing.GoldenFrames;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Pins the codec's zero-allocation paths (see BENCHMARKS.md); raise a limit only on purpose. */
class AllocationPinningTest {

  @BeforeAll
  static void supported() {
    Assumptions.assumeTrue(Allocations.isSupported(), "JVM cannot count allocated bytes per thread");
    Assumptions.assumeTrue(HeapArrays.ALLOCATION_FREE, "Vert.x 5.0: a buffer's array costs a Netty duplicate per read; the pins hold from 5.1 on");
  }

  @Test
  void splittingAndScanningAGoldenNotifyAllocatesNothing() {
    Buffer frame = GoldenFrames.load("haproxy-2.6.12-notify");
    SpopReader reader = new SpopReader();
    FrameHeader header = new FrameHeader();
    NotifyScanner scanner = new NotifyScanner();
    int[] messages = {0};
    FrameParser parser = new FrameParser(16380, new FrameParser.Handler() {
      @Override
      public void frame(Buffer buf, int start, int end) {
        reader.reset(buf, start, end);
        header.read(reader);
        messages[0] = scanner.scan(buf, reader.pos(), end);
      }

      @Override
      public void frameError(SpopException error) {
        throw error;
      }
    });
    long bytes = Allocations.bytesAllocatedBy(() -> parser.handle(frame));
    assertEquals(2, messages[0]);
    assertEquals(0, bytes, "FrameParser + FrameHeader + NotifyScanner on a whole frame");
  }

  @Test
  void writingAnAckIntoAReusedBufferAllocatesNothing() {
    Buffer out = Buffer.buffer(1024);
    long bytes = Allocations.bytesAllocatedBy(() -> {
      TestBuffers.clear(out);
      int start = SpopWriter.beginFrame(out, FrameType.ACK, 1234, 1);
      SpopWriter.beginSetVar(out, 2, "score");
      SpopWriter.writeInt64(out, 42);
      SpopWriter.beginSetVar(out, 2, "deny");
      SpopWriter.writeBool(out, false);
      SpopWriter.endFrame(out, start);
    });
    assertEquals(0, bytes, "SpopWriter into a reused buffer");
  }

  /**
   * A frame straddling two reads is copied aside, and only it: the rest of the second read is
   * parsed in place. 20 frames per read, the boundary in the middle of one.
   */
  @Test
  void aFrameStraddlingTwoReadsCopiesOnlyThatFrame() {
    Buffer frame = GoldenFrames.load("haproxy-2.6.12-notify");
    int n = 20;
    Buffer stream = Buffer.buffer();
    for (int i = 0; i < 2 * n; i++) {
      stream.appendBuffer(frame);
    }
    int cut = n * frame.length() - frame.length() / 2;
    Buffer first = stream.slice(0, cut);
    Buffer second = stream.slice(cut, stream.length());
    int[] frames = {0};
    FrameParser parser = new FrameParser(16380, new FrameParser.Handler() {
      @Override
      public void frame(Buffer buf, int start, int end) {
        frames[0]++;
      }

      @Override
      public void frameError(SpopException error) {
        throw error;
      }
    });
    long bytes = Allocations.bytesAllocatedBy(() -> {
      parser.handle(first);
      parser.handle(second);
    });
    assertEquals(0, frames[0] % (2 * n));
    // one straddling frame (154 B) plus its Buffer/ByteBuf wrappers, far below a read (~3 KB)
    org.junit.jupiter.api.Assertions.assertTrue(bytes <= frame.length() + 512,
        "parsing two reads allocated " + bytes + " B; a read is " + second.length() + " B");
  }
}
