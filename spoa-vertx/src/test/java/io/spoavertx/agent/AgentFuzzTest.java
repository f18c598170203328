package io.spoavertx.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.codec.FrameMutator;
import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.config.ProtocolOptions;
import io.spoavertx.handler.Actions;
import io.spoavertx.handler.Scope;
import io.spoavertx.handler.SpoeHandler;
import io.spoavertx.testing.Ack;
import io.spoavertx.testing.AgentDisconnect;
import io.spoavertx.testing.Frame;
import io.spoavertx.testing.FrameSplitter;
import io.spoavertx.testing.HelloOptions;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.SpopClientCodec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fuzzes running agents over real TCP: a few thousand connections, each sending a valid
 * conversation, a health check, or bytes mutated from the golden frames (before or after a valid
 * HELLO, split across writes). Every connection must end within a bound (AGENT-DISCONNECT then
 * close, or a plain close), whatever the agent sends must be well-formed SPOP in a legal order,
 * valid NOTIFYs must get their ACKs, the agents must release every connection, nothing but
 * protocol errors may be logged, and the heap must not grow.
 *
 * <p>A connection whose bytes leave the agent waiting for the rest of a frame is pushed to an end
 * by a terminator: more than max-frame-size bytes of {@code 0xff}, which complete any partial
 * frame and then read as a length above max-frame-size.
 */
class AgentFuzzTest {

  private static final long SEED = Long.getLong("fuzz.seed", 0x5B0A_F022L);
  private static final int CONNECTIONS = Integer.getInteger("fuzz.connections", 2000);
  private static final int IN_FLIGHT = 50;
  private static final Duration END_BOUND = Duration.ofSeconds(5);
  private static final int MAX_FRAME_SIZE = 16380;
  private static final Buffer TERMINATOR = Buffer.buffer(new byte[MAX_FRAME_SIZE + 8]);

  static {
    for (int i = 0; i < TERMINATOR.length(); i++) {
      TERMINATOR.setByte(i, (byte) 0xff);
    }
  }

  private enum Kind { VALID, HEALTHCHECK, MUTATED_AFTER_HELLO, MUTATED_FROM_START, TRUNCATED_THEN_CLOSE }

  /** What one connection sent and saw. */
  private static final class Conn {
    final int index;
    final Kind kind;
    final Buffer sent = Buffer.buffer();
    final Buffer received = Buffer.buffer();
    final List<Long> expectedAckStreams = new ArrayList<>();
    long lastWriteNanos;
    long closedNanos;
    boolean hung;

    Conn(int index, Kind kind) {
      this.index = index;
      this.kind = kind;
    }

    @Override
    public String toString() {
      return "connection " + index + " (" + kind + ", seed " + SEED + ") sent " + HexFormat.of().formatHex(
          sent.getBytes(0, Math.min(sent.length(), 600))) + (sent.length() > 600 ? "..." : "")
          + " received " + HexFormat.of().formatHex(received.getBytes(0, Math.min(received.length(), 300)));
    }
  }

  private Vertx vertx;
  private LogWatch logs;
  private final Map<String, Integer> outcomes = new TreeMap<>();
  private Level savedLevel;
  private Logger connectionLogger;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    logs = LogWatch.install(vertx);
    // One INFO line per protocol error is right in production; here it would be thousands of lines.
    connectionLogger = Logger.getLogger("io.spoavertx.agent.impl.SpopConnection");
    savedLevel = connectionLogger.getLevel();
    connectionLogger.setLevel(Level.WARNING);
  }

  @AfterEach
  void tearDown() throws Exception {
    connectionLogger.setLevel(savedLevel);
    logs.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void everyConnectionEndsWellFormedAndTheAgentKeepsNoTrace() {
    assertTimeoutPreemptively(Duration.ofSeconds(90), this::run);
  }

  private void run() throws Exception {
    SpoeHandler handler = m -> {
      m.toString(); // decodes every argument on the event loop
      return Future.succeededFuture(Actions.create().setVar(Scope.TXN, "args", m.argCount()));
    };
    AgentConfig base = AgentConfig.DEFAULT.withListener(ListenerOptions.DEFAULT.withHost("127.0.0.1").withPort(0));
    List<SpoaAgent> agents = new ArrayList<>();
    for (ProtocolOptions p : List.of(ProtocolOptions.DEFAULT, ProtocolOptions.DEFAULT.withFragmentation(true))) {
      SpoaAgent a = SpoaAgent.create(vertx, base.withProtocol(p));
      for (String name : List.of("fuzz", "check-client-ip", "check-request-meta", "all-types", "empty")) {
        a.directHandler(name, handler);
      }
      a.start().await(10, TimeUnit.SECONDS);
      agents.add(a);
    }

    FrameMutator mutator = new FrameMutator(SEED, MAX_FRAME_SIZE);
    NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(5000));
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long baseline = -1;
    int checked = 0;
    for (int start = 0; start < CONNECTIONS; start += IN_FLIGHT) {
      List<Future<Conn>> batch = new ArrayList<>();
      for (int i = start; i < Math.min(CONNECTIONS, start + IN_FLIGHT); i++) {
        batch.add(open(client, agents.get(i % agents.size()).port(), plan(i, mutator)));
      }
      for (Future<Conn> f : batch) {
        check(f.await(30, TimeUnit.SECONDS)); // checked now and dropped: the heap check measures the agent
        checked++;
      }
      if (baseline < 0 && checked >= CONNECTIONS / 4) {
        // after a quarter of the run: classes loaded, Netty's buffer pools and the agents' route
        // tables grown to their working size. What grows after that is held per connection.
        baseline = usedAfterGc(memory);
        System.out.println("heap baseline " + baseline / 1024 + " KiB");
      }
    }
    client.close().await(10, TimeUnit.SECONDS);
    for (SpoaAgent a : agents) {
      BadInputCatalogueTest.waitUntil(() -> a.stats().connectionsActive() == 0);
    }
    long growth = usedAfterGc(memory) - baseline;
    if (Boolean.getBoolean("fuzz.histo")) {
      javax.management.MBeanServer srv = ManagementFactory.getPlatformMBeanServer();
      String h = (String) srv.invoke(new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
          "gcClassHistogram", new Object[] {null}, new String[] {String[].class.getName()});
      System.out.println(h.lines().limit(40).collect(java.util.stream.Collectors.joining("\n")));
    }
    long opened = agents.stream().mapToLong(a -> a.stats().connectionsOpened()).sum();
    System.out.println("agent fuzz, seed " + SEED + ": " + checked + " connections, outcomes " + outcomes
        + ", heap growth after GC " + growth / 1024 + " KiB");
    assertEquals(CONNECTIONS, opened);
    assertEquals(List.of(), logs.unexpected(e -> e.thrown() == null && ("io.spoavertx.handler".equals(e.logger())
        && e.message().startsWith("no handler for message")
        // a fuzzed HAPROXY-DISCONNECT carries any status: an error status is worth a WARN line
        || "io.spoavertx.agent.impl.SpopConnection".equals(e.logger()) && e.message().contains(": HAPROXY-DISCONNECT status "))),
        "only protocol errors, unrouted messages and HAProxy's error statuses");
    assertTrue(growth < 64L * 1024 * 1024, "heap grew by " + growth / 1024 + " KiB after GC");
    assertTrue(outcomes.getOrDefault("ack", 0) >= CONNECTIONS / 10, "valid NOTIFYs were answered: " + outcomes);
  }

  /** Decides what connection {@code i} sends. */
  private static Conn plan(int i, FrameMutator m) {
    int pick = m.random().nextInt(100);
    Kind kind = pick < 20 ? Kind.VALID : pick < 25 ? Kind.HEALTHCHECK : pick < 65 ? Kind.MUTATED_AFTER_HELLO
        : pick < 95 ? Kind.MUTATED_FROM_START : Kind.TRUNCATED_THEN_CLOSE;
    Conn c = new Conn(i, kind);
    switch (kind) {
      case VALID -> {
        c.sent.appendBuffer(SpopClientCodec.encodeHaproxyHello(HelloOptions.haproxy26()));
        int n = 1 + m.random().nextInt(5);
        for (int k = 0; k < n; k++) {
          long sid = i * 10L + k;
          c.expectedAckStreams.add(sid);
          c.sent.appendBuffer(SpopClientCodec.encodeNotify(sid, 1, List.of(Message.of("fuzz").arg("k", k))));
        }
        c.sent.appendBuffer(SpopClientCodec.encodeHaproxyDisconnect(0, "bye"));
      }
      case HEALTHCHECK -> c.sent.appendBuffer(SpopClientCodec.encodeHaproxyHello(HelloOptions.spopCheck()));
      case MUTATED_AFTER_HELLO -> c.sent.appendBuffer(SpopClientCodec.encodeHaproxyHello(HelloOptions.haproxy26()))
          .appendBuffer(m.next()).appendBuffer(TERMINATOR);
      case MUTATED_FROM_START -> c.sent.appendBuffer(m.next()).appendBuffer(TERMINATOR);
      case TRUNCATED_THEN_CLOSE -> {
        Buffer frame = m.pristine();
        c.sent.appendBuffer(SpopClientCodec.encodeHaproxyHello(HelloOptions.haproxy26()))
            .appendBuffer(frame.getBuffer(0, m.random().nextInt(frame.length())));
      }
    }
    return c;
  }

  private Future<Conn> open(NetClient client, int port, Conn c) {
    Promise<Conn> done = Promise.promise();
    List<Buffer> writes = c.kind == Kind.VALID || c.kind == Kind.HEALTHCHECK ? List.of(c.sent)
        : new FrameMutator(SEED ^ c.index, MAX_FRAME_SIZE).split(c.sent);
    client.connect(port, "127.0.0.1").onComplete(ar -> {
      if (ar.failed()) {
        done.fail(new AssertionError(c + ": connect failed", ar.cause()));
        return;
      }
      var so = ar.result();
      long timer = c.kind == Kind.TRUNCATED_THEN_CLOSE ? -1 : vertx.setTimer(END_BOUND.toMillis(), t -> {
        c.hung = true;
        so.close();
      });
      FrameSplitter watch = new FrameSplitter(0, f -> {
        if (f.type() == SpopClientCodec.TYPE_AGENT_DISCONNECT) {
          so.close(); // as HAProxy does once it has read AGENT-DISCONNECT
        }
      });
      so.handler(b -> {
        c.received.appendBuffer(b);
        try {
          watch.feed(b.copy());
        } catch (RuntimeException e) {
          // malformed output: check() reports it
        }
      });
      so.exceptionHandler(t -> { /* a reset after the agent closed with our bytes unread is a close */ });
      so.closeHandler(v -> {
        c.closedNanos = System.nanoTime();
        vertx.cancelTimer(timer);
        done.tryComplete(c);
      });
      for (Buffer w : writes) {
        so.write(w);
      }
      c.lastWriteNanos = System.nanoTime();
      if (c.kind == Kind.TRUNCATED_THEN_CLOSE) {
        so.close();
      }
    });
    return done.future();
  }

  private void check(Conn c) {
    assertTrue(!c.hung, () -> c + ": still open " + END_BOUND + " after the last write");
    List<Frame> frames = new ArrayList<>();
    try {
      new FrameSplitter(0, frames::add).feed(c.received);
    } catch (RuntimeException e) {
      throw new AssertionError(c + ": the agent sent malformed bytes: " + e, e);
    }
    boolean hello = false;
    AgentDisconnect disconnect = null;
    List<Long> acked = new ArrayList<>();
    for (Frame f : frames) {
      assertEquals(SpopClientCodec.FLAG_FIN, f.flags(), () -> c + ": agent frame flags " + f);
      assertTrue(disconnect == null, () -> c + ": frame after AGENT-DISCONNECT: " + f);
      switch (f.type()) {
        case SpopClientCodec.TYPE_AGENT_HELLO -> {
          assertTrue(!hello, () -> c + ": second AGENT-HELLO");
          assertEquals("2.0", SpopClientCodec.decodeAgentHello(f).version());
          hello = true;
        }
        case SpopClientCodec.TYPE_ACK -> {
          assertTrue(hello, () -> c + ": ACK before AGENT-HELLO");
          Ack ack = SpopClientCodec.decodeAck(f);
          acked.add(ack.streamId());
          count("ack");
        }
        case SpopClientCodec.TYPE_AGENT_DISCONNECT -> {
          disconnect = SpopClientCodec.decodeAgentDisconnect(f);
          int status = disconnect.statusCode();
          assertTrue(status >= 0 && status <= 13, () -> c + ": status " + status);
        }
        default -> throw new AssertionError(c + ": agent sent " + f);
      }
    }
    switch (c.kind) {
      case VALID -> {
        assertTrue(hello, () -> c + ": no AGENT-HELLO");
        assertEquals(c.expectedAckStreams, acked, () -> c + ": ACKs");
        assertTrue(disconnect != null && disconnect.statusCode() == 0, () -> c + ": AGENT-DISCONNECT 0 expected");
      }
      case HEALTHCHECK -> {
        assertTrue(hello && acked.isEmpty() && disconnect == null, () -> c + ": AGENT-HELLO then close expected");
      }
      case MUTATED_AFTER_HELLO -> {
        // after a HELLO the agent always says why it closes, and the peer gets to read it
        assertTrue(hello && disconnect != null, () -> c + ": AGENT-HELLO then AGENT-DISCONNECT expected");
        long ms = TimeUnit.NANOSECONDS.toMillis(c.closedNanos - c.lastWriteNanos);
        assertTrue(ms < END_BOUND.toMillis(), () -> c + ": closed " + ms + " ms after the last write");
      }
      default -> {
        if (c.kind != Kind.TRUNCATED_THEN_CLOSE) {
          long ms = TimeUnit.NANOSECONDS.toMillis(c.closedNanos - c.lastWriteNanos);
          assertTrue(ms < END_BOUND.toMillis(), () -> c + ": closed " + ms + " ms after the last write");
        }
      }
    }
    count(c.kind + ":" + (disconnect != null ? "disconnect-" + disconnect.statusCode() : hello ? "hello-then-close" : "plain-close"));
  }

  private void count(String outcome) {
    outcomes.merge(outcome, 1, Integer::sum);
  }

  private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
