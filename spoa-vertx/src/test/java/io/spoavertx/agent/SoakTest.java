package io.spoavertx.agent;

import io.spoavertx.metrics.AgentStats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.metrics.AgentStats.CloseReason;
import io.spoavertx.metrics.AgentStats.Outcome;
import io.spoavertx.codec.DisconnectStatus;
import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.DispatchOptions;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.config.ProtocolOptions;
import io.spoavertx.config.RouteOptions;
import io.spoavertx.handler.Actions;
import io.spoavertx.agent.SpoeHandlers;
import io.spoavertx.handler.SpoeMessage;
import io.spoavertx.testing.Ack;
import io.spoavertx.testing.AckAction;
import io.spoavertx.testing.HelloOptions;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.VarScope;
import io.spoavertx.testing.SpopClientCodec;
import io.spoavertx.testing.SpopTestClient;
import io.spoavertx.testing.SpopTestClientOptions;
import io.spoavertx.testing.SpopTestClientOptions.IdStyle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Soak with faults (issue 9): pipelined closed-loop load over many connections for a while, with
 * faults injected at a controlled rate and each injection counted; at the end every NOTIFY sent on
 * a healthy connection has exactly one ACK with its ids and the expected actions, the agent's
 * counters equal what was injected, nothing is left in flight, the heap has not grown and nothing
 * unexpected was logged.
 *
 * <p>Load: {@code soak.connections} healthy connections (default 16), alternately HAProxy 2.6 style
 * (process-wide stream ids, frame-id 1, capabilities {@code pipelining,async}) and 3.x style (odd
 * per-connection stream ids), each keeping {@code soak.inflight} NOTIFYs in flight (default 20, also
 * the agent's {@code maxInFlightPerConnection}, so backpressure pauses and resumes reading all the
 * time). A NOTIFY holds one or two healthy messages, answered by a direct handler ({@code score}) or
 * an event-bus handler in a deployed verticle ({@code ebscore}), some after a few milliseconds so
 * ACKs leave out of order; HAProxy 3.x connections sometimes send an empty NOTIFY.
 *
 * <p>Per-message faults, on healthy connections (their ACK must still come, without their actions):
 * <ul>
 *   <li>handler failure: one NOTIFY in {@value #FAIL_ONE_IN} gets a message with {@code fail=true}:
 *       the direct handler throws or fails its future, the event-bus handler fails; the agent counts
 *       {@link Outcome#ERROR};
 *   <li>slower than the deadline: one NOTIFY in {@value #SLOW_ONE_IN} gets a {@code slow} message
 *       (route deadline {@value #DEADLINE_MS} ms, direct handler answering after {@value #SLOW_MS} ms)
 *       or an {@code ebslow} one (same deadline, event-bus handler answering after {@value #SLOW_MS} ms
 *       from its own event loop, or never); the agent counts {@link Outcome#TIMEOUT}.
 * </ul>
 *
 * <p>Connection faults, {@code soak.faultsPerSecond} of them per second (default 5), in turn, each on
 * its own connection (these connections are "faulty": not in the every-NOTIFY-answered check):
 * <ul>
 *   <li>{@code half-frame}: HELLO, half a NOTIFY frame, close;
 *   <li>{@code abrupt-close}: HELLO, 5 to 20 pipelined NOTIFYs whose handlers take 30-60 ms, closed
 *       after 10 ms with them in flight;
 *   <li>{@code malformed}: HELLO, sometimes a few NOTIFYs in flight, then an invalid frame (one of
 *       four kinds): AGENT-DISCONNECT status 4, then close;
 *   <li>{@code silent}: connects and says nothing: AGENT-DISCONNECT status 2 after the HELLO timeout (3 s);
 *   <li>{@code healthcheck}: {@code option spop-check}: AGENT-HELLO then close;
 *   <li>{@code not-spop}: an HTTP request to the agent's port: plain close;
 *   <li>{@code churn}: a healthy connection stops sending, gets all its ACKs, sends HAPROXY-DISCONNECT
 *       (as HAProxy on reload) and is replaced by a new one (this one stays in the check).
 * </ul>
 *
 * <p>CI runs the short form (15 s of load after 4 s of warm-up). The long form:
 * {@code mvn -q -B -pl spoa-vertx -am verify -Dtest=SoakTest -Dsoak.seconds=240 -Dsurefire.failIfNoSpecifiedTests=false}.
 * Other knobs: {@code soak.warmup}, {@code soak.connections}, {@code soak.inflight},
 * {@code soak.faultsPerSecond}, {@code soak.seed}. Results of real runs are in RELIABILITY.md.
 */
class SoakTest {

  private static final int SECONDS = Integer.getInteger("soak.seconds", 15);
  private static final int WARMUP_SECONDS = Integer.getInteger("soak.warmup", Math.max(4, Math.min(30, SECONDS / 8)));
  private static final int CONNECTIONS = Integer.getInteger("soak.connections", 16);
  private static final int IN_FLIGHT = Integer.getInteger("soak.inflight", 20);
  private static final int FAULTS_PER_SECOND = Integer.getInteger("soak.faultsPerSecond", 5);
  private static final long SEED = Long.getLong("soak.seed", 0x50A4_2026L);
  static final int FAIL_ONE_IN = 40;
  static final int SLOW_ONE_IN = 40;
  static final long DEADLINE_MS = 50;
  static final long SLOW_MS = 80;
  private static final long HEALTHY_DEADLINE_MS = 5_000;
  private static final long HELLO_TIMEOUT_MS = 3_000;
  private static final long HEAP_BOUND = 32L * 1024 * 1024;
  private static final long T = 10;

  private enum Fault { HALF_FRAME, ABRUPT_CLOSE, MALFORMED, SILENT, HEALTHCHECK, NOT_SPOP, CHURN }

  private Vertx vertx;        // the agent and its handler verticles
  private Vertx haproxy;      // the fake HAProxy: healthy and faulty connections
  private LogWatch logs;
  private SpoaAgent agent;
  private Logger connectionLogger;
  private Level savedLevel;

  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final Map<Fault, AtomicLong> injected = new EnumMap<>(Fault.class);
  private final AtomicLong failMessagesSent = new AtomicLong();
  private final AtomicLong slowMessagesSent = new AtomicLong();
  private final AtomicLong healthyOkMessagesSent = new AtomicLong();
  private final AtomicLong faultyMessagesSent = new AtomicLong();
  private final AtomicLong ids = new AtomicLong();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    haproxy = Vertx.vertx();
    logs = LogWatch.install(vertx);
    haproxy.exceptionHandler(t -> problem("uncaught exception in the fake HAProxy: " + t));
    // Each protocol error is one INFO line in production; here there are hundreds.
    connectionLogger = Logger.getLogger("io.spoavertx.agent.impl.SpopConnection");
    savedLevel = connectionLogger.getLevel();
    connectionLogger.setLevel(Level.WARNING);
    for (Fault f : Fault.values()) {
      injected.put(f, new AtomicLong());
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    connectionLogger.setLevel(savedLevel);
    logs.close();
    haproxy.close().await(T, TimeUnit.SECONDS);
    vertx.close().await(T, TimeUnit.SECONDS);
  }

  @Test
  void pipelinedLoadWithFaultsLosesNoAckAndLeavesNoTrace() {
    assertTimeoutPreemptively(Duration.ofSeconds(SECONDS + WARMUP_SECONDS + 120L), this::run);
  }

  // ---- the run -----------------------------------------------------------------------------------

  private void run() throws Exception {
    startAgent();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    Random random = new Random(SEED);
    List<Driver> drivers = new ArrayList<>();   // every healthy connection ever opened
    List<Driver> live = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      Driver d = Driver.open(this, drivers.size(), SEED + drivers.size()).await(T, TimeUnit.SECONDS);
      drivers.add(d);
      live.add(d);
    }
    live.forEach(Driver::start);

    // How late a 10 ms periodic timer on the agent's Vert.x fires: what the shared machine does to it.
    AtomicLong maxLagNanos = new AtomicLong();
    long[] lastTick = {System.nanoTime()};
    long probe = vertx.setPeriodic(10, t -> {
      long now = System.nanoTime();
      maxLagNanos.accumulateAndGet(now - lastTick[0] - TimeUnit.MILLISECONDS.toNanos(10), Math::max);
      lastTick[0] = now;
    });

    List<Future<?>> faults = new ArrayList<>();
    long t0 = System.nanoTime();
    long warmupEnd = t0 + TimeUnit.SECONDS.toNanos(WARMUP_SECONDS);
    long end = warmupEnd + TimeUnit.SECONDS.toNanos(SECONDS);
    long interval = TimeUnit.SECONDS.toNanos(1) / Math.max(1, FAULTS_PER_SECOND);
    long nextFault = t0 + interval;
    long baseline = -1;
    int k = 0;
    int churnNext = 0;
    while (System.nanoTime() < end) {
      if (baseline < 0 && System.nanoTime() >= warmupEnd) {
        // classes loaded, JIT warm, Netty's pools and the route tables at their working size
        baseline = usedAfterGc(memory);
        System.out.println("soak: heap after warm-up " + baseline / 1024 + " KiB (load running)");
      }
      long now = System.nanoTime();
      if (FAULTS_PER_SECOND > 0 && now >= nextFault) {
        nextFault += interval;
        Fault f = Fault.values()[k++ % Fault.values().length];
        injected.get(f).incrementAndGet();
        if (f == Fault.CHURN) {
          Driver old = live.remove(churnNext++ % live.size());
          Driver fresh = Driver.open(this, drivers.size(), SEED + drivers.size()).await(T, TimeUnit.SECONDS);
          drivers.add(fresh);
          live.add(fresh);
          fresh.start();
          faults.add(old.retire());
        } else {
          faults.add(inject(f, random.nextLong()).recover(t -> {
            problem(f + ": " + t);
            return Future.succeededFuture();
          }));
        }
        continue;
      }
      Thread.sleep(Math.max(1, Math.min(50, TimeUnit.NANOSECONDS.toMillis(nextFault - now))));
    }
    long loadNanos = System.nanoTime() - t0;
    vertx.cancelTimer(probe);

    // Stop: let every fault play out, then every healthy connection drain and say goodbye.
    for (Future<?> f : faults) {
      f.await(30, TimeUnit.SECONDS);
    }
    List<Future<?>> retired = new ArrayList<>();
    for (Driver d : live) {
      retired.add(d.retire());
    }
    for (Future<?> f : retired) {
      f.await(30, TimeUnit.SECONDS);
    }
    AgentStats s = agent.stats();
    waitUntil(() -> s.connectionsActive() == 0 && s.inflight() == 0, 15);
    long heapAfter = usedAfterGc(memory);

    // ---- the numbers ----
    long sent = 0;
    long acked = 0;
    long lost = 0;
    long badAcks = 0;
    for (Driver d : drivers) {
      sent += d.sent.get();
      acked += d.acked.get();
      lost += d.sent.get() - d.acked.get();
      badAcks += d.badAcks.get();
    }
    long messages = 0;
    for (Outcome o : Outcome.values()) {
      messages += s.messages(o);
    }
    double seconds = loadNanos / 1e9;
    Map<String, Long> faultCounts = new java.util.LinkedHashMap<>();
    for (Fault f : Fault.values()) {
      faultCounts.put(f.name().toLowerCase().replace('_', '-'), injected.get(f).get());
    }
    faultCounts.put("handler-error-msgs", failMessagesSent.get());
    faultCounts.put("slow-msgs", slowMessagesSent.get());
    String summary = String.format(
        "soak summary: %.1f s (%d s warm-up + %d s), %d healthy connections (%d opened), %d in flight each;"
            + " healthy NOTIFYs sent %d, ACKed %d, lost %d, bad ACKs %d; agent NOTIFYs %d, ACKs %d, messages %d"
            + " (OK %d, ERROR %d, TIMEOUT %d, NO_HANDLER %d); %.0f NOTIFYs/s, %.0f msgs/s; faults %s;"
            + " connections opened %d, closed %s; AGENT-DISCONNECT status 2: %d, status 4: %d;"
            + " heap after warm-up %d KiB, at the end %d KiB (growth %d KiB); worst event-loop timer lag %d ms",
        seconds, WARMUP_SECONDS, SECONDS, CONNECTIONS, drivers.size(), IN_FLIGHT,
        sent, acked, lost, badAcks, s.notifies(), s.acks(), messages,
        s.messages(Outcome.OK), s.messages(Outcome.ERROR), s.messages(Outcome.TIMEOUT), s.messages(Outcome.NO_HANDLER),
        s.notifies() / seconds, messages / seconds, faultCounts,
        s.connectionsOpened(), closeReasons(s), s.agentDisconnects(DisconnectStatus.TIMEOUT.code()),
        s.agentDisconnects(DisconnectStatus.INVALID_FRAME.code()),
        baseline / 1024, heapAfter / 1024, (heapAfter - baseline) / 1024, maxLagNanos.get() / 1_000_000);
    System.out.println(summary);

    // ---- the checks ----
    assertEquals(List.of(), problems, "problems seen during the soak");
    for (Driver d : drivers) {
      assertEquals(d.sent.get(), d.acked.get(), () -> d + ": every NOTIFY answered exactly once");
      assertEquals(0, d.client.pendingCount(), () -> d + ": NOTIFYs still pending");
      assertEquals(List.of(), d.client.errors(), () -> d + ": no ACK with wrong ids, nothing malformed");
    }
    assertEquals(0, lost, "lost ACKs");
    assertEquals(0, badAcks, "ACKs with the wrong actions");
    assertTrue(sent > 0 && injected.values().stream().allMatch(n -> FAULTS_PER_SECOND == 0 || n.get() > 0), summary);

    assertEquals(failMessagesSent.get(), s.messages(Outcome.ERROR), "ERROR outcomes == handler-failure messages sent");
    assertEquals(slowMessagesSent.get(), s.messages(Outcome.TIMEOUT), "TIMEOUT outcomes == slow messages sent");
    assertEquals(0, s.messages(Outcome.NO_HANDLER));
    // OK: every healthy message on a healthy connection, plus whatever the faulty connections got
    // answered before they went away
    long ok = s.messages(Outcome.OK);
    assertTrue(ok >= healthyOkMessagesSent.get() && ok <= healthyOkMessagesSent.get() + faultyMessagesSent.get(),
        "OK outcomes " + ok + ", healthy " + healthyOkMessagesSent.get() + ", faulty sent " + faultyMessagesSent.get());
    assertTrue(s.acks() >= acked, "agent ACKs " + s.acks() + " < ACKs received " + acked);

    long malformed = injected.get(Fault.MALFORMED).get();
    long silent = injected.get(Fault.SILENT).get();
    assertEquals(malformed, s.agentDisconnects(DisconnectStatus.INVALID_FRAME.code()), "status 4 == malformed injections");
    assertEquals(silent, s.agentDisconnects(DisconnectStatus.TIMEOUT.code()), "status 2 == silent connections");
    assertEquals(drivers.size(), s.agentDisconnects(DisconnectStatus.NORMAL.code()), "status 0 == healthy connections retired");
    assertEquals(malformed + silent + drivers.size(), totalAgentDisconnects(s), "no other AGENT-DISCONNECT");
    assertEquals(drivers.size(), s.haproxyDisconnects(0));

    long expectedOpened = drivers.size() + injected.get(Fault.HALF_FRAME).get() + injected.get(Fault.ABRUPT_CLOSE).get()
        + malformed + silent + injected.get(Fault.HEALTHCHECK).get() + injected.get(Fault.NOT_SPOP).get();
    assertEquals(expectedOpened, s.connectionsOpened(), "connections opened");
    assertEquals(injected.get(Fault.HALF_FRAME).get() + injected.get(Fault.ABRUPT_CLOSE).get(),
        s.connectionsClosed(CloseReason.PEER_CLOSED), "PEER_CLOSED == half-frame + abrupt-close");
    assertEquals(malformed + silent, s.connectionsClosed(CloseReason.PROTOCOL_ERROR), "PROTOCOL_ERROR == malformed + silent");
    assertEquals(drivers.size(), s.connectionsClosed(CloseReason.HAPROXY_DISCONNECT), "HAPROXY_DISCONNECT == healthy connections");
    assertEquals(injected.get(Fault.HEALTHCHECK).get(), s.connectionsClosed(CloseReason.HEALTHCHECK));
    assertEquals(injected.get(Fault.HEALTHCHECK).get(), s.healthchecks());
    assertEquals(injected.get(Fault.NOT_SPOP).get(), s.connectionsClosed(CloseReason.NOT_SPOP));
    assertEquals(0, s.connectionsClosed(CloseReason.SHUTDOWN));
    assertEquals(0, s.inflight(), "nothing left in flight");
    assertEquals(0, s.acksTooBig());

    assertEquals(List.of(), logs.unexpected(e -> e.thrown() == null && "io.spoavertx.handler".equals(e.logger())
        && e.message().startsWith("handler of message '")), "only the rate-limited handler warnings");
    assertTrue(heapAfter - baseline < HEAP_BOUND, "heap grew by " + (heapAfter - baseline) / 1024 + " KiB after GC");
  }

  private void startAgent() throws Exception {
    // The event-bus handlers live in their own verticle (two instances), as an application deploys them.
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        return Future.all(
            SpoeHandlers.register(vertx, "ebscore", m -> answer(vertx, m, "eb")).completion(),
            // answers after the deadline (from this verticle's event loop) or never
            SpoeHandlers.register(vertx, "ebslow", m -> {
              Promise<Actions> p = Promise.promise();
              if (Boolean.TRUE.equals(m.getBoolean("answer"))) {
                vertx.setTimer(SLOW_MS, t -> p.complete(Actions.create().setVar(io.spoavertx.handler.Scope.TXN, "slow", true)));
              }
              return p.future();
            }).completion());
      }
    }, new DeploymentOptions().setInstances(2)).await(T, TimeUnit.SECONDS);
    AgentConfig cfg = AgentConfig.DEFAULT
        .withListener(ListenerOptions.DEFAULT.withHost("127.0.0.1").withPort(0).withInstances(2))
        .withProtocol(ProtocolOptions.DEFAULT.withMaxInFlightPerConnection(IN_FLIGHT).withHelloTimeoutMs(HELLO_TIMEOUT_MS))
        .withDispatch(new DispatchOptions(HEALTHY_DEADLINE_MS, null, Map.of(
            "slow", new RouteOptions(null, DEADLINE_MS, null),
            "ebslow", new RouteOptions(null, DEADLINE_MS, null))));
    agent = SpoaAgent.create(vertx, cfg)
        .directHandler("score", m -> answer(vertx, m, "score"))
        .directHandler("slow", m -> {
          Promise<Actions> p = Promise.promise();
          vertx.setTimer(SLOW_MS, t -> p.complete(Actions.create().setVar(io.spoavertx.handler.Scope.TXN, "slow", true)));
          return p.future();
        });
    agent.start().await(T, TimeUnit.SECONDS);
  }

  /** Healthy handler: txn.{var} = n, after {@code delay} ms if given; {@code fail=true} throws or fails. */
  private static Future<Actions> answer(Vertx vertx, SpoeMessage m, String var) {
    long n = m.getLong("n", -1);
    if (Boolean.TRUE.equals(m.getBoolean("fail"))) {
      if ((n & 1) == 0) {
        throw new IllegalStateException("injected failure " + n);
      }
      return Future.failedFuture("injected failure " + n);
    }
    Actions a = Actions.create().setVar(io.spoavertx.handler.Scope.TXN, var, n);
    long delay = m.getLong("delay", 0);
    if (delay <= 0) {
      return Future.succeededFuture(a);
    }
    Promise<Actions> p = Promise.promise();
    vertx.setTimer(delay, t -> p.complete(a));
    return p.future();
  }

  // ---- healthy connections -------------------------------------------------------------------------

  /**
   * One healthy connection in a closed loop: {@link #IN_FLIGHT} NOTIFYs in flight, a new one sent
   * as each ACK arrives. Confined to its own context (the client's callbacks run there too).
   */
  private static final class Driver {
    final SoakTest soak;
    final int index;
    final boolean haproxy26;
    final Context context;
    final Random random;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong acked = new AtomicLong();
    final AtomicLong badAcks = new AtomicLong();
    final Promise<Void> drained = Promise.promise();
    SpopTestClient client;
    int inFlight;
    boolean stopping;

    private Driver(SoakTest soak, int index, long seed) {
      this.soak = soak;
      this.index = index;
      this.haproxy26 = index % 2 == 0;
      // a context of its own, so the healthy connections spread over the event loops
      this.context = ((io.vertx.core.internal.VertxInternal) soak.haproxy).createEventLoopContext();
      this.random = new Random(seed);
    }

    static Future<Driver> open(SoakTest soak, int index, long seed) {
      Driver d = new Driver(soak, index, seed);
      Promise<Driver> opened = Promise.promise();
      d.context.runOnContext(v -> SpopTestClient.connect(soak.haproxy, "127.0.0.1", soak.agent.port(),
              new SpopTestClientOptions().idStyle(d.haproxy26 ? IdStyle.HAPROXY_2_6 : IdStyle.HAPROXY_3))
          .compose(c -> {
            d.client = c;
            return c.hello(d.haproxy26 ? HelloOptions.haproxy26() : HelloOptions.haproxy3());
          })
          .map(h -> d)
          .onComplete(opened));
      return opened.future();
    }

    void start() {
      context.runOnContext(v -> {
        for (int i = 0; i < IN_FLIGHT; i++) {
          sendNext();
        }
      });
    }

    private void sendNext() {
      if (stopping) {
        return;
      }
      List<Message> messages = new ArrayList<>(4);
      List<AckAction> expected = new ArrayList<>(2);
      if (haproxy26 || random.nextInt(100) != 0) { // HAProxy 3.1-3.2 send empty NOTIFYs now and then
        int shape = random.nextInt(10);
        if (shape < 5 || shape >= 8) {
          healthy(messages, expected, "score", "score");
        }
        if (shape >= 5) {
          healthy(messages, expected, "ebscore", "eb");
        }
        if (random.nextInt(FAIL_ONE_IN) == 0) {
          Message m = Message.of(random.nextBoolean() ? "score" : "ebscore").arg("n", soak.ids.incrementAndGet())
              .arg("fail", true);
          messages.add(random.nextInt(messages.size() + 1), m);
          soak.failMessagesSent.incrementAndGet();
        }
        if (random.nextInt(SLOW_ONE_IN) == 0) {
          Message m = random.nextBoolean() ? Message.of("slow") : Message.of("ebslow").arg("answer", random.nextBoolean());
          messages.add(random.nextInt(messages.size() + 1), m);
          soak.slowMessagesSent.incrementAndGet();
        }
      }
      inFlight++;
      sent.incrementAndGet();
      client.notify(messages).onComplete(ar -> {
        inFlight--;
        if (ar.failed()) {
          soak.problem(this + ": NOTIFY " + messages + " got no ACK: " + ar.cause());
        } else {
          acked.incrementAndGet();
          if (!sameActions(expected, ar.result().actions())) {
            badAcks.incrementAndGet();
            soak.problem(this + ": NOTIFY " + messages + " expected " + expected + ", got " + ar.result());
          }
        }
        if (stopping) {
          if (inFlight == 0) {
            drained.tryComplete();
          }
        } else {
          sendNext();
        }
      });
    }

    private void healthy(List<Message> messages, List<AckAction> expected, String name, String var) {
      long n = soak.ids.incrementAndGet();
      Message m = Message.of(name).arg("n", n);
      if (random.nextInt(8) == 0) {
        m = m.arg("delay", 1 + random.nextInt(5)); // answered later: ACKs leave out of order
      }
      messages.add(m);
      expected.add(AckAction.setVar(VarScope.TXN, var, io.spoavertx.testing.TypedValue.int64(n)));
      soak.healthyOkMessagesSent.incrementAndGet();
    }

    private static boolean sameActions(List<AckAction> expected, List<AckAction> got) {
      if (expected.size() != got.size()) {
        return false;
      }
      for (int i = 0; i < expected.size(); i++) {
        AckAction e = expected.get(i);
        AckAction g = got.get(i);
        if (g.kind() != e.kind() || g.scope() != e.scope() || !g.name().equals(e.name())
            || !g.value().type().isInteger() || g.value().asLong() != e.value().asLong()) {
          return false;
        }
      }
      return true;
    }

    /** Stops sending, waits for every ACK, then HAPROXY-DISCONNECT: AGENT-DISCONNECT 0 and close. */
    Future<Void> retire() {
      context.runOnContext(v -> {
        stopping = true;
        if (inFlight == 0) {
          drained.tryComplete();
        }
      });
      return drained.future()
          .compose(v -> client.disconnect(0, "soak: connection retired"))
          .compose(d -> d.statusCode() == 0 ? client.closed()
              : Future.failedFuture(this + ": AGENT-DISCONNECT " + d + ", status 0 expected"))
          .onFailure(t -> soak.problem(this + ": retire: " + t));
    }

    @Override
    public String toString() {
      return "healthy connection " + index + " (" + (haproxy26 ? "HAProxy 2.6" : "HAProxy 3.x") + " style, sent "
          + sent + ", acked " + acked + ")";
    }
  }

  // ---- connection faults ---------------------------------------------------------------------------

  /** Injects one connection fault; completes when its expected outcome has been seen. */
  private Future<Void> inject(Fault fault, long seed) {
    Random r = new Random(seed);
    boolean v26 = r.nextBoolean();
    HelloOptions hello = v26 ? HelloOptions.haproxy26() : HelloOptions.haproxy3();
    SpopTestClientOptions options = new SpopTestClientOptions().idStyle(v26 ? IdStyle.HAPROXY_2_6 : IdStyle.HAPROXY_3);
    Future<SpopTestClient> connected = SpopTestClient.connect(haproxy, "127.0.0.1", agent.port(), options);
    return switch (fault) {
      case HALF_FRAME -> connected.compose(c -> c.hello(hello).compose(h -> {
        Buffer notify = SpopClientCodec.encodeNotify(1_000_000 + r.nextInt(1000), 1,
            List.of(Message.of("score").arg("n", 1).arg("pad", "x".repeat(r.nextInt(200)))));
        return c.sendRaw(notify.getBuffer(0, 1 + r.nextInt(notify.length() - 1)));
      }).compose(v -> sleep(20)).compose(v -> c.close()).compose(v -> expectNoDisconnect(c)));
      case ABRUPT_CLOSE -> connected.compose(c -> c.hello(hello).compose(h -> {
        int n = 5 + r.nextInt(16);
        for (int i = 0; i < n; i++) {
          c.notify(faultyMessage(r, 30 + r.nextInt(31)));
        }
        return sleep(10);
      }).compose(v -> c.close()).compose(v -> expectNoDisconnect(c)));
      case MALFORMED -> connected.compose(c -> c.hello(hello).compose(h -> {
        if (r.nextBoolean()) {
          int n = 1 + r.nextInt(10);
          for (int i = 0; i < n; i++) {
            c.notify(faultyMessage(r, 20 + r.nextInt(30))); // in flight when the bad frame arrives
          }
        }
        return c.sendRaw(malformedFrame(r.nextInt(4)));
      }).compose(v -> c.agentDisconnect()).compose(d -> expectStatus(c, d.statusCode(), 4)));
      case SILENT -> connected.compose(c -> c.agentDisconnect().compose(d -> expectStatus(c, d.statusCode(), 2)));
      case HEALTHCHECK -> connected.compose(c -> c.hello(HelloOptions.spopCheck())
          .compose(h -> c.closed()).compose(v -> expectNoDisconnect(c)));
      case NOT_SPOP -> connected.compose(c -> c.sendRaw(Buffer.buffer("GET /health HTTP/1.1\r\nHost: agent\r\n\r\n"))
          .compose(v -> c.closed()).compose(v -> expectNoDisconnect(c)));
      case CHURN -> throw new IllegalArgumentException("churn is done by the driver");
    };
  }

  /** A healthy-looking message on a faulty connection, answered after {@code delayMs}. */
  private Message faultyMessage(Random r, long delayMs) {
    faultyMessagesSent.incrementAndGet();
    return Message.of(r.nextBoolean() ? "score" : "ebscore").arg("n", ids.incrementAndGet()).arg("delay", delayMs);
  }

  /** Invalid frames after HELLO, each status 4 (docs/BAD-INPUT.md). */
  private static Buffer malformedFrame(int kind) {
    HexFormat hex = HexFormat.ofDelimiter(" ");
    return switch (kind) {
      // NOTIFY whose argument has the reserved type code 12
      case 0 -> notifyRaw(hex.parseHex("01 6d 01 01 61 0c 01 02 03 04"));
      // NOTIFY whose message announces 3 arguments and holds one
      case 1 -> notifyRaw(hex.parseHex("01 6d 03 01 61 00"));
      // an agent-side frame type (ACK) sent by the peer (an unknown type would be skipped)
      case 2 -> SpopClientCodec.encodeFrame(SpopClientCodec.TYPE_ACK, SpopClientCodec.FLAG_FIN, 1, 1, Buffer.buffer());
      // zero length
      default -> Buffer.buffer(hex.parseHex("00 00 00 00"));
    };
  }

  private static Buffer notifyRaw(byte[] payload) {
    return SpopClientCodec.encodeFrame(SpopClientCodec.TYPE_NOTIFY, SpopClientCodec.FLAG_FIN, 7, 1, Buffer.buffer(payload));
  }

  private Future<Void> expectStatus(SpopTestClient c, int status, int expected) {
    if (status != expected) {
      return Future.failedFuture("AGENT-DISCONNECT status " + status + ", expected " + expected);
    }
    return c.closed().compose(v -> c.errors().isEmpty() ? Future.succeededFuture()
        : Future.failedFuture("client errors " + c.errors()));
  }

  private static Future<Void> expectNoDisconnect(SpopTestClient c) {
    if (c.agentDisconnect().succeeded()) {
      return Future.failedFuture("unexpected AGENT-DISCONNECT " + c.agentDisconnect().result());
    }
    return c.errors().isEmpty() ? Future.succeededFuture() : Future.failedFuture("client errors " + c.errors());
  }

  private Future<Void> sleep(long ms) {
    Promise<Void> p = Promise.promise();
    haproxy.setTimer(ms, t -> p.complete());
    return p.future();
  }

  // ---- helpers ----------------------------------------------------------------------------------------

  private void problem(String p) {
    if (problems.size() < 50) {
      problems.add(p);
    }
  }

  private static String closeReasons(AgentStats s) {
    StringBuilder b = new StringBuilder("{");
    for (CloseReason r : CloseReason.values()) {
      b.append(b.length() > 1 ? ", " : "").append(r).append('=').append(s.connectionsClosed(r));
    }
    return b.append('}').toString();
  }

  private static long totalAgentDisconnects(AgentStats s) {
    long n = 0;
    for (DisconnectStatus st : DisconnectStatus.values()) {
      n += s.agentDisconnects(st.code());
    }
    return n;
  }

  private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static void waitUntil(BooleanSupplier condition, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + seconds + " s");
      }
      Thread.sleep(10);
    }
  }
}
