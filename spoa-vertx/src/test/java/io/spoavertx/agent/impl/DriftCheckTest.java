package io.spoavertx.agent.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spoavertx.codec.HeapArrays;
import io.spoavertx.handler.DataType;
import io.spoavertx.handler.MessageSpec;
import io.spoavertx.handler.SpoeMessage;
import io.spoavertx.logging.Log;
import io.spoavertx.logging.PerKeyLog;
import io.spoavertx.testing.Allocations;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

/**
 * The drift check on the hot path: a message whose argument names are those seen last costs one
 * pass and no allocation, whether it matches its declaration or not; only another list of names is
 * examined anew.
 */
class DriftCheckTest {

  static long sink;

  private static final MessageSpec BENCH = MessageSpec.builder("bench")
      .arg("ip", "src", DataType.IPV4, DataType.IPV6)
      .arg("path", "path", DataType.STRING)
      .optionalArg("ua", "req.hdr(user-agent)", DataType.STRING)
      .arg("port", "dst_port", DataType.INT32, DataType.INT64)
      .optionalArg("flag", "bool(1)", DataType.BOOL)
      .build();

  private final PerKeyLog log = new PerKeyLog(Log.get(DriftCheckTest.class), 60_000, 16);

  @Test
  void matchingAndDriftingMessagesWithTheSameNamesCostNoAllocation() throws Exception {
    Assumptions.assumeTrue(Allocations.isSupported() && HeapArrays.ALLOCATION_FREE, "allocation counting");
    DriftCheck check = new DriftCheck(BENCH);
    SpoeMessage good = SpoeMessage.builder("bench").arg("ip", InetAddress.getByName("192.0.2.1")).arg("path", "/")
        .arg("ua", "curl").arg("port", 443L).arg("flag", true).build();
    SpoeMessage drifting = SpoeMessage.builder("bench").arg("addr", InetAddress.getByName("192.0.2.1"))
        .arg("path", 7L).build();
    assertEquals(0, check.check(good, log));
    assertEquals(0, Allocations.bytesAllocatedBy(() -> sink += check.check(good, log)), "a matching message");

    DriftCheck other = new DriftCheck(BENCH);
    int expected = DriftCheck.UNDECLARED | DriftCheck.MISSING | DriftCheck.WRONG_TYPE;
    assertEquals(expected, other.check(drifting, log));
    assertEquals(0, Allocations.bytesAllocatedBy(() -> sink += other.check(drifting, log)), "a drifting message, known names");
  }

  @Test
  void anotherListOfNamesIsExaminedAnew() throws Exception {
    DriftCheck check = new DriftCheck(BENCH);
    SpoeMessage good = SpoeMessage.builder("bench").arg("ip", InetAddress.getByName("::1")).arg("path", "/")
        .arg("port", 1L).build();
    SpoeMessage sameCountOtherNames = SpoeMessage.builder("bench").arg("ip", InetAddress.getByName("::1"))
        .arg("path", "/").arg("prot", 1L).build();
    SpoeMessage unnamed = SpoeMessage.builder("bench").arg("", "x").build();
    assertEquals(0, check.check(good, log));
    assertEquals(DriftCheck.UNDECLARED | DriftCheck.MISSING, check.check(sameCountOtherNames, log));
    assertEquals(0, check.check(good, log));
    assertEquals(DriftCheck.UNDECLARED | DriftCheck.MISSING, check.check(unnamed, log));
    SpoeMessage nulls = SpoeMessage.builder("bench").arg("ip", null).arg("path", null).arg("port", null).build();
    assertEquals(0, check.check(nulls, log), "NULL is a value HAProxy could not fetch, not drift");
    assertEquals(DriftCheck.WRONG_TYPE, check.check(SpoeMessage.builder("bench").arg("ip", InetAddress.getByName("::1"))
        .arg("path", "/").arg("port", true).build(), log));
  }
}
