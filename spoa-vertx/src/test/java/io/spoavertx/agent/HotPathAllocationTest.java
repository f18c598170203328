package io.spoavertx.agent;

import io.spoavertx.metrics.AgentStats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.ResourceLeakDetector;
import io.spoavertx.codec.HeapArrays;
import io.spoavertx.metrics.AgentStats.Outcome;
import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.handler.DataType;
import io.spoavertx.handler.MessageContext;
import io.spoavertx.handler.MessageSpec;
import io.spoavertx.handler.Scope;
import io.spoavertx.handler.SpoeHandler;
import io.spoavertx.agent.SpoeHandlers;
import io.spoavertx.testing.load.LoadGenerator;
import io.spoavertx.testing.load.LoadOptions;
import io.spoavertx.testing.load.LoadReport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.VertxInternal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Issue 5's allocation targets, pinned end to end: the load generator (another Vert.x instance in
 * this JVM) drives the agent over loopback with the 5-argument {@code bench} message, 8 connections ×
 * 20 in flight, and the bytes allocated by the agent's event-loop thread (one, as the targets are
 * set: the handler verticle shares it; the JVM's per-thread counter) are divided by the messages
 * answered, after a warm-up run that lets the JIT compile the path. A {@link SpoeHandler#sync}
 * handler reading 2 arguments and setting 2 variables: issue 5's targets are 64 B per message
 * directly and 330 B through a handler verticle; measured 14 directly and 14 for a handler verticle
 * on the same event loop (called within the read), so the bounds here are tighter than the targets,
 * 32 B, and 96 B for a handler verticle on another event loop (one task per read), to catch a
 * regression of an object or two per message.
 */
class HotPathAllocationTest {

  /** AgentBenchMain's handler, in its sync form. */
  private static final SpoeHandler HANDLER = SpoeHandler.sync((m, actions) -> {
    long port = m.getLong("port", 0);
    Boolean flag = m.getBoolean("flag");
    actions.setVar(Scope.TXN, "score", port & 0xFF).setVar(Scope.TXN, "deny", flag != null && !flag);
  });

  private Vertx vertx;
  private Vertx load;
  private ResourceLeakDetector.Level leakLevel;

  @BeforeAll
  static void requireAllocationFreeReads() {
    Assumptions.assumeTrue(HeapArrays.ALLOCATION_FREE,
        "Vert.x 5.0 (about 400 B per message there): the pins hold from 5.1 on");
  }

  @BeforeEach
  void setUp() {
    // The library's tests run with paranoid leak detection, which records a stack trace per
    // pooled buffer: measured here is the agent as it runs in production.
    leakLevel = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    // one event loop, as issue 5's targets are set: the connections and the handler verticle share it
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    load = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  }

  @AfterEach
  void tearDown() throws Exception {
    load.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
    ResourceLeakDetector.setLevel(leakLevel);
  }

  @Test
  void aSyncDirectHandlerCostsAtMost32BytesPerMessage() throws Exception {
    SpoaAgent agent = agent().directHandler("bench", HANDLER);
    double perMessage = bytesPerMessage(agent, 1);
    System.out.printf("HotPathAllocationTest: direct sync handler %.1f B per message%n", perMessage);
    assertTrue(perMessage <= 32, "direct sync handler: " + perMessage + " B per message, bound 32 (target 64)");
  }

  /**
   * The same handler declared with a {@link MessageSpec} (so the agent checks each message for
   * drift) and reading its context's ids, time left, engine id, peer and a sibling: still within
   * the bound of 32 B.
   */
  @Test
  void aDeclaredSyncDirectHandlerReadingItsContextCostsAtMost32BytesPerMessage() throws Exception {
    MessageSpec spec = MessageSpec.builder("bench").arg("ip", "src", DataType.IPV4, DataType.IPV6)
        .arg("path", "path", DataType.STRING).optionalArg("ua", "req.hdr(user-agent)", DataType.STRING)
        .arg("port", "dst_port", DataType.INT32, DataType.INT64).optionalArg("flag", "bool(1)", DataType.BOOL)
        .sets(Scope.TXN, "score", DataType.INT64).sets(Scope.TXN, "deny", DataType.BOOL).build();
    SpoaAgent agent = agent().directHandler(spec, SpoeHandler.sync((m, actions) -> {
      MessageContext c = m.context();
      contextSink += c.streamId() + c.frameId() + c.timeLeftNanos() + c.messageCount() + (c.isCancelled() ? 1 : 0);
      contextSink += c.engineId().length() + c.peer().port() + c.message(0).argCount();
      long port = m.getLong("port", 0);
      Boolean flag = m.getBoolean("flag");
      actions.setVar(Scope.TXN, "score", port & 0xFF).setVar(Scope.TXN, "deny", flag != null && !flag);
    }));
    double perMessage = bytesPerMessage(agent, 1);
    System.out.printf("HotPathAllocationTest: declared direct sync handler reading its context %.1f B per message%n",
        perMessage);
    assertEquals(0, agent.stats().drift("bench", AgentStats.Drift.UNDECLARED_ARG), "the spec matches the load's message");
    assertTrue(perMessage <= 32, "declared direct sync handler with context: " + perMessage + " B per message, bound 32");
  }

  /** Where the context handler's reads go, so that they are not optimised away. */
  static long contextSink;

  @Test
  void aSyncHandlerVerticleOnTheSameEventLoopCostsAtMost32BytesPerMessage() throws Exception {
    SpoaAgent agent = agent();
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return SpoeHandlers.register(vertx, "bench", HANDLER).completion();
      }
    }).await(10, TimeUnit.SECONDS);
    double perMessage = bytesPerMessage(agent, 1);
    System.out.printf("HotPathAllocationTest: sync handler verticle on the same event loop %.1f B per message%n", perMessage);
    assertEquals(0, agent.stats().hops(AgentStats.Hop.CROSS_LOOP));
    assertTrue(perMessage <= 32, "handler verticle, same event loop: " + perMessage + " B per message, bound 32 (target 330)");
  }

  /** A handler verticle on another event loop: the read's messages go to it as one task. */
  @Test
  void aSyncHandlerVerticleOnAnotherEventLoopCostsAtMost96BytesPerMessage() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    // deployed first, the handler takes the first event loop and the listener the second
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return SpoeHandlers.register(vertx, "bench", HANDLER).completion();
      }
    }).await(10, TimeUnit.SECONDS);
    SpoaAgent agent = agent();
    double perMessage = bytesPerMessage(agent, 2);
    System.out.printf("HotPathAllocationTest: sync handler verticle on another event loop %.1f B per message%n", perMessage);
    assertEquals(agent.stats().messages(Outcome.OK), agent.stats().hops(AgentStats.Hop.CROSS_LOOP), "every message crossed");
    assertTrue(perMessage <= 96, "handler verticle, other event loop: " + perMessage + " B per message, bound 96 (target 330)");
  }

  private SpoaAgent agent() {
    return SpoaAgent.create(vertx, AgentConfig.DEFAULT.withListener(
        ListenerOptions.DEFAULT.withHost("127.0.0.1").withPort(0).withInstances(1)));
  }

  /** Bytes the agent's {@code eventLoops} event-loop threads allocate per message answered. */
  private double bytesPerMessage(SpoaAgent agent, int eventLoops) throws Exception {
    int port = agent.start().await(10, TimeUnit.SECONDS);
    Set<Long> loops = eventLoopThreads(eventLoops);
    LoadOptions options = new LoadOptions().port(port).connections(8).inflight(20)
        .warmup(Duration.ZERO).duration(Duration.ofSeconds(3));
    run(options); // warm-up: compiles the path
    long messages0 = agent.stats().messages(Outcome.OK);
    long bytes0 = allocated(loops);
    LoadReport report = run(options.duration(Duration.ofSeconds(2)));
    long bytes = allocated(loops) - bytes0;
    long messages = agent.stats().messages(Outcome.OK) - messages0;
    assertEquals(0, report.errors(), report.summary());
    assertTrue(messages >= 10_000, "too few messages to measure: " + messages);
    assertEquals(0, agent.stats().messages(Outcome.ERROR) + agent.stats().messages(Outcome.TIMEOUT));
    return (double) bytes / messages;
  }

  private LoadReport run(LoadOptions options) throws Exception {
    return LoadGenerator.run(load, options).await(60, TimeUnit.SECONDS);
  }

  /** The agent Vert.x instance's event-loop threads (new contexts take the event loops in turn). */
  private Set<Long> eventLoopThreads(int expected) throws Exception {
    Set<Long> ids = new LinkedHashSet<>();
    for (int i = 0; i < 2 * expected; i++) {
      Future<Long> id = Future.future(p -> ((VertxInternal) vertx).createEventLoopContext()
          .runOnContext(v -> p.complete(Thread.currentThread().getId())));
      ids.add(id.await(10, TimeUnit.SECONDS));
    }
    assertEquals(expected, ids.size(), "expected the agent's event-loop threads: " + ids);
    return ids;
  }

  private static long allocated(Set<Long> threads) {
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (long id : threads) {
      sum += mx.getThreadAllocatedBytes(id);
    }
    return sum;
  }
}
