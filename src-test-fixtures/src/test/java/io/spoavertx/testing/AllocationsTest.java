package io.spoavertx.testing;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AllocationsTest {

  static volatile Object sink;

  @BeforeAll
  static void supported() {
    Assumptions.assumeTrue(Allocations.isSupported(), "JVM cannot count allocated bytes");
  }

  @Test
  void nothingAllocatedIsZero() {
    int[] counter = {0};
    assertEquals(0, Allocations.bytesAllocatedBy(() -> counter[0]++));
  }

  @Test
  void countsAnEscapingArray() {
    long bytes = Allocations.bytesAllocatedBy(() -> sink = new byte[1000]);
    // 1000 bytes + array header (12..16), aligned to 8
    assertTrue(bytes >= 1000 && bytes <= 1024, "bytes " + bytes);
  }

  @Test
  void countsSeveralObjects() {
    long bytes = Allocations.bytesAllocatedBy(() -> {
      Object[] a = new Object[10];
      for (int i = 0; i < 10; i++) {
        a[i] = new long[4];
      }
      sink = a;
    });
    assertTrue(bytes >= 10 * 48 + 56 && bytes <= 10 * 56 + 64, "bytes " + bytes);
  }

  @Test
  void decodingAGoldenNotifyWithTheFixtureCodecAllocates() {
    // the fixtures' own codec builds objects: a positive, bounded figure
    Buffer frame = GoldenFrames.load("haproxy-2.6.12-notify");
    long bytes = Allocations.bytesAllocatedBy(() -> sink = SpopClientCodec.decodeFrameWithLength(frame), 2000, 10);
    assertTrue(bytes > 0 && bytes < 10_000, "bytes " + bytes);
  }

  @Test
  void averageOverManyRuns() {
    double avg = Allocations.averageBytesAllocatedBy(() -> sink = new byte[1000], 1000, 10_000);
    assertTrue(avg >= 1000 && avg <= 1100, "avg " + avg);
  }

  @Test
  void rejectsZeroRounds() {
    assertThrows(IllegalArgumentException.class, () -> Allocations.bytesAllocatedBy(() -> { }, 0, 0));
  }
}
