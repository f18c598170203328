package io.spoavertx.agent.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.metrics.AgentStats;
import io.spoavertx.metrics.AgentStats.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Latencies reach the recorder in batches, every one of them, in order, and soon. */
class LatencyBufferTest {

  private Vertx vertx;
  private final List<String> recorded = Collections.synchronizedList(new ArrayList<>());
  private final Counters stats = new Counters();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    stats.latencyRecorder(new AgentStats.LatencyRecorder() {
      @Override
      public void notifyToAck(long nanos) {
        recorded.add("ack " + nanos);
      }

      @Override
      public void message(String name, Outcome outcome, long nanos) {
        recorded.add(name + " " + outcome + " " + nanos);
      }
    });
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aFullBatchGoesAtOnceAndTheRestAfterTheDelay() throws Exception {
    int samples = LatencyBuffer.CAPACITY + 44;
    Future<Integer> seenAtOnce = Future.future(p -> vertx.runOnContext(v -> {
      LatencyBuffer buffer = new LatencyBuffer(stats, vertx);
      for (int i = 0; i < samples; i++) {
        if (i % 2 == 0) {
          buffer.message("m", Outcome.OK, i);
        } else {
          buffer.notifyToAck(i);
        }
      }
      p.complete(recorded.size());
    }));
    assertEquals(LatencyBuffer.CAPACITY, seenAtOnce.await(10, TimeUnit.SECONDS), "the full batch, at once");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (recorded.size() < samples && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertEquals(samples, recorded.size(), "the rest, after the delay");
    for (int i = 0; i < samples; i++) {
      assertEquals(i % 2 == 0 ? "m OK " + i : "ack " + i, recorded.get(i));
    }
  }

  @Test
  void nothingIsKeptWhenMetricsAreOff() throws Exception {
    stats.latencyRecorder(null);
    Future<Void> done = Future.future(p -> vertx.runOnContext(v -> {
      LatencyBuffer buffer = new LatencyBuffer(stats, vertx);
      buffer.message("m", Outcome.OK, 1);
      buffer.flush();
      p.complete();
    }));
    done.await(10, TimeUnit.SECONDS);
    Thread.sleep(3 * LatencyBuffer.FLUSH_DELAY_MS);
    assertTrue(recorded.isEmpty(), recorded.toString());
  }
}
