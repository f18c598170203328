package io.spoavertx.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.buffer.Buffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Fuzzes the agent's decoding path in-process (see {@link CodecHarness}): about a million byte
 * streams, mutated from the golden frames, fed in random splits. Only {@link SpopException} may
 * come out, and nothing may hang. Reproduce a failure with {@code -Dfuzz.seed=...}; change the
 * volume with {@code -Dfuzz.streams=...}.
 */
class CodecFuzzTest {

  private static final long SEED = Long.getLong("fuzz.seed", 0x5B0A_F022L);
  private static final int STREAMS = Integer.getInteger("fuzz.streams", 1_000_000);
  private static final int MAX_FRAME_SIZE = 16380;

  @Test
  void corpusFramesDecodeCleanly() {
    for (Buffer frame : FrameMutator.CORPUS) {
      CodecHarness h = new CodecHarness();
      h.feed(List.of(frame.copy()), MAX_FRAME_SIZE);
      assertEquals(1, h.frames, "one frame in " + hex(frame));
      assertEquals(0, h.parserErrors, hex(frame));
    }
  }

  @Test
  void mutatedStreamsOnlyEverRaiseSpopException() {
    CodecHarness h = new CodecHarness();
    long[] slowest = new long[1];
    assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
      FrameMutator m = new FrameMutator(SEED, MAX_FRAME_SIZE);
      for (int i = 0; i < STREAMS; i++) {
        Buffer stream = m.next();
        List<Buffer> reads = m.split(stream);
        long t0 = System.nanoTime();
        try {
          h.feed(reads, MAX_FRAME_SIZE);
        } catch (Throwable t) {
          fail("stream " + i + " (seed " + SEED + ", reads " + sizes(reads) + ") threw " + t + ": " + hex(stream), t);
        }
        slowest[0] = Math.max(slowest[0], System.nanoTime() - t0);
      }
    }, "the codec path hangs or is pathologically slow");
    System.out.println("codec fuzz, seed " + SEED + ": " + h + "; slowest stream " + slowest[0] / 1000 + " us");
    assertEquals(STREAMS, h.streams);
    // The mutations must reach past the parser into the payload decoders, or the run proves little.
    assertTrue(h.frames > STREAMS / 2, h.toString());
    assertTrue(h.messages > STREAMS / 10, h.toString());
    assertTrue(h.args > STREAMS / 2, h.toString());
    assertTrue(h.parserErrors > STREAMS / 50, h.toString());
    assertTrue(slowest[0] < Duration.ofSeconds(5).toNanos(), "slowest stream took " + slowest[0] / 1000 + " us");
  }

  /** Arbitrary bytes, with jqwik's shrinking to a minimal input should anything else escape. */
  @Property(tries = 5000)
  void arbitraryBytesOnlyEverRaiseSpopException(@ForAll @Size(max = 200) byte[] bytes, @ForAll boolean asFrame) {
    Buffer b = Buffer.buffer(bytes);
    if (asFrame) { // a well-formed length prefix, so the decoders get the bytes
      b = Buffer.buffer().appendInt(bytes.length).appendBuffer(b);
    }
    new CodecHarness().feed(List.of(b), MAX_FRAME_SIZE);
  }

  private static List<Integer> sizes(List<Buffer> reads) {
    List<Integer> out = new ArrayList<>();
    reads.forEach(r -> out.add(r.length()));
    return out;
  }

  static String hex(Buffer b) {
    return HexFormat.of().formatHex(b.getBytes());
  }
}
