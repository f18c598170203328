package io.spoavertx.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.DispatchOptions;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.handler.Actions;
import io.spoavertx.handler.Scope;
import io.spoavertx.testing.Ack;
import io.spoavertx.testing.AckAssert;
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
import java.util.concurrent.TimeUnit;

/** Stopping the agent answers every NOTIFY already read, then says goodbye with status 0. */
class GracefulStopTest {

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
  void inFlightNotifysAreAnsweredBeforeTheDisconnect() throws Exception {
    SpoaAgent agent = SpoaAgent.create(vertx, AgentConfig.DEFAULT.withListener(ListenerOptions.DEFAULT.withPort(0)))
        .directHandler("slow", m -> {
          Promise<Actions> p = Promise.promise();
          vertx.setTimer(200, t -> p.complete(Actions.create().setVar(Scope.TXN, "done", true)));
          return p.future();
        });
    int port = agent.start().await(10, TimeUnit.SECONDS);
    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    client.hello().await(10, TimeUnit.SECONDS);
    List<Future<Ack>> acks = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      acks.add(client.notify(Message.of("slow")));
    }
    SpoaAgentTest.waitUntil(() -> agent.stats().notifies() == 10);
    Future<Void> stopped = agent.stop();
    for (Future<Ack> ack : acks) {
      AckAssert.assertThat(ack.await(10, TimeUnit.SECONDS)).setsVar(io.spoavertx.testing.Scope.TXN, "done", true);
    }
    AgentDisconnect bye = client.agentDisconnect().await(10, TimeUnit.SECONDS);
    assertEquals(0, bye.statusCode());
    client.closed().await(10, TimeUnit.SECONDS);
    stopped.await(10, TimeUnit.SECONDS);
    assertThrows(Exception.class, () -> SpopTestClient.connect(vertx, "127.0.0.1", port).await(5, TimeUnit.SECONDS),
        "the listener is closed");
  }

  @Test
  void aHandlerThatNeverAnswersStillGetsItsAckBeforeTheDrainTimeout() throws Exception {
    AgentConfig config = AgentConfig.DEFAULT
        .withListener(ListenerOptions.DEFAULT.withPort(0).withDrainTimeoutMs(500))
        .withDispatch(DispatchOptions.DEFAULT.withDeadlineMs(60_000));
    SpoaAgent agent = SpoaAgent.create(vertx, config).directHandler("never", m -> Promise.<Actions>promise().future());
    int port = agent.start().await(10, TimeUnit.SECONDS);
    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    client.hello().await(10, TimeUnit.SECONDS);
    Future<Ack> ack = client.notify(Message.of("never"));
    SpoaAgentTest.waitUntil(() -> agent.stats().notifies() == 1);
    agent.stop();
    AckAssert.assertThat(ack.await(10, TimeUnit.SECONDS)).hasNoActions();
    assertEquals(0, client.agentDisconnect().await(10, TimeUnit.SECONDS).statusCode());
  }

  @Test
  void idleConnectionsGetStatus0AtOnce() throws Exception {
    SpoaAgent agent = SpoaAgent.create(vertx, AgentConfig.DEFAULT.withListener(ListenerOptions.DEFAULT.withPort(0)));
    int port = agent.start().await(10, TimeUnit.SECONDS);
    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    client.hello().await(10, TimeUnit.SECONDS);
    agent.stop().await(10, TimeUnit.SECONDS);
    assertEquals(0, client.agentDisconnect().await(10, TimeUnit.SECONDS).statusCode());
  }
}
