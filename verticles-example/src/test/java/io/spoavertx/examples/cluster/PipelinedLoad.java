package io.spoavertx.examples.cluster;

import io.spoavertx.testing.Ack;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.VarScope;
import io.spoavertx.testing.SpopTestClient;
import io.spoavertx.testing.TypedValue;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Pipelined SPOP load straight at an agent, as HAProxy would send it: {@code connections}
 * {@link SpopTestClient}s keep {@code inFlight} NOTIFYs each outstanding, one {@code whoami}
 * message per NOTIFY. Counts ACKs by the node that answered ({@code txn.node}, see
 * {@link io.spoavertx.examples.cluster.NodeTagVerticle}; {@code ""} for an ACK without actions),
 * NOTIFYs that got no ACK, and NOTIFY-to-ACK latencies (10 µs buckets).
 */
final class PipelinedLoad {

  static final String NO_ANSWER = "";
  private static final long BUCKET_NANOS = 10_000;
  private static final int BUCKETS = 200_000; // up to 2 s

  private final List<SpopTestClient> clients = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong outstanding = new AtomicLong();
  private final LongAdder sent = new LongAdder();
  private final LongAdder acks = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder empty = new LongAdder();
  private final Map<String, LongAdder> byNode = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> lastByNode = new ConcurrentHashMap<>();
  private final List<Throwable> failureSamples = java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile AtomicLongArray latency = new AtomicLongArray(BUCKETS);

  private PipelinedLoad() {
  }

  static PipelinedLoad start(Vertx vertx, int port, int connections, int inFlight) throws Exception {
    PipelinedLoad load = new PipelinedLoad();
    for (int c = 0; c < connections; c++) {
      SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
      client.hello().await(10, TimeUnit.SECONDS);
      load.clients.add(client);
    }
    for (SpopTestClient client : load.clients) {
      for (int i = 0; i < inFlight; i++) {
        load.next(client);
      }
    }
    return load;
  }

  private void next(SpopTestClient client) {
    if (!running.get()) {
      return;
    }
    outstanding.incrementAndGet();
    sent.increment();
    long start = System.nanoTime();
    client.notify(Message.of(NodeTagVerticle.MESSAGE)).onComplete(ar -> {
      long end = System.nanoTime();
      outstanding.decrementAndGet();
      if (ar.succeeded()) {
        acks.increment();
        String node = node(ar.result());
        if (node.equals(NO_ANSWER)) {
          empty.increment();
        }
        byNode.computeIfAbsent(node, k -> new LongAdder()).increment();
        lastByNode.computeIfAbsent(node, k -> new AtomicLong()).set(end);
        latency.incrementAndGet((int) Math.min(BUCKETS - 1, (end - start) / BUCKET_NANOS));
        next(client);
      } else {
        failures.increment();
        if (failureSamples.size() < 10) {
          failureSamples.add(ar.cause());
        }
      }
    });
  }

  static String node(Ack ack) {
    return ack.var(VarScope.TXN, "node").map(TypedValue::asString).orElse(NO_ANSWER);
  }

  /** Starts counting afresh (ACKs by node and latencies; totals are kept). */
  Snapshot reset() {
    Snapshot s = snapshot();
    byNode.clear();
    latency = new AtomicLongArray(BUCKETS);
    return s;
  }

  Snapshot snapshot() {
    Map<String, Long> nodes = new TreeMap<>();
    byNode.forEach((k, v) -> nodes.put(k, v.sum()));
    return new Snapshot(sent.sum(), acks.sum(), failures.sum(), nodes, latency);
  }

  /** System.nanoTime() of the last ACK answered by {@code node} ({@link #NO_ANSWER}: without actions), or 0. */
  long lastAnswerNanos(String node) {
    AtomicLong t = lastByNode.get(node);
    return t == null ? 0 : t.get();
  }

  /** ACKs without actions since the start (not reset). */
  long emptyAcks() {
    return empty.sum();
  }

  List<Throwable> failureSamples() {
    return List.copyOf(failureSamples);
  }

  /** Stops sending and waits (bounded) until every NOTIFY sent got its ACK or failed. */
  boolean stop(Duration timeout) throws InterruptedException {
    running.set(false);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (outstanding.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    for (SpopTestClient c : clients) {
      c.close();
    }
    return outstanding.get() == 0;
  }

  record Snapshot(long sent, long acks, long failures, Map<String, Long> byNode, AtomicLongArray latency) {

    long count(String node) {
      return byNode.getOrDefault(node, 0L);
    }

    /** Latency percentile in ms (upper bound of its 10 µs bucket). */
    double percentileMs(double p) {
      long total = 0;
      for (int i = 0; i < latency.length(); i++) {
        total += latency.get(i);
      }
      long rank = (long) Math.ceil(total * p / 100.0);
      long seen = 0;
      for (int i = 0; i < latency.length(); i++) {
        seen += latency.get(i);
        if (seen >= rank && seen > 0) {
          return (i + 1) * BUCKET_NANOS / 1e6;
        }
      }
      return Double.NaN;
    }

    @Override
    public String toString() {
      return "sent=" + sent + " acks=" + acks + " failures=" + failures + " byNode=" + byNode
          + String.format(" p50=%.2fms p99=%.2fms", percentileMs(50), percentileMs(99));
    }
  }
}
