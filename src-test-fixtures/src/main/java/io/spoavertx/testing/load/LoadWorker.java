package io.spoavertx.testing.load;

import io.spoavertx.testing.SpopClientCodec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The connections of one event loop. Everything here runs on that loop: counters and the
 * histogram are plain fields.
 */
final class LoadWorker extends VerticleBase {

  record Result(Histogram histogram, long sent, long acks, long messages, long actions, long unknownIds,
      long malformed, long agentDisconnects, long closes, long connectFailures, long reads, long writes,
      String firstError) {
  }

  static Histogram newHistogram() {
    return new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
  }

  static final long MAX_LATENCY = TimeUnit.SECONDS.toNanos(60);

  final LoadGenerator.Plan plan;
  final boolean fixedRate;
  private final int index;
  private final List<LoadConnection> connections = new ArrayList<>();
  private NetClient client;

  // ---- results (event-loop confined) ----
  final Histogram histogram = newHistogram();
  long sent;
  long acks;
  long messages;
  long actions;
  long unknownIds;
  long malformed;
  long agentDisconnects;
  long closes;
  long connectFailures;
  long reads;
  long writes;
  String firstError;

  // ---- phases ----
  long measureStart = Long.MAX_VALUE;
  long measureEnd = Long.MAX_VALUE;
  boolean running;
  boolean finishing;
  private Promise<Result> result;
  private long tickTimer = -1;
  private long endTimer = -1;
  private long drainTimer = -1;

  LoadWorker(LoadGenerator.Plan plan, int index) {
    this.plan = plan;
    this.index = index;
    this.fixedRate = plan.options.rate() > 0;
  }

  @Override
  public Future<?> start() {
    LoadOptions o = plan.options;
    client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(5000)
        .setReceiveBufferSize(256 * 1024).setSendBufferSize(256 * 1024));
    List<Future<Void>> hellos = new ArrayList<>();
    for (int c = index; c < o.connections(); c += o.eventLoops()) {
      LoadConnection conn = new LoadConnection(this, c);
      connections.add(conn);
      hellos.add(client.connect(o.port(), o.host()).compose(conn::open).recover(t -> {
        connectFailures++;
        error("connection " + conn.index + ": " + t.getMessage());
        return Future.succeededFuture();
      }));
    }
    return Future.all(hellos);
  }

  @Override
  public Future<?> stop() {
    return client == null ? Future.succeededFuture() : client.close();
  }

  io.vertx.core.Vertx vertx() {
    return vertx;
  }

  int readyConnections() {
    int n = 0;
    for (LoadConnection c : connections) {
      if (c.isReady()) {
        n++;
      }
    }
    return n;
  }

  /** Starts the load at {@code t0} (a System.nanoTime value shared by all workers). */
  Future<Result> begin(long t0) {
    result = Promise.promise();
    context.runOnContext(v -> {
      running = true;
      measureStart = t0 + plan.warmupNanos;
      measureEnd = measureStart + plan.durationNanos;
      long now = System.nanoTime();
      long total = plan.options.connections();
      long interval = fixedRate ? (long) (total * 1e9 / plan.options.rate()) : 0;
      for (LoadConnection c : connections) {
        if (fixedRate) {
          c.startFixedRate(t0 + c.index * interval / total, interval);
        } else {
          c.startClosedLoop(now);
        }
      }
      if (fixedRate) {
        tickTimer = vertx.setPeriodic(1, 1, t -> tick());
      }
      long endMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(measureEnd - System.nanoTime()) + 1);
      endTimer = vertx.setTimer(endMs, t -> onEnd());
    });
    return result.future();
  }

  private void tick() {
    long now = System.nanoTime();
    for (LoadConnection c : connections) {
      c.sendDue(now);
      c.flush(now >= measureStart && now < measureEnd);
    }
  }

  private void onEnd() {
    endTimer = -1;
    if (tickTimer != -1) {
      vertx.cancelTimer(tickTimer);
      tickTimer = -1;
    }
    if (allDrained()) {
      finish();
    } else {
      drainTimer = vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(plan.drainNanos)), t -> {
        drainTimer = -1;
        finish();
      });
    }
  }

  /** Called by a connection when its last NOTIFY in flight was answered after the end. */
  void maybeDrained() {
    if (!finishing && endTimer == -1 && allDrained()) {
      finish();
    }
  }

  private boolean allDrained() {
    for (LoadConnection c : connections) {
      if (c.isReady() && c.inflight() > 0) {
        return false;
      }
    }
    return true;
  }

  private void finish() {
    if (finishing) {
      return;
    }
    finishing = true;
    if (drainTimer != -1) {
      vertx.cancelTimer(drainTimer);
    }
    Buffer bye = SpopClientCodec.encodeHaproxyDisconnect(0, "load generator done");
    for (LoadConnection c : connections) {
      c.shutdown(bye);
    }
    result.complete(new Result(histogram, sent, acks, messages, actions, unknownIds, malformed, agentDisconnects,
        closes, connectFailures, reads, writes, firstError));
  }

  void error(String message) {
    if (firstError == null) {
      firstError = message;
    }
  }
}
