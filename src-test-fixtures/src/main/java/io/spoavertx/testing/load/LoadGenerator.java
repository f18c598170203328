package io.spoavertx.testing.load;

import io.spoavertx.testing.SpopClientCodec;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake HAProxy that loads an SPOA agent: {@code C} connections, each keeping up to {@code P}
 * NOTIFYs in flight, for a warm-up and then a measured time; it reports ACKs/messages per second,
 * the latency distribution (HdrHistogram) and every protocol error it saw.
 *
 * <pre>{@code
 * LoadGenerator.run(vertx, new LoadOptions().port(agentPort).connections(8).inflight(20)
 *         .warmup(Duration.ofSeconds(3)).duration(Duration.ofSeconds(10)))
 *     .onSuccess(report -> System.out.println(report.summary()));
 * }</pre>
 *
 * <p>Built to outrun the agent it measures: NOTIFY payloads are encoded once (only the ids are
 * written per frame), the NOTIFYs a read's ACKs release leave in one write per connection, ACKs
 * are parsed in place without allocation, and connections are spread over
 * {@link LoadOptions#eventLoops()} verticles, each on its own event loop. Measure its ceiling with
 * {@link TrivialAgent}.
 */
public final class LoadGenerator {

  private LoadGenerator() {
  }

  /**
   * Runs the load on {@code vertx} (which needs at least {@link LoadOptions#eventLoops()} event
   * loops to really use that many) and completes with the report once the measured time and the
   * drain are over and the connections are closed. Fails if no connection completes its HELLO.
   *
   * @param vertx   the Vert.x instance to deploy the load's verticles on
   * @param options what to run; its port must be set
   * @return the report
   */
  public static Future<LoadReport> run(Vertx vertx, LoadOptions options) {
    if (options.port() <= 0) {
      return Future.failedFuture(new IllegalArgumentException("no port set"));
    }
    Plan plan;
    try {
      plan = new Plan(options);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    List<LoadWorker> workers = new CopyOnWriteArrayList<>();
    AtomicInteger index = new AtomicInteger();
    return vertx.deployVerticle(() -> {
      LoadWorker w = new LoadWorker(plan, index.getAndIncrement());
      workers.add(w);
      return w;
    }, new DeploymentOptions().setInstances(options.eventLoops())).compose(deploymentId -> {
      int ready = workers.stream().mapToInt(LoadWorker::readyConnections).sum();
      if (ready == 0) {
        return vertx.undeploy(deploymentId).transform(ar -> Future.failedFuture(new IllegalStateException(
            "no connection to " + options.host() + ":" + options.port() + " completed its HELLO")));
      }
      long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
      List<Future<LoadWorker.Result>> results = new ArrayList<>();
      for (LoadWorker w : workers) {
        results.add(w.begin(t0));
      }
      // this JVM's CPU time over the measured window (the generator's own cost when run alone)
      long[] cpu = {-1, -1};
      vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(t0 + plan.warmupNanos - System.nanoTime())),
          t -> cpu[0] = processCpuNanos());
      vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(t0 + plan.warmupNanos + plan.durationNanos
          - System.nanoTime())), t -> cpu[1] = processCpuNanos());
      return Future.all(results).compose(all -> {
        long cpuNanos;
        synchronized (cpu) {
          cpuNanos = cpu[0] >= 0 && cpu[1] >= 0 ? cpu[1] - cpu[0] : -1;
        }
        LoadReport report = merge(plan, results, cpuNanos);
        return vertx.undeploy(deploymentId).transform(ar -> Future.succeededFuture(report));
      });
    });
  }

  /**
   * Runs on a Vert.x instance of its own with {@link LoadOptions#eventLoops()} event loops, then closes it.
   *
   * @param options what to run; its port must be set
   * @return the report
   * @throws Exception if the run fails or is interrupted
   */
  public static LoadReport runStandalone(LoadOptions options) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.eventLoops()));
    try {
      return run(vertx, options).toCompletionStage().toCompletableFuture().get();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
  }

  private static LoadReport merge(Plan plan, List<Future<LoadWorker.Result>> results, long cpuNanos) {
    Histogram h = LoadWorker.newHistogram();
    String firstError = null;
    long sent = 0, acks = 0, messages = 0, actions = 0, unknown = 0, malformed = 0, disconnects = 0, closes = 0,
        failures = 0, reads = 0, writes = 0;
    for (Future<LoadWorker.Result> f : results) {
      LoadWorker.Result r = f.result();
      h.add(r.histogram());
      sent += r.sent();
      acks += r.acks();
      messages += r.messages();
      actions += r.actions();
      unknown += r.unknownIds();
      malformed += r.malformed();
      disconnects += r.agentDisconnects();
      closes += r.closes();
      failures += r.connectFailures();
      reads += r.reads();
      writes += r.writes();
      if (firstError == null) {
        firstError = r.firstError();
      }
    }
    return new LoadReport(plan.durationNanos, sent, acks, messages, actions, h, unknown, malformed, disconnects,
        closes, failures, reads, writes, cpuNanos, plan.options.rate(), firstError);
  }

  /** Everything the workers share, prepared once: encoded payloads, the mix order, ids, timings. */
  static final class Plan {
    final LoadOptions options;
    final byte[][] payloads;
    final int[] messagesPerNotify;
    /** Template indexes in weighted round-robin order. */
    final int[] sequence;
    final Buffer hello;
    final AtomicLong globalStreamId = new AtomicLong();
    final long warmupNanos;
    final long durationNanos;
    final long drainNanos;

    Plan(LoadOptions options) {
      this.options = options;
      List<LoadOptions.NotifyTemplate> templates = options.notifies();
      payloads = new byte[templates.size()][];
      messagesPerNotify = new int[templates.size()];
      List<Integer> seq = new ArrayList<>();
      for (int i = 0; i < templates.size(); i++) {
        LoadOptions.NotifyTemplate t = templates.get(i);
        payloads[i] = SpopClientCodec.encodeNotifyPayload(t.messages()).getBytes();
        messagesPerNotify[i] = t.messages().size();
        if (payloads[i].length + 1 + 4 + 10 + 10 > options.maxFrameSize()) {
          throw new IllegalArgumentException("a NOTIFY of " + payloads[i].length + " payload bytes exceeds max-frame-size "
              + options.maxFrameSize());
        }
        for (int w = 0; w < t.weight(); w++) {
          seq.add(i);
        }
      }
      sequence = seq.stream().mapToInt(Integer::intValue).toArray();
      hello = SpopClientCodec.encodeHaproxyHello((options.helloStyle() == LoadOptions.HelloStyle.HAPROXY_2_6
          ? io.spoavertx.testing.HelloOptions.haproxy26() : io.spoavertx.testing.HelloOptions.haproxy3())
          .maxFrameSize(options.maxFrameSize()));
      warmupNanos = options.warmup().toNanos();
      durationNanos = options.duration().toNanos();
      drainNanos = options.drainTimeout().toNanos();
    }
  }
}
