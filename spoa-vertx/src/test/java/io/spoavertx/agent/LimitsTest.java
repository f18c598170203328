package io.spoavertx.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.DispatchOptions;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.config.ProtocolOptions;
import io.spoavertx.handler.Actions;
import io.spoavertx.testing.Ack;
import io.spoavertx.testing.AgentDisconnect;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.SpopTestClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/** Limits that keep the agent bounded: in flight over all connections, connections, idleness. */
class LimitsTest {

  private Vertx vertx;
  private SpoaAgent agent;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private SpopTestClient client() throws Exception {
    SpopTestClient c = SpopTestClient.connect(vertx, "127.0.0.1", agent.port()).await(10, TimeUnit.SECONDS);
    c.hello().await(10, TimeUnit.SECONDS);
    return c;
  }

  @Test
  void totalInFlightBoundStopsReadingTheConnectionThatBringsMore() throws Exception {
    ConcurrentLinkedQueue<Promise<Actions>> held = new ConcurrentLinkedQueue<>();
    // one listener instance: the total is split over the instances (two would get 5 each)
    AgentConfig config = AgentConfig.DEFAULT.withListener(ListenerOptions.DEFAULT.withPort(0).withInstances(1))
        .withProtocol(ProtocolOptions.DEFAULT.withMaxInFlightTotal(10))
        .withDispatch(DispatchOptions.DEFAULT.withDeadlineMs(60_000));
    agent = SpoaAgent.create(vertx, config).directHandler("hold", m -> {
      Promise<Actions> p = Promise.promise();
      held.add(p);
      return p.future();
    });
    agent.start().await(10, TimeUnit.SECONDS);
    SpopTestClient a = client();
    SpopTestClient b = client();
    List<Future<Ack>> acks = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      acks.add(a.notify(Message.of("hold")));
    }
    SpoaAgentTest.waitUntil(() -> held.size() == 8);
    for (int i = 0; i < 5; i++) {
      acks.add(b.notify(Message.of("hold")));
    }
    SpoaAgentTest.waitUntil(() -> held.size() == 10);
    Thread.sleep(200);
    assertEquals(10, agent.stats().notifies(), "the 11th NOTIFY must wait while 10 are in flight");
    assertEquals(10, agent.stats().inflight());
    vertx.runOnContext(v -> held.poll().complete(Actions.none()));
    SpoaAgentTest.waitUntil(() -> agent.stats().notifies() == 11);
    Thread.sleep(100);
    assertEquals(11, agent.stats().notifies(), "one ACK out lets one NOTIFY in");
    for (int round = 0; round < 5 && agent.stats().acks() < 13; round++) {
      List<Promise<Actions>> all = new ArrayList<>(held);
      held.clear();
      vertx.runOnContext(v -> all.forEach(p -> p.complete(Actions.none())));
      Thread.sleep(100);
    }
    for (Future<Ack> f : acks) {
      f.await(10, TimeUnit.SECONDS);
    }
    assertEquals(13, agent.stats().acks());
    assertEquals(0, agent.stats().inflight());
  }

  /**
   * The connection over the limit is told why (AGENT-DISCONNECT status 13, "too many connections")
   * and closed; its HELLO, sent at once as HAProxy does, does not turn the close into a reset that
   * would destroy the AGENT-DISCONNECT.
   */
  @Test
  void connectionsBeyondTheLimitGetAgentDisconnectThenClose() throws Exception {
    agent = SpoaAgent.create(vertx, AgentConfig.DEFAULT.withListener(ListenerOptions.DEFAULT.withPort(0).withMaxConnections(2)));
    agent.start().await(10, TimeUnit.SECONDS);
    SpopTestClient first = client();
    client();
    SpopTestClient third = SpopTestClient.connect(vertx, "127.0.0.1", agent.port()).await(10, TimeUnit.SECONDS);
    third.hello();
    AgentDisconnect bye = third.agentDisconnect().await(10, TimeUnit.SECONDS);
    assertEquals(13, bye.statusCode());
    assertEquals("too many connections", bye.message());
    third.closed().await(10, TimeUnit.SECONDS);
    assertEquals(List.of(), third.errors(), "well-formed, the only frame");
    assertEquals(1, agent.stats().connectionsRefused());
    assertEquals(1, agent.stats().agentDisconnects(io.spoavertx.codec.DisconnectStatus.RESOURCE_ALLOCATION_ERROR.code()));
    first.close().await(10, TimeUnit.SECONDS);
    SpoaAgentTest.waitUntil(() -> agent.stats().connectionsActive() == 1);
    client().notify(List.of()).await(10, TimeUnit.SECONDS); // a slot is free again
  }

  @Test
  void idleConnectionGetsStatus2() throws Exception {
    AgentConfig config = AgentConfig.DEFAULT.withListener(ListenerOptions.DEFAULT.withPort(0))
        .withProtocol(ProtocolOptions.DEFAULT.withIdleTimeoutMs(300));
    agent = SpoaAgent.create(vertx, config).directHandler("x", m -> Future.succeededFuture(Actions.none()));
    agent.start().await(10, TimeUnit.SECONDS);
    SpopTestClient busy = client();
    SpopTestClient idle = client();
    for (int i = 0; i < 10; i++) {
      busy.notify(Message.of("x")).await(10, TimeUnit.SECONDS);
      Thread.sleep(60);
    }
    assertEquals(2, idle.agentDisconnect().await(10, TimeUnit.SECONDS).statusCode());
    assertThrows(Exception.class, () -> busy.agentDisconnect().await(1, TimeUnit.MILLISECONDS),
        "a connection in use is not idle");
  }
}
