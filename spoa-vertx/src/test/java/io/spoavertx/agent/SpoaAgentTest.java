package io.spoavertx.agent;

import io.spoavertx.metrics.AgentStats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.metrics.AgentStats.Outcome;
import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.DispatchOptions;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.config.ProtocolOptions;
import io.spoavertx.handler.Actions;
import io.spoavertx.agent.SpoeHandlers;
import io.spoavertx.testing.Ack;
import io.spoavertx.testing.AckAssert;
import io.spoavertx.testing.AgentDisconnect;
import io.spoavertx.testing.AgentDisconnectedException;
import io.spoavertx.testing.AgentHello;
import io.spoavertx.testing.HelloOptions;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.VarScope;
import io.spoavertx.testing.SpopTestClient;
import io.spoavertx.testing.SpopTestClientOptions;
import io.spoavertx.testing.TypedValue;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/** The agent end to end over TCP, driven by the fake HAProxy of the test fixtures. */
class SpoaAgentTest {

  private Vertx vertx;
  private SpoaAgent agent;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static AgentConfig config() {
    return AgentConfig.DEFAULT.withListener(ListenerOptions.DEFAULT.withPort(0));
  }

  private SpopTestClient start(SpoaAgent a) throws Exception {
    agent = a;
    int port = a.start().await(10, TimeUnit.SECONDS);
    return SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
  }

  private SpopTestClient connect() throws Exception {
    return SpopTestClient.connect(vertx, "127.0.0.1", agent.port()).await(10, TimeUnit.SECONDS);
  }

  private static Message score(long n) {
    return Message.of("score").arg("n", n);
  }

  private static SpoaAgent scoringAgent(Vertx vertx, AgentConfig config) {
    return SpoaAgent.create(vertx, config).directHandler("score", m ->
        Future.succeededFuture(Actions.create().setVar(io.spoavertx.handler.Scope.TXN, "score", m.getLong("n", -1))));
  }

  @Test
  void helloNegotiatesVersionFrameSizeAndCapabilities() throws Exception {
    SpopTestClient client = start(SpoaAgent.create(vertx, config()));
    AgentHello hello = client.hello(HelloOptions.haproxy26()).await(10, TimeUnit.SECONDS);
    assertEquals("2.0", hello.version());
    assertEquals(16380, hello.maxFrameSize());
    assertEquals(List.of("pipelining"), hello.capabilityList()); // never async
    assertTrue(client.errors().isEmpty(), client.errors().toString());
  }

  @Test
  void maxFrameSizeIsTheSmallerOfBoth() throws Exception {
    AgentConfig cfg = config().withProtocol(ProtocolOptions.DEFAULT.withMaxFrameSize(1024).withFragmentation(true));
    SpopTestClient client = start(SpoaAgent.create(vertx, cfg));
    AgentHello hello = client.hello(HelloOptions.haproxy3()).await(10, TimeUnit.SECONDS);
    assertEquals(1024, hello.maxFrameSize());
    assertEquals(List.of("pipelining", "fragmentation"), hello.capabilityList());
  }

  @Test
  void notifyGetsOneAckWithItsIdsAndTheHandlersActions() throws Exception {
    SpopTestClient client = start(scoringAgent(vertx, config()));
    client.hello().await(10, TimeUnit.SECONDS);
    Ack ack = client.notify(7, 1, List.of(score(42))).await(10, TimeUnit.SECONDS);
    AckAssert.assertThat(ack).hasIds(7, 1).hasActionCount(1).setsVar(VarScope.TXN, "score", 42L);
  }

  @Test
  void streamIdZeroAsHaproxy26SendsIt() throws Exception {
    SpopTestClient client = start(scoringAgent(vertx, config()));
    client.hello().await(10, TimeUnit.SECONDS);
    Ack ack = client.notify(0, 1, List.of(score(1))).await(10, TimeUnit.SECONDS);
    AckAssert.assertThat(ack).hasIds(0, 1).setsVar(VarScope.TXN, "score", 1L);
  }

  @Test
  void messagesOfOneNotifyAreAnsweredInMessageOrderWhateverTheirCompletionOrder() throws Exception {
    // "slow" goes over the event bus and answers after "fast" (direct) has answered.
    vertx.deployVerticle(new io.vertx.core.VerticleBase() {
      @Override
      public Future<?> start() {
        return SpoeHandlers.register(vertx, "slow", m -> {
          Promise<Actions> p = Promise.promise();
          vertx.setTimer(30, t -> p.complete(Actions.create().setVar(io.spoavertx.handler.Scope.TXN, "slow", "s")));
          return p.future();
        }).completion();
      }
    }).await(10, TimeUnit.SECONDS);
    SpoaAgent a = SpoaAgent.create(vertx, config()).directHandler("fast", m ->
        Future.succeededFuture(Actions.create().setVar(io.spoavertx.handler.Scope.REQ, "fast", true)));
    SpopTestClient client = start(a);
    client.hello().await(10, TimeUnit.SECONDS);
    Ack ack = client.notify(Message.of("slow"), Message.of("fast")).await(10, TimeUnit.SECONDS);
    assertEquals(2, ack.actions().size());
    assertEquals("slow", ack.actions().get(0).name());
    assertEquals("fast", ack.actions().get(1).name());
    assertEquals(VarScope.REQ, ack.actions().get(1).scope());
  }

  @Test
  void pipelinedNotifysAreAnsweredOutOfOrderEachWithItsOwnIds() throws Exception {
    // The handler answers after a random delay, so ACKs leave in a different order than NOTIFYs came.
    SpoaAgent a = SpoaAgent.create(vertx, config()).directHandler("score", m -> {
      Promise<Actions> p = Promise.promise();
      long n = m.getLong("n", -1);
      vertx.setTimer(1 + (n * 7919) % 20, t -> p.complete(Actions.create().setVar(io.spoavertx.handler.Scope.TXN, "score", n)));
      return p.future();
    });
    SpopTestClient client = start(a);
    client.hello().await(10, TimeUnit.SECONDS);
    List<Future<Ack>> acks = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      acks.add(client.notify(score(i)));
    }
    for (int i = 0; i < 200; i++) {
      AckAssert.assertThat(acks.get(i).await(10, TimeUnit.SECONDS)).setsVar(VarScope.TXN, "score", (long) i);
    }
    assertTrue(client.errors().isEmpty(), client.errors().toString());
    assertEquals(200, agent.stats().acks());
  }

  @Test
  void haproxy3StyleIdsOnSeveralConnectionsRepeatWithoutMixingUp() throws Exception {
    start(scoringAgent(vertx, config())).close().await(10, TimeUnit.SECONDS);
    List<SpopTestClient> clients = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", agent.port(),
          new SpopTestClientOptions().idStyle(SpopTestClientOptions.IdStyle.HAPROXY_3)).await(10, TimeUnit.SECONDS);
      client.hello(HelloOptions.haproxy3()).await(10, TimeUnit.SECONDS);
      clients.add(client);
    }
    List<Future<Ack>> acks = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      for (int c = 0; c < clients.size(); c++) {
        acks.add(clients.get(c).notify(score(c * 1000 + i)));
      }
    }
    int k = 0;
    for (int i = 0; i < 20; i++) {
      for (int c = 0; c < clients.size(); c++) {
        Ack ack = acks.get(k++).await(10, TimeUnit.SECONDS);
        assertEquals(2L * i + 1, ack.streamId()); // odd ids per connection: 1, 3, 5...
        AckAssert.assertThat(ack).setsVar(VarScope.TXN, "score", (long) c * 1000 + i);
      }
    }
  }

  @Test
  void failingThrowingAndMissingHandlersContributeNoActionsButTheAckGoesOut() throws Exception {
    AgentConfig cfg = config().withDispatch(DispatchOptions.DEFAULT.withDeadlineMs(100));
    SpoaAgent a = scoringAgent(vertx, cfg)
        .directHandler("throws", m -> {
          throw new IllegalStateException("boom");
        })
        .directHandler("fails", m -> Future.failedFuture("nope"))
        .directHandler("never", m -> Promise.<Actions>promise().future());
    SpopTestClient client = start(a);
    client.hello().await(10, TimeUnit.SECONDS);
    Ack ack = client.notify(Message.of("throws"), score(5), Message.of("fails"), Message.of("never"),
        Message.of("nobody-handles-this")).await(10, TimeUnit.SECONDS);
    AckAssert.assertThat(ack).hasActionCount(1).setsVar(VarScope.TXN, "score", 5L);
    AgentStats s = agent.stats();
    assertEquals(2, s.messages(Outcome.ERROR));
    assertEquals(1, s.messages(Outcome.TIMEOUT));
    assertEquals(1, s.messages(Outcome.NO_HANDLER));
    assertEquals(1, s.messages(Outcome.OK));
  }

  @Test
  void emptyNotifyGetsAnEmptyAck() throws Exception {
    SpopTestClient client = start(SpoaAgent.create(vertx, config()));
    client.hello().await(10, TimeUnit.SECONDS);
    AckAssert.assertThat(client.notify(List.of()).await(10, TimeUnit.SECONDS)).hasNoActions();
  }

  @Test
  void fragmentedNotifyIsReassembledAndAbortedOneGetsNoAck() throws Exception {
    AgentConfig cfg = config().withProtocol(ProtocolOptions.DEFAULT.withMaxFrameSize(256).withFragmentation(true));
    SpoaAgent a = SpoaAgent.create(vertx, cfg).directHandler("big", m ->
        Future.succeededFuture(Actions.create().setVar(io.spoavertx.handler.Scope.TXN, "len", m.getString("hdrs").length())));
    SpopTestClient client = start(a);
    client.hello(HelloOptions.haproxy26().maxFrameSize(256)).await(10, TimeUnit.SECONDS);
    String big = "x".repeat(3000);
    for (int size : new int[] {1, 7, 100, 240}) {
      Ack ack = client.notifyFragmented(size, false, Message.of("big").arg("hdrs", big)).await(10, TimeUnit.SECONDS);
      AckAssert.assertThat(ack).setsVar(VarScope.TXN, "len", TypedValue.int32(3000));
    }
    assertNull(client.notifyFragmented(100, true, Message.of("big").arg("hdrs", big)).await(10, TimeUnit.SECONDS));
    Ack after = client.notifyFragmented(100, false, Message.of("big").arg("hdrs", "abc")).await(10, TimeUnit.SECONDS);
    AckAssert.assertThat(after).setsVar(VarScope.TXN, "len", TypedValue.int32(3));
    assertEquals(1, agent.stats().framesAborted());
    assertEquals(5, agent.stats().fragmentsReassembled());
    assertEquals(5, agent.stats().acks());
  }

  @Test
  void fragmentWithoutNegotiationIsStatus10() throws Exception {
    SpopTestClient client = start(SpoaAgent.create(vertx, config()));
    client.hello().await(10, TimeUnit.SECONDS);
    client.notifyFragmented(10, false, score(1));
    AgentDisconnect d = client.agentDisconnect().await(10, TimeUnit.SECONDS);
    assertEquals(10, d.statusCode());
    client.closed().await(10, TimeUnit.SECONDS);
  }

  @Test
  void haproxyDisconnectIsAnsweredWithStatus0ThenClose() throws Exception {
    SpopTestClient client = start(SpoaAgent.create(vertx, config()));
    client.hello().await(10, TimeUnit.SECONDS);
    AgentDisconnect d = client.disconnect(2, "a timeout occurred").await(10, TimeUnit.SECONDS);
    assertEquals(0, d.statusCode());
    client.closed().await(10, TimeUnit.SECONDS);
    assertEquals(1, agent.stats().haproxyDisconnects(2));
  }

  @Test
  void healthcheckHelloIsAnsweredThenClosed() throws Exception {
    SpopTestClient client = start(SpoaAgent.create(vertx, config()));
    AgentHello hello = client.hello(HelloOptions.spopCheck()).await(10, TimeUnit.SECONDS);
    assertEquals("2.0", hello.version());
    client.closed().await(10, TimeUnit.SECONDS);
    assertEquals(1, agent.stats().healthchecks());
  }

  @Test
  void notifyBeforeHelloIsInvalidFrame() throws Exception {
    SpopTestClient client = start(scoringAgent(vertx, config()));
    Future<Ack> ack = client.notify(score(1));
    AgentDisconnect d = client.agentDisconnect().await(10, TimeUnit.SECONDS);
    assertEquals(4, d.statusCode());
    assertThrows(Exception.class, () -> ack.await(10, TimeUnit.SECONDS));
  }

  @Test
  void unsupportedVersionIsStatus8() throws Exception {
    SpopTestClient client = start(SpoaAgent.create(vertx, config()));
    Exception e = assertThrows(Exception.class,
        () -> client.hello(new HelloOptions().supportedVersions("1.0")).await(10, TimeUnit.SECONDS));
    AgentDisconnectedException d = assertInstanceOf(AgentDisconnectedException.class,
        e instanceof CompletionException ? e.getCause() : e);
    assertEquals(8, d.statusCode());
  }

  @Test
  void backpressureStopsReadingAtTheInFlightBound() throws Exception {
    ConcurrentLinkedQueue<Promise<Actions>> held = new ConcurrentLinkedQueue<>();
    AgentConfig cfg = config().withProtocol(ProtocolOptions.DEFAULT.withMaxInFlightPerConnection(20))
        .withDispatch(DispatchOptions.DEFAULT.withDeadlineMs(60_000));
    SpoaAgent a = SpoaAgent.create(vertx, cfg).directHandler("hold", m -> {
      Promise<Actions> p = Promise.promise();
      held.add(p);
      return p.future();
    });
    SpopTestClient client = start(a);
    client.hello().await(10, TimeUnit.SECONDS);
    List<Future<Ack>> acks = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      acks.add(client.notify(Message.of("hold")));
    }
    waitUntil(() -> held.size() == 20);
    Thread.sleep(200); // give the agent every chance to read more than it may
    assertEquals(20, held.size(), "the 21st NOTIFY must not be read while 20 are in flight");
    vertx.runOnContext(v -> held.poll().complete(Actions.none()));
    acks.get(0).await(10, TimeUnit.SECONDS);
    waitUntil(() -> held.size() == 20);
    assertEquals(21, agent.stats().notifies());
    Thread.sleep(100);
    assertEquals(21, agent.stats().notifies(), "one ACK out lets exactly one more NOTIFY in");
    List<Promise<Actions>> rest = new ArrayList<>(held);
    held.clear();
    vertx.runOnContext(v -> rest.forEach(p -> p.complete(Actions.none())));
    waitUntil(() -> held.size() == 4);
    vertx.runOnContext(v -> new ArrayList<>(held).forEach(p -> p.complete(Actions.none())));
    for (Future<Ack> f : acks) {
      f.await(10, TimeUnit.SECONDS);
    }
    assertEquals(25, agent.stats().acks());
  }

  @Test
  void severalInstancesShareOneRandomPort() throws Exception {
    AgentConfig cfg = AgentConfig.DEFAULT.withListener(ListenerOptions.DEFAULT.withPort(0).withInstances(3));
    SpopTestClient first = start(scoringAgent(vertx, cfg));
    first.hello().await(10, TimeUnit.SECONDS);
    for (int c = 0; c < 6; c++) {
      SpopTestClient client = connect();
      client.hello().await(10, TimeUnit.SECONDS);
      AckAssert.assertThat(client.notify(score(c)).await(10, TimeUnit.SECONDS)).setsVar(VarScope.TXN, "score", (long) c);
    }
  }

  @Test
  void garbageBeforeHelloIsAPlainClose() throws Exception {
    SpopTestClient client = start(SpoaAgent.create(vertx, config()));
    client.sendRaw(Buffer.buffer("GET / HTTP/1.1\r\nHost: agent\r\n\r\n"));
    client.closed().await(10, TimeUnit.SECONDS);
    assertThrows(Exception.class, () -> client.agentDisconnect().await(1, TimeUnit.SECONDS));
  }

  static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(5);
    }
  }

}
