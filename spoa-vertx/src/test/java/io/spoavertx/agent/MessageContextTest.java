package io.spoavertx.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.DispatchOptions;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.config.RouteOptions;
import io.spoavertx.handler.Actions;
import io.spoavertx.handler.MessageContext;
import io.spoavertx.handler.Scope;
import io.spoavertx.handler.SpoeHandler;
import io.spoavertx.handler.SpoeMessage;
import io.spoavertx.handler.internal.ActionsBatch;
import io.spoavertx.handler.internal.MessageBatch;
import io.spoavertx.metrics.AgentStats.Outcome;
import io.spoavertx.testing.Ack;
import io.spoavertx.testing.AckAssert;
import io.spoavertx.testing.GoldenFrames;
import io.spoavertx.testing.HelloOptions;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.SpopTestClient;
import io.spoavertx.testing.VarScope;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What a handler learns from {@link SpoeMessage#context()}: the NOTIFY's ids, HAProxy's engine id
 * and address, the other messages of the NOTIFY, the time left, and a cancellation that fires at
 * the deadline or when HAProxy's connection closes; on the event loop of the handler that asked.
 */
class MessageContextTest {

  private static final String ENGINE = "0ad6f0c2-9b48-4f8e-a2e5-5f6a29b1c8d4";

  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** What the handlers of the golden NOTIFY (stream 0, frame 1; check-client-ip, check-request-meta) saw. */
  private record Seen(long stream, long frame, String engine, SocketAddress peer, int count, int index,
                      String first, String second, long siblingPort, boolean sameSibling, long leftMs) {
    static Seen of(SpoeMessage m) {
      MessageContext c = m.context();
      SpoeMessage other = c.message(1 - c.index());
      return new Seen(c.streamId(), c.frameId(), c.engineId(), c.peer(), c.messageCount(), c.index(),
          c.message(0).name(), c.message(1).name(), c.message("check-request-meta").getLong("port", -1),
          c.message(c.index()) == m && c.message(other.name()) == other, c.timeLeftMillis());
    }
  }

  @Test
  void aGoldenNotifyShowsItsIdsEngineIdPeerAndBothMessages() throws Exception {
    Map<String, Seen> seen = new ConcurrentHashMap<>();
    SpoaAgent agent = agent(new DispatchOptions(800L, null, null))
        .directHandler("check-client-ip", SpoeHandler.sync((m, a) -> seen.put(m.name(), Seen.of(m))))
        .directHandler("check-request-meta", SpoeHandler.sync((m, a) -> seen.put(m.name(), Seen.of(m))));
    SpopTestClient client = connect(agent);
    Future<Ack> ack = client.expectAck(0, 1);
    client.sendRaw(GoldenFrames.load("haproxy-2.6.12-notify"));
    AckAssert.assertThat(ack.await(10, TimeUnit.SECONDS)).hasNoActions();
    SocketAddress haproxy = client.localAddress();
    for (String name : List.of("check-client-ip", "check-request-meta")) {
      Seen s = seen.get(name);
      assertEquals(0, s.stream(), name);
      assertEquals(1, s.frame(), name);
      assertEquals(ENGINE, s.engine(), name);
      assertEquals(haproxy.port(), s.peer().port(), name);
      assertEquals("127.0.0.1", s.peer().hostAddress(), name);
      assertEquals(2, s.count(), name);
      assertEquals("check-client-ip", s.first());
      assertEquals("check-request-meta", s.second());
      assertEquals(18080, s.siblingPort(), "the sibling's arguments read from " + name);
      assertTrue(s.sameSibling(), name);
      assertTrue(s.leftMs() > 500 && s.leftMs() <= 800, name + ": " + s.leftMs() + " ms left of 800");
    }
    assertEquals(0, seen.get("check-client-ip").index());
    assertEquals(1, seen.get("check-request-meta").index());
  }

  @Test
  void theTimeLeftDecreasesAndTheCancellationFiresAtTheDeadlineOnTheHandlersEventLoop() throws Exception {
    CompletableFuture<long[]> times = new CompletableFuture<>();
    CompletableFuture<Boolean> onItsLoop = new CompletableFuture<>();
    SpoaAgent agent = agent(new DispatchOptions(5_000L, null, Map.of("slow", new RouteOptions(null, 150L, null))))
        .directHandler("slow", m -> {
          MessageContext c = m.context();
          long start = System.nanoTime();
          long left0 = c.timeLeftNanos();
          Context loop = Vertx.currentContext();
          c.cancelled().onSuccess(v -> {
            onItsLoop.complete(Vertx.currentContext() == loop);
            times.complete(new long[] {left0, c.timeLeftNanos(), System.nanoTime() - start, c.isCancelled() ? 1 : 0});
          });
          assertSame(c.cancelled(), c.cancelled(), "one future per message");
          return Promise.<Actions>promise().future(); // never answers: a slow backend
        });
    SpopTestClient client = connect(agent);
    Ack ack = client.notify(Message.of("slow")).await(10, TimeUnit.SECONDS);
    AckAssert.assertThat(ack).hasNoActions();
    long[] t = times.get(10, TimeUnit.SECONDS);
    assertTrue(t[0] > TimeUnit.MILLISECONDS.toNanos(100) && t[0] <= TimeUnit.MILLISECONDS.toNanos(150),
        "time left at the call: " + t[0]);
    assertTrue(t[1] <= 0, "time left once cancelled: " + t[1]);
    assertTrue(t[2] >= TimeUnit.MILLISECONDS.toNanos(100) && t[2] < TimeUnit.MILLISECONDS.toNanos(1_000),
        "cancelled after " + t[2] / 1_000_000 + " ms, deadline 150 ms");
    assertEquals(1, t[3], "isCancelled");
    assertTrue(onItsLoop.get(10, TimeUnit.SECONDS), "the callback runs on the context that asked");
    assertEquals(1, agent.stats().messages(Outcome.TIMEOUT));
  }

  @Test
  void theCancellationFiresWhenTheConnectionClosesOnAWorkerHandlersOwnContext() throws Exception {
    CompletableFuture<Long> cancelledAfter = new CompletableFuture<>();
    CompletableFuture<Boolean> onItsContext = new CompletableFuture<>();
    CompletableFuture<Void> called = new CompletableFuture<>();
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return SpoeHandlers.register(vertx, "hang", m -> {
          Context worker = Vertx.currentContext();
          long start = System.nanoTime();
          m.context().cancelled().onSuccess(v -> {
            onItsContext.complete(Vertx.currentContext() == worker);
            cancelledAfter.complete(System.nanoTime() - start);
          });
          called.complete(null);
          return Promise.<Actions>promise().future();
        }).completion();
      }
    }, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)).await(10, TimeUnit.SECONDS);
    SpoaAgent agent = agent(DispatchOptions.DEFAULT.withDeadlineMs(10_000));
    SpopTestClient client = connect(agent);
    client.notify(Message.of("hang"));
    called.get(10, TimeUnit.SECONDS);
    client.close().await(10, TimeUnit.SECONDS);
    long after = cancelledAfter.get(5, TimeUnit.SECONDS);
    assertTrue(after < TimeUnit.SECONDS.toNanos(5), "cancelled by the close, not the 10 s deadline: " + after);
    assertTrue(onItsContext.get(10, TimeUnit.SECONDS), "the callback runs on the worker handler's context");
  }

  /** Answered in time: the slot's context is reused, and the cancellation asked for never fires. */
  @Test
  void aHandlerThatAnswersInTimeIsNeverCancelledAndTheContextIsReused() throws Exception {
    List<MessageContext> contexts = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Future<Void>> cancellations = new java.util.concurrent.CopyOnWriteArrayList<>();
    SpoaAgent agent = agent(DispatchOptions.DEFAULT.withDeadlineMs(50))
        .directHandler("quick", SpoeHandler.sync((m, a) -> {
          contexts.add(m.context());
          cancellations.add(m.context().cancelled());
          a.setVar(Scope.TXN, "stream", m.context().streamId());
        }));
    SpopTestClient client = connect(agent);
    for (long stream = 1; stream <= 3; stream++) {
      Ack ack = client.notify(stream, 1, List.of(Message.of("quick"))).await(10, TimeUnit.SECONDS);
      AckAssert.assertThat(ack).setsVar(VarScope.TXN, "stream", stream);
    }
    Thread.sleep(200); // past every deadline
    assertSame(contexts.get(0), contexts.get(2), "one context per slot, reused");
    for (Future<Void> f : cancellations) {
      assertFalse(f.isComplete(), "answered in time: never cancelled");
    }
    assertNotSame(cancellations.get(0), cancellations.get(1), "a new cancellation per message");
  }

  /** The agent sends each message's context with it to a handler outside its JVM. */
  @Test
  void messagesSentOverTheEventBusCarryTheirContext() throws Exception {
    CompletableFuture<List<String>> seen = new CompletableFuture<>();
    vertx.eventBus().<MessageBatch>consumer("spoa.message.remote", msg -> {
      SpoeMessage[] messages = msg.body().messages(vertx);
      Actions[] actions = new Actions[messages.length];
      List<String> lines = new java.util.ArrayList<>();
      for (int i = 0; i < messages.length; i++) {
        MessageContext c = messages[i].context();
        lines.add(c.streamId() + "/" + c.frameId() + " " + c.index() + " of " + c.messageCount() + " engine "
            + c.engineId() + " peer " + c.peer().port() + " own " + (c.message(c.index()) == messages[i])
            + " other " + c.message(1 - c.index()) + " left " + (c.timeLeftMillis() > 100 && c.timeLeftMillis() <= 300));
        actions[i] = Actions.none();
      }
      seen.complete(lines);
      msg.reply(new ActionsBatch(actions, new String[messages.length]));
    }).completion().await(10, TimeUnit.SECONDS);
    SpoaAgent agent = agent(DispatchOptions.DEFAULT.withDeadlineMs(300));
    SpopTestClient client = connect(agent);
    client.notify(7, 9, List.of(Message.of("remote"), Message.of("remote"))).await(10, TimeUnit.SECONDS);
    int port = client.localAddress().port();
    assertEquals(List.of(
        "7/9 0 of 2 engine " + ENGINE + " peer " + port + " own true other null left true",
        "7/9 1 of 2 engine " + ENGINE + " peer " + port + " own true other null left true"), seen.get(10, TimeUnit.SECONDS));
  }

  /** A SpoeHandlers handler on a node that only receives the batch: its own timer cancels at the deadline. */
  @Test
  void aHandlerOnAnotherNodeIsCancelledByItsOwnTimerAtTheDeadline() throws Exception {
    CompletableFuture<Long> cancelledAfter = new CompletableFuture<>();
    SpoeHandlers.register(vertx, "far", m -> {
      long start = System.nanoTime();
      Promise<Actions> answer = Promise.promise();
      m.context().cancelled().onSuccess(v -> {
        cancelledAfter.complete(System.nanoTime() - start);
        answer.complete(Actions.none());
      });
      return answer.future();
    }).completion().await(10, TimeUnit.SECONDS);
    MessageBatch batch = new MessageBatch().from(ENGINE, SocketAddress.inetSocketAddress(4242, "192.0.2.1"))
        .add(SpoeMessage.builder("far").build(), 3, 4, TimeUnit.MILLISECONDS.toNanos(80), 0, 1);
    ActionsBatch answers = vertx.eventBus().<ActionsBatch>request(SpoeHandlers.address("far"), batch)
        .await(10, TimeUnit.SECONDS).body();
    assertEquals(0, answers.actions(0).size());
    long after = cancelledAfter.get(10, TimeUnit.SECONDS);
    assertTrue(after >= TimeUnit.MILLISECONDS.toNanos(60) && after < TimeUnit.SECONDS.toNanos(2), "after " + after);
  }

  @Test
  void aMessageBuiltByHandHasAContextWithNoIdsNoDeadlineAndOnlyItself() {
    SpoeMessage m = SpoeMessage.builder("solo").arg("n", 1L).build();
    MessageContext c = m.context();
    assertSame(c, m.context());
    assertEquals("solo", m.name());
    assertEquals(-1, c.streamId());
    assertEquals(-1, c.frameId());
    assertNull(c.engineId());
    assertNull(c.peer());
    assertEquals(Long.MAX_VALUE, c.timeLeftMillis());
    assertFalse(c.isCancelled());
    assertEquals(1, c.messageCount());
    assertSame(m, c.message(0));
    assertNull(c.message("other"));
    assertFalse(c.cancelled().isComplete());
  }

  private SpoaAgent agent(DispatchOptions dispatch) {
    return SpoaAgent.create(vertx, AgentConfig.DEFAULT
        .withListener(ListenerOptions.DEFAULT.withHost("127.0.0.1").withPort(0)).withDispatch(dispatch));
  }

  private SpopTestClient connect(SpoaAgent agent) throws Exception {
    int port = agent.start().await(10, TimeUnit.SECONDS);
    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    client.hello(new HelloOptions().engineId(ENGINE)).await(10, TimeUnit.SECONDS);
    return client;
  }
}
