package io.spoavertx.agent.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.agent.SpoaAgent;
import io.spoavertx.agent.SpoeHandlers;
import io.spoavertx.codec.HeapArrays;
import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.handler.SpoeHandler;
import io.spoavertx.handler.internal.VertxInternals;
import io.spoavertx.metrics.AgentStats.Hop;
import io.spoavertx.metrics.AgentStats.Outcome;
import io.spoavertx.testing.AckAssert;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.SpopTestClient;
import io.spoavertx.testing.VarScope;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The agent on the public Vert.x API alone ({@code -Dspoa.vertxInternals=false}: the surefire
 * execution {@code public-api} of this module runs this class with a set of the agent's tests):
 * every use of Vert.x internals has its fallback taken here, and the agent still answers, keeps
 * messages on the event loop that read them, and notices an undeployed handler.
 */
@EnabledIfSystemProperty(named = "spoa.vertxInternals", matches = "false")
class PublicApiFallbackTest {

  private Vertx vertx;
  private Vertx clients;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));
    clients = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    clients.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void everyInternalIsOff() {
    assertFalse(VertxInternals.ENABLED);
    assertFalse(HeapArrays.INTERNALS);
    assertFalse(SocketIo.POOLED);
    // the fallback of the event-loop count is Vert.x's default, whatever the instance has
    assertEquals(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE, EventLoops.count(vertx));
  }

  @Test
  void messagesStayOnTheirEventLoopAndAnUndeployedHandlerIsNoticed() throws Exception {
    Set<Thread> threads = Collections.synchronizedSet(new HashSet<>());
    String id = vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        return SpoeHandlers.register(vertx, "double", SpoeHandler.sync((m, a) -> {
          threads.add(Thread.currentThread());
          a.setVar(io.spoavertx.handler.Scope.TXN, "n", 2 * m.getLong("n", -1));
        })).completion();
      }
    }, new DeploymentOptions().setInstances(4)).await(10, TimeUnit.SECONDS);
    SpoaAgent agent = SpoaAgent.create(vertx, AgentConfig.DEFAULT
        .withListener(ListenerOptions.DEFAULT.withHost("127.0.0.1").withPort(0).withInstances(4)));
    int port = agent.start().await(10, TimeUnit.SECONDS);

    List<SpopTestClient> open = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      SpopTestClient client = SpopTestClient.connect(clients, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
      client.hello().await(10, TimeUnit.SECONDS);
      open.add(client);
      for (int i = 0; i < 20; i++) {
        AckAssert.assertThat(client.notify(Message.of("double").arg("n", i)).await(10, TimeUnit.SECONDS))
            .setsVar(VarScope.TXN, "n", 2L * i);
      }
    }
    assertEquals(0, agent.stats().hops(Hop.CROSS_LOOP), "messages that crossed event loops");
    assertEquals(4, threads.size(), "handlers that answered: " + threads);

    vertx.undeploy(id).await(10, TimeUnit.SECONDS);
    for (SpopTestClient client : open) {
      AckAssert.assertThat(client.notify(Message.of("double").arg("n", 1)).await(10, TimeUnit.SECONDS)).hasNoActions();
      assertTrue(client.errors().isEmpty(), client.errors().toString());
      client.close();
    }
    assertEquals(8, agent.stats().messages(Outcome.NO_HANDLER), "every connection found the handler gone");
  }
}
