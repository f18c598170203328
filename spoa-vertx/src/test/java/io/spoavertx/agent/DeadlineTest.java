package io.spoavertx.agent;

import io.spoavertx.metrics.AgentStats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spoavertx.metrics.AgentStats.Outcome;
import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.DispatchOptions;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.config.RouteOptions;
import io.spoavertx.handler.Actions;
import io.spoavertx.testing.Ack;
import io.spoavertx.testing.AckAssert;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.VarScope;
import io.spoavertx.testing.SpopClientCodec;
import io.spoavertx.testing.SpopTestClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Deadlines hold whatever the timers do. Found by the soak (SoakTest): when the connection's event
 * loop is busy past a message's deadline, and the handler's answer arrives from another thread in
 * the meantime (an event-bus reply, a client on another context), the answer's task is queued
 * before the deadline sweep's timer task (Netty moves due timers behind the tasks already queued),
 * so a late answer used to be taken as OK with its actions.
 */
class DeadlineTest {

  private Vertx vertx;
  private Vertx other;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    other = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    other.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void anAnswerArrivingAfterTheDeadlineWhileTheEventLoopIsBusyIsATimeout() throws Exception {
    AgentConfig cfg = AgentConfig.DEFAULT.withListener(ListenerOptions.DEFAULT.withHost("127.0.0.1").withPort(0))
        .withDispatch(new DispatchOptions(5_000L, null, Map.of("late", new RouteOptions(null, 50L, null))));
    SpoaAgent agent = SpoaAgent.create(vertx, cfg)
        // answers after 70 ms, from another Vert.x instance's event loop
        .directHandler("late", m -> {
          Promise<Actions> p = Promise.promise();
          other.setTimer(70, t -> p.complete(Actions.create().setVar(io.spoavertx.handler.Scope.TXN, "late", true)));
          return p.future();
        })
        // keeps the connection's event loop busy for 200 ms (a handler that blocks, a GC pause, a starved CPU)
        .directHandler("busy", m -> {
          long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
          while (System.nanoTime() < until) {
            Thread.onSpinWait();
          }
          return Future.succeededFuture(Actions.none());
        });
    int port = agent.start().await(10, TimeUnit.SECONDS);
    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    client.hello().await(10, TimeUnit.SECONDS);
    // both NOTIFYs in one write, so that the agent reads them together: "late" is dispatched, then
    // "busy" holds the event loop past the deadline of "late" and past its answer
    Future<Ack> late = client.expectAck(1, 1);
    Future<Ack> busy = client.expectAck(3, 1);
    client.sendRaw(SpopClientCodec.encodeNotify(1, 1, List.of(Message.of("late")))
        .appendBuffer(SpopClientCodec.encodeNotify(3, 1, List.of(Message.of("busy")))));
    AckAssert.assertThat(busy.await(10, TimeUnit.SECONDS)).hasNoActions();
    Ack ack = late.await(10, TimeUnit.SECONDS);
    assertEquals(List.of(), ack.actions(), "an answer after the deadline contributes no actions: " + ack);
    assertEquals(1, agent.stats().messages(Outcome.TIMEOUT));
    assertEquals(1, agent.stats().messages(Outcome.OK));
    assertEquals(List.of(), client.errors());
    Thread.sleep(100); // the late answer is dropped quietly
    assertEquals(1, agent.stats().messages(Outcome.TIMEOUT));
    assertEquals(1, agent.stats().messages(Outcome.OK));
  }
}
