package io.spoavertx.agent;

import io.spoavertx.metrics.AgentStats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.metrics.AgentStats.Hop;
import io.spoavertx.metrics.AgentStats.Outcome;
import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.handler.SpoeHandler;
import io.spoavertx.agent.SpoeHandlers;
import io.spoavertx.testing.Ack;
import io.spoavertx.testing.AckAssert;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.VarScope;
import io.spoavertx.testing.SpopTestClient;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A message read on an event loop is handled by the handler instance on that event loop when there
 * is one: no hop between threads, counted in {@link AgentStats#hops}. With fewer handler instances
 * than listener loops, or worker handlers, the hops happen and are counted by kind.
 */
class EventLoopAffinityTest {

  private static final int LOOPS = 4;
  private static final int CONNECTIONS = 8;
  private static final int NOTIFIES = 50;

  private Vertx vertx;
  private Vertx clients;
  /** Threads the handler ran on, and calls where its own verticle's context was not the current one. */
  private final Set<Thread> handlerThreads = Collections.synchronizedSet(new HashSet<>());
  private final Set<Context> handlerContexts = Collections.synchronizedSet(new HashSet<>());
  private final AtomicInteger foreignContext = new AtomicInteger();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(LOOPS));
    clients = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    clients.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** Sets txn.n to twice argument n; records where it ran. */
  private final class Doubler extends VerticleBase {
    @Override
    public Future<?> start() {
      Context own = context;
      return SpoeHandlers.register(vertx, "double", SpoeHandler.sync((m, a) -> {
        handlerThreads.add(Thread.currentThread());
        handlerContexts.add(own);
        if (Vertx.currentContext() != own) {
          foreignContext.incrementAndGet();
        }
        a.setVar(io.spoavertx.handler.Scope.TXN, "n", 2 * m.getLong("n", -1));
      })).completion();
    }
  }

  private SpoaAgent startAgent(int listeners) throws Exception {
    SpoaAgent agent = SpoaAgent.create(vertx, AgentConfig.DEFAULT
        .withListener(ListenerOptions.DEFAULT.withHost("127.0.0.1").withPort(0).withInstances(listeners)));
    agent.start().await(10, TimeUnit.SECONDS);
    return agent;
  }

  /** CONNECTIONS connections, NOTIFIES pipelined NOTIFYs of two messages each; every ACK checked. */
  private void load(SpoaAgent agent) throws Exception {
    List<SpopTestClient> open = new ArrayList<>();
    List<Future<Ack>> acks = new ArrayList<>();
    List<Long> expected = new ArrayList<>();
    for (int c = 0; c < CONNECTIONS; c++) {
      SpopTestClient client = SpopTestClient.connect(clients, "127.0.0.1", agent.port()).await(10, TimeUnit.SECONDS);
      client.hello().await(10, TimeUnit.SECONDS);
      open.add(client);
    }
    for (int i = 0; i < NOTIFIES; i++) {
      for (int c = 0; c < CONNECTIONS; c++) {
        long n = 1000L * c + i;
        acks.add(open.get(c).notify(Message.of("double").arg("n", n), Message.of("double").arg("n", n + 1)));
        expected.add(n);
      }
    }
    for (int k = 0; k < acks.size(); k++) {
      Ack ack = acks.get(k).await(10, TimeUnit.SECONDS);
      long n = expected.get(k);
      AckAssert.assertThat(ack).hasActionCount(2);
      assertEquals(2 * n, ((Number) ack.actions().get(0).value().value()).longValue(), ack.toString());
      assertEquals(2 * (n + 1), ((Number) ack.actions().get(1).value().value()).longValue(), ack.toString());
    }
    for (SpopTestClient client : open) {
      assertEquals(List.of(), client.errors());
      client.close();
    }
    assertEquals(2L * CONNECTIONS * NOTIFIES, agent.stats().messages(Outcome.OK));
  }

  @Test
  void fourListenersAndAHandlerInstanceOnEveryLoopMakeNoHop() throws Exception {
    assertEquals(LOOPS, SpoaAgent.eventLoops(vertx));
    SpoaAgent.deployOnEveryEventLoop(vertx, Doubler::new, new DeploymentOptions()).await(10, TimeUnit.SECONDS);
    SpoaAgent agent = startAgent(LOOPS);

    load(agent);

    assertEquals(0, agent.stats().hops(Hop.CROSS_LOOP), "messages that crossed event loops");
    assertEquals(0, agent.stats().hops(Hop.WORKER));
    assertEquals(0, agent.stats().hops(Hop.REMOTE));
    // 8 connections over 4 listener instances: every loop read some, and handled them itself
    assertEquals(LOOPS, handlerThreads.size(), "handler ran on " + handlerThreads);
    assertEquals(LOOPS, handlerContexts.size());
    assertEquals(0, foreignContext.get(), "calls without the handler verticle's own context current");
  }

  @Test
  void loopsWithoutAHandlerInstanceHandTheirMessagesOverAndCountThem() throws Exception {
    vertx.deployVerticle(Doubler::new, new DeploymentOptions().setInstances(1)).await(10, TimeUnit.SECONDS);
    SpoaAgent agent = startAgent(LOOPS);

    load(agent);

    // connections are spread evenly over the 4 listener loops; one of them has the handler
    long all = 2L * CONNECTIONS * NOTIFIES;
    assertEquals(all * (LOOPS - 1) / LOOPS, agent.stats().hops(Hop.CROSS_LOOP));
    assertEquals(0, agent.stats().hops(Hop.WORKER));
    assertEquals(0, agent.stats().hops(Hop.REMOTE));
    assertEquals(1, handlerThreads.size());
    assertEquals(0, foreignContext.get());
  }

  @Test
  void workerHandlersAreReachedByAHopCountedAsWorker() throws Exception {
    vertx.deployVerticle(Doubler::new, new DeploymentOptions().setInstances(3).setThreadingModel(ThreadingModel.WORKER))
        .await(10, TimeUnit.SECONDS);
    SpoaAgent agent = startAgent(2);

    load(agent);

    assertEquals(2L * CONNECTIONS * NOTIFIES, agent.stats().hops(Hop.WORKER));
    assertEquals(0, agent.stats().hops(Hop.CROSS_LOOP));
    // a read's messages are spread over the instances: all three got some
    assertEquals(3, handlerContexts.size(), "worker instances used");
    for (Thread t : handlerThreads) {
      assertTrue(t.getName().contains("worker"), t.getName());
    }
    assertEquals(0, foreignContext.get());
  }

  @Test
  void aHandlerDeployedAfterTheAgentStartsIsUsedOnItsLoop() throws Exception {
    SpoaAgent agent = startAgent(LOOPS);
    SpopTestClient early = SpopTestClient.connect(clients, "127.0.0.1", agent.port()).await(10, TimeUnit.SECONDS);
    early.hello().await(10, TimeUnit.SECONDS);
    // no handler yet: over the event bus, where nobody answers
    AckAssert.assertThat(early.notify(Message.of("double").arg("n", 1)).await(10, TimeUnit.SECONDS)).hasNoActions();
    assertEquals(1, agent.stats().messages(Outcome.NO_HANDLER));
    assertEquals(1, agent.stats().hops(Hop.REMOTE));

    String id = SpoaAgent.deployOnEveryEventLoop(vertx, Doubler::new, new DeploymentOptions()).await(10, TimeUnit.SECONDS);
    AckAssert.assertThat(early.notify(Message.of("double").arg("n", 1)).await(10, TimeUnit.SECONDS))
        .setsVar(VarScope.TXN, "n", 2L);
    assertEquals(0, agent.stats().hops(Hop.CROSS_LOOP));

    // undeployed: forgotten again
    vertx.undeploy(id).await(10, TimeUnit.SECONDS);
    AckAssert.assertThat(early.notify(Message.of("double").arg("n", 1)).await(10, TimeUnit.SECONDS)).hasNoActions();
    assertEquals(2, agent.stats().messages(Outcome.NO_HANDLER));
    early.close();
  }
}
