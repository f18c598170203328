package io.spoavertx.bench;

import io.spoavertx.metrics.AgentStats;

import io.spoavertx.agent.SpoaAgent;
import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.handler.Actions;
import io.spoavertx.handler.Scope;
import io.spoavertx.handler.SpoeHandler;
import io.spoavertx.agent.SpoeHandlers;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Runs {@link SpoaAgent} for the load generator, with the {@code bench} message answered by a
 * direct handler ({@code --mode direct}) or by an event-bus handler verticle in the same JVM
 * ({@code --mode eventbus}); either sets 2 variables ({@code txn.score} INT64, {@code txn.deny} BOOL)
 * after reading two arguments. Every {@code --report-ms} it prints one line with the messages
 * answered per second, the bytes the whole JVM allocated per message (sum of all threads'
 * allocation counters), its CPU use, and GC activity:
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.spoavertx.bench.AgentBenchMain --mode direct --port 12345
 * </pre>
 * Options: {@code --mode direct|eventbus|direct-sync|eventbus-sync} (default direct; {@code -sync}: the
 * same handler written with {@code SpoeHandler.sync}, answering into a list the agent lends), {@code --host 127.0.0.1}, {@code --port 0},
 * {@code --event-loops 1}, {@code --instances 1} (listener verticles), {@code --report-ms 1000},
 * {@code --native} (epoll instead of NIO), {@code --metrics}.
 */
public final class AgentBenchMain {

  private AgentBenchMain() {
  }

  /** The handler both modes run: reads 2 arguments, sets 2 variables. */
  static final SpoeHandler HANDLER = m -> {
    long port = m.getLong("port", 0);
    Boolean flag = m.getBoolean("flag");
    return Future.succeededFuture(Actions.create()
        .setVar(Scope.TXN, "score", port & 0xFF)
        .setVar(Scope.TXN, "deny", flag != null && !flag));
  };

  /** The same handler written with {@link SpoeHandler#sync}: the agent lends the action list. */
  static final SpoeHandler SYNC_HANDLER = SpoeHandler.sync((m, actions) -> {
    long port = m.getLong("port", 0);
    Boolean flag = m.getBoolean("flag");
    actions.setVar(Scope.TXN, "score", port & 0xFF).setVar(Scope.TXN, "deny", flag != null && !flag);
  });

  public static void main(String[] args) throws Exception {
    String mode = "direct";
    String host = "127.0.0.1";
    int port = 0;
    int loops = 1;
    int instances = 1;
    long reportMs = 1000;
    boolean metrics = false;
    boolean nativeTransport = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--mode" -> mode = args[++i];
        case "--host" -> host = args[++i];
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--event-loops" -> loops = Integer.parseInt(args[++i]);
        case "--instances" -> instances = Integer.parseInt(args[++i]);
        case "--report-ms" -> reportMs = Long.parseLong(args[++i]);
        case "--metrics" -> metrics = true;
        case "--native" -> nativeTransport = true;
        default -> {
          System.err.println("usage: AgentBenchMain [--mode direct|eventbus|direct-sync|eventbus-sync] [--host H] [--port P] [--event-loops N]"
              + " [--instances N] [--report-ms MS] [--metrics] [--native]");
          System.exit(2);
        }
      }
    }
    // --metrics: what the launcher runs by default (Vert.x's Micrometer metrics and the agent's
    // spoa_* meters on one Prometheus registry); without it no meter is recorded at all.
    PrometheusMeterRegistry registry = metrics ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null;
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(nativeTransport);
    Vertx vertx = metrics
        ? Vertx.builder().with(options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
            .withMetrics(new MicrometerMetricsFactory(registry)).build()
        : Vertx.vertx(options);
    AgentConfig config = AgentConfig.DEFAULT.withListener(
        ListenerOptions.DEFAULT.withHost(host).withPort(port).withInstances(instances));
    SpoaAgent agent = SpoaAgent.create(vertx, config);
    if (registry != null) {
      agent.meterRegistry(registry);
    }
    SpoeHandler handler = mode.endsWith("-sync") ? SYNC_HANDLER : HANDLER;
    String path = mode.replace("-sync", "");
    if (path.equals("direct")) {
      agent.directHandler("bench", handler);
    } else if (path.equals("eventbus")) {
      vertx.deployVerticle(new VerticleBase() {
        @Override
        public Future<?> start() {
          return SpoeHandlers.register(vertx, "bench", handler).completion();
        }
      }).toCompletionStage().toCompletableFuture().get();
    } else {
      throw new IllegalArgumentException("--mode direct|eventbus|direct-sync|eventbus-sync");
    }
    int bound = agent.start().toCompletionStage().toCompletableFuture().get();
    System.out.println("AgentBenchMain mode=" + mode + (metrics ? " metrics=on" : " metrics=off") + " listening on " + host + ":" + bound + " pid "
        + ProcessHandle.current().pid() + " java " + System.getProperty("java.version") + " "
        + (vertx.isNativeTransportEnabled() ? "native" : "NIO") + " gc "
        + ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList());
    System.out.flush();
    report(agent, reportMs);
  }

  /** Prints per-interval throughput, allocation per message, CPU and GC, forever. */
  private static void report(SpoaAgent agent, long intervalMs) throws InterruptedException {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long t0 = System.nanoTime();
    long lastT = t0;
    long lastMsgs = messages(agent);
    long lastAlloc = allocated(threads);
    long lastCpu = os.getProcessCpuTime();
    long[] lastGc = gc();
    while (true) {
      Thread.sleep(intervalMs);
      long t = System.nanoTime();
      long msgs = messages(agent);
      long alloc = allocated(threads);
      long cpu = os.getProcessCpuTime();
      long[] g = gc();
      long dm = msgs - lastMsgs;
      double secs = (t - lastT) / 1e9;
      System.out.println(String.format(Locale.ROOT,
          "t=%6.1fs msgs/s=%,10.0f acks=%,d alloc=%8.1f B/msg cpu=%5.1f%% cpu/msg=%6.3f us gc=%d (%d ms)",
          (t - t0) / 1e9, dm / secs, agent.stats().acks(), dm == 0 ? 0.0 : (alloc - lastAlloc) / (double) dm,
          (cpu - lastCpu) * 100.0 / (t - lastT), dm == 0 ? 0.0 : (cpu - lastCpu) / 1000.0 / dm,
          g[0] - lastGc[0], g[1] - lastGc[1]));
      System.out.flush();
      lastT = t;
      lastMsgs = msgs;
      lastAlloc = alloc;
      lastCpu = cpu;
      lastGc = g;
    }
  }

  private static long messages(SpoaAgent agent) {
    return agent.stats().messages(io.spoavertx.metrics.AgentStats.Outcome.OK);
  }

  /** Bytes allocated by all live threads (the agent's threads live for the whole run). */
  private static long allocated(com.sun.management.ThreadMXBean threads) {
    long[] ids = threads.getAllThreadIds();
    long sum = 0;
    for (long b : threads.getThreadAllocatedBytes(ids)) {
      if (b > 0) {
        sum += b;
      }
    }
    // not this reporting thread's own allocation (the thread id array above, the report line)
    return sum - threads.getCurrentThreadAllocatedBytes();
  }

  private static long[] gc() {
    long n = 0;
    long ms = 0;
    for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, b.getCollectionCount());
      ms += Math.max(0, b.getCollectionTime());
    }
    return new long[] {n, ms};
  }
}
