package io.spoavertx.agent;

import io.spoavertx.metrics.AgentStats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.metrics.AgentStats.Outcome;
import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.DispatchOptions;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.config.RouteOptions;
import io.spoavertx.handler.Actions;
import io.spoavertx.handler.SpoeHandler;
import io.spoavertx.agent.SpoeHandlers;
import io.spoavertx.handler.SpoeMessage;
import io.spoavertx.testing.Ack;
import io.spoavertx.testing.AckAssert;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.VarScope;
import io.spoavertx.testing.SpopTestClient;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@link SpoeHandler#sync} handlers answer into an action list the agent lends and reuses, over a
 * message view it reuses: pipelined NOTIFYs must still each get their own actions, and a list or
 * view that a handler still holds past its deadline must never be lent again.
 */
class SyncHandlerTest {

  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void pipelinedNotifiesEachGetTheirOwnActionsFromDirectAndEventBusSyncHandlers() throws Exception {
    SpoaAgent agent = SpoaAgent.create(vertx, AgentConfig.DEFAULT
            .withListener(ListenerOptions.DEFAULT.withHost("127.0.0.1").withPort(0)))
        .directHandler("d", SpoeHandler.sync((m, a) -> a.setVar(io.spoavertx.handler.Scope.TXN, "d", 2 * m.getLong("n", -1))))
        .directHandler("x", SpoeHandler.sync((m, a) -> {
          long n = m.getLong("n", -1);
          a.setVar(io.spoavertx.handler.Scope.TXN, "partial", n); // written, then thrown away with the failure
          if (n % 2 == 1) {
            throw new IllegalStateException("odd " + n);
          }
          a.setVar(io.spoavertx.handler.Scope.TXN, "x", n);
        }));
    SpoeHandlers.register(vertx, "e", SpoeHandler.sync((m, a) -> a.setVar(io.spoavertx.handler.Scope.TXN, "e", 3 * m.getLong("n", -1))))
        .completion().await(10, TimeUnit.SECONDS);
    int port = agent.start().await(10, TimeUnit.SECONDS);
    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    client.hello().await(10, TimeUnit.SECONDS);
    int notifies = 300;
    List<Future<Ack>> acks = new ArrayList<>();
    for (int n = 0; n < notifies; n++) {
      acks.add(client.notify(Message.of("d").arg("n", n), Message.of("e").arg("n", n), Message.of("x").arg("n", n)));
    }
    for (int n = 0; n < notifies; n++) {
      Ack ack = acks.get(n).await(10, TimeUnit.SECONDS);
      AckAssert a = AckAssert.assertThat(ack).setsVar(VarScope.TXN, "d", 2L * n).setsVar(VarScope.TXN, "e", 3L * n);
      if (n % 2 == 1) {
        // the failed handler's list, half written, contributes nothing
        a.hasActionCount(2).doesNotTouchVar(VarScope.TXN, "x").doesNotTouchVar(VarScope.TXN, "partial");
      } else {
        a.hasActionCount(4).setsVar(VarScope.TXN, "partial", (long) n).setsVar(VarScope.TXN, "x", (long) n);
      }
    }
    assertEquals(notifies / 2, agent.stats().messages(Outcome.ERROR));
    assertEquals(notifies * 3L - notifies / 2, agent.stats().messages(Outcome.OK));
    assertEquals(List.of(), client.errors());
  }

  @Test
  void theMessagesOfOneReadAreHandledOnTheEventLoopThatReadThem() throws Exception {
    Vertx four = Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(4));
    try {
      Set<Thread> threads = Collections.synchronizedSet(new java.util.HashSet<>());
      SpoeHandler handler = SpoeHandler.sync((m, a) -> {
        threads.add(Thread.currentThread());
        a.setVar(io.spoavertx.handler.Scope.TXN, "n", m.getLong("n", -1));
      });
      // four instances, one per event loop
      SpoaAgent.deployOnEveryEventLoop(four, () -> new VerticleBase() {
        @Override
        public Future<?> start() {
          return SpoeHandlers.register(vertx, "spread", handler).completion();
        }
      }, new DeploymentOptions()).await(10, TimeUnit.SECONDS);
      SpoaAgent agent = SpoaAgent.create(four, AgentConfig.DEFAULT
          .withListener(ListenerOptions.DEFAULT.withHost("127.0.0.1").withPort(0).withInstances(1)));
      int port = agent.start().await(10, TimeUnit.SECONDS);
      SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
      client.hello().await(10, TimeUnit.SECONDS);
      // one NOTIFY of 20 messages: one frame, one read, handled where it was read, in order
      List<Message> messages = new ArrayList<>();
      for (int n = 0; n < 20; n++) {
        messages.add(Message.of("spread").arg("n", n));
      }
      Ack ack = client.notify(messages).await(10, TimeUnit.SECONDS);
      AckAssert.assertThat(ack).hasActionCount(20);
      for (int n = 0; n < 20; n++) {
        assertEquals(n, ((Number) ack.actions().get(n).value().value()).intValue(), ack.toString());
      }
      assertEquals(1, threads.size(), "the 20 messages of one read ran on " + threads);
      assertEquals(0, agent.stats().hops(AgentStats.Hop.CROSS_LOOP));
      client.close();
    } finally {
      four.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aListAndViewHeldPastTheDeadlineAreNeverLentAgain() throws Exception {
    AgentConfig cfg = AgentConfig.DEFAULT.withListener(ListenerOptions.DEFAULT.withHost("127.0.0.1").withPort(0))
        .withDispatch(new DispatchOptions(5_000L, null, Map.of("slow", new RouteOptions(null, 50L, null))));
    SpoaAgent agent = SpoaAgent.create(vertx, cfg);
    Set<Object> lentToLate = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<Object> lentLater = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    CountDownLatch lateWritten = new CountDownLatch(1);
    SpoeHandler handler = SpoeHandler.sync((SpoeMessage m, Actions a) -> {
      long n = m.getLong("n", -1);
      if (n == 0) {
        synchronized (lentToLate) {
          lentToLate.add(a);
          lentToLate.add(m);
        }
        Thread.sleep(150); // three times the deadline, on a worker thread
        a.setVar(io.spoavertx.handler.Scope.TXN, "late", true); // into a list the agent must have forgotten
        lateWritten.countDown();
        return;
      }
      lentLater.add(a);
      lentLater.add(m);
      a.setVar(io.spoavertx.handler.Scope.TXN, "n", n);
    });
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return SpoeHandlers.register(vertx, "slow", handler).completion();
      }
    }, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)).await(10, TimeUnit.SECONDS);
    int port = agent.start().await(10, TimeUnit.SECONDS);
    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    client.hello().await(10, TimeUnit.SECONDS);

    AckAssert.assertThat(client.notify(Message.of("slow").arg("n", 0)).await(10, TimeUnit.SECONDS)).hasNoActions();
    assertTrue(lateWritten.await(10, TimeUnit.SECONDS));
    for (int n = 1; n <= 20; n++) {
      AckAssert.assertThat(client.notify(Message.of("slow").arg("n", n)).await(10, TimeUnit.SECONDS))
          .hasActionCount(1).setsVar(VarScope.TXN, "n", (long) n);
    }
    assertEquals(2, lentToLate.size());
    assertFalse(lentLater.isEmpty());
    for (Object o : lentToLate) {
      assertFalse(lentLater.contains(o), "lent again after its deadline: " + o.getClass().getSimpleName());
    }
    assertEquals(1, agent.stats().messages(Outcome.TIMEOUT));
    assertEquals(20, agent.stats().messages(Outcome.OK));
    assertEquals(List.of(), client.errors());
  }
}
