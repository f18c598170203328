package io.spoavertx.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.handler.Actions;
import io.spoavertx.handler.DataType;
import io.spoavertx.handler.MessageSpec;
import io.spoavertx.handler.Scope;
import io.spoavertx.handler.SpoeHandler;
import io.spoavertx.testing.Ack;
import io.spoavertx.testing.AckAssert;
import io.spoavertx.testing.HelloOptions;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.SpopTestClient;
import io.spoavertx.testing.VarScope;
import io.spoavertx.handler.SpoeMessage;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Handlers registered with a {@link MessageSpec} are kept with it, for as long as they are registered. */
class DeclaredMessagesTest {

  private static final MessageSpec SCORE = MessageSpec.builder("score")
      .arg("ip", "src", DataType.IPV4, DataType.IPV6)
      .sets(Scope.TXN, "score", DataType.INT32)
      .build();
  private static final MessageSpec TAG = MessageSpec.builder("tag").sets(Scope.TXN, "tag", DataType.STRING).build();

  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** Registers {@link #SCORE} in start(). */
  static final class ScoreVerticle extends VerticleBase {
    @Override
    public Future<?> start() {
      return SpoeHandlers.register(vertx, SCORE, SpoeHandler.sync((m, a) -> a.setVar(Scope.TXN, "score", 42))).completion();
    }
  }

  @Test
  void aVerticlesDeclarationIsKeptOnceWhileItIsDeployed() throws Exception {
    String id = vertx.deployVerticle(ScoreVerticle::new, new DeploymentOptions().setInstances(3)).await(10, TimeUnit.SECONDS);
    assertEquals(List.of(SCORE), SpoeHandlers.declaredMessages(vertx), "three instances, one declaration");
    vertx.undeploy(id).await(10, TimeUnit.SECONDS);
    assertEquals(List.of(), SpoeHandlers.declaredMessages(vertx));
  }

  @Test
  void theDeclaredMessageIsHandledAtItsDefaultAddress() throws Exception {
    vertx.deployVerticle(new ScoreVerticle()).await(10, TimeUnit.SECONDS);
    SpoaAgent agent = SpoaAgent.create(vertx, AgentConfig.DEFAULT
        .withListener(ListenerOptions.DEFAULT.withHost("127.0.0.1").withPort(0).withInstances(1)));
    int port = agent.start().await(10, TimeUnit.SECONDS);
    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    client.hello(HelloOptions.haproxy26()).await(10, TimeUnit.SECONDS);
    Ack ack = client.notify(Message.of("score").arg("ip", "192.0.2.1")).await(10, TimeUnit.SECONDS);
    AckAssert.assertThat(ack).setsVar(VarScope.TXN, "score").withInt(42);
  }

  @Test
  void unregisteringForgetsTheDeclarationAndOldOverloadsDeclareNothing() throws Exception {
    // on an event loop, as a verticle's start() would: the registration is then known at once
    Context loop = vertx.getOrCreateContext();
    MessageConsumer<SpoeMessage> declared = Future.<MessageConsumer<SpoeMessage>>future(p -> loop.runOnContext(v ->
        p.complete(SpoeHandlers.registerAt(vertx, "custom.tag", TAG, m -> Future.succeededFuture(Actions.none())))))
        .await(10, TimeUnit.SECONDS);
    MessageConsumer<SpoeMessage> plain = Future.<MessageConsumer<SpoeMessage>>future(p -> loop.runOnContext(v ->
        p.complete(SpoeHandlers.register(vertx, "plain", m -> Future.succeededFuture(Actions.none())))))
        .await(10, TimeUnit.SECONDS);
    assertEquals(List.of(TAG), SpoeHandlers.declaredMessages(vertx));
    declared.unregister().await(10, TimeUnit.SECONDS);
    plain.unregister().await(10, TimeUnit.SECONDS);
    assertEquals(List.of(), SpoeHandlers.declaredMessages(vertx));
  }

  @Test
  void theAgentListsItsDirectHandlersDeclarationsThenThoseOfItsVertx() throws Exception {
    vertx.deployVerticle(new ScoreVerticle()).await(10, TimeUnit.SECONDS);
    SpoaAgent agent = SpoaAgent.create(vertx, AgentConfig.DEFAULT)
        .directHandler(TAG, m -> Future.succeededFuture(Actions.none()))
        .directHandler("undeclared", m -> Future.succeededFuture(Actions.none()));
    assertEquals(List.of(TAG, SCORE), agent.declaredMessages());
    agent.directHandler("tag", m -> Future.succeededFuture(Actions.none()));
    assertTrue(agent.declaredMessages().equals(List.of(SCORE)), "a later plain registration replaces the declared one");
  }
}
