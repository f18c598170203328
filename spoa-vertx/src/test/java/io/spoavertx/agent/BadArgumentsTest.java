package io.spoavertx.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.handler.Actions;
import io.spoavertx.handler.BadArgumentException;
import io.spoavertx.handler.Scope;
import io.spoavertx.handler.SpoeHandler;
import io.spoavertx.handler.SpoeMessage;
import io.spoavertx.handler.internal.ActionsBatch;
import io.spoavertx.handler.internal.MessageBatch;
import io.spoavertx.metrics.AgentStats.Outcome;
import io.spoavertx.testing.Ack;
import io.spoavertx.testing.AckAssert;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.SpopTestClient;
import io.spoavertx.testing.VarScope;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A handler that finds its arguments missing or of another type ({@link BadArgumentException},
 * thrown or as its future's failure) fails the message with outcome {@code bad_args}, not
 * {@code error}, and the agent says why in one WARN line per message name, however many messages.
 */
class BadArgumentsTest {

  private Vertx vertx;
  private LogWatch logs;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    logs = LogWatch.install(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    logs.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  public record PortArgs(long port) {
  }

  @Test
  void missingAndWronglyTypedArgumentsAreCountedAsBadArgsAndLoggedOncePerMessageName() throws Exception {
    SpoaAgent agent = agent()
        .directHandler("check", SpoeHandler.sync((m, a) -> a.setVar(Scope.TXN, "port", m.requireLong("port"))))
        // async: the failure arrives as the future's
        .directHandler("later", m -> vertx.timer(1).map(t -> Actions.create().setVar(Scope.TXN, "ip",
            m.requireAddress("ip").getHostAddress())));
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return SpoeHandlers.register(vertx, "bound", SpoeHandler.bound(PortArgs.class,
            (args, m, a) -> a.setVar(Scope.TXN, "bport", args.port()))).completion();
      }
    }).await(10, TimeUnit.SECONDS);
    SpopTestClient client = connect(agent);
    for (int i = 0; i < 3; i++) {
      // spoe.conf says "args prot=dst_port": a typo
      AckAssert.assertThat(client.notify(Message.of("check").arg("prot", 80L)).await(10, TimeUnit.SECONDS)).hasNoActions();
      // "args port=str(80)": another type
      AckAssert.assertThat(client.notify(Message.of("check").arg("port", "80")).await(10, TimeUnit.SECONDS)).hasNoActions();
    }
    Ack good = client.notify(Message.of("check").arg("port", 443L), Message.of("bound").arg("port", 8443L))
        .await(10, TimeUnit.SECONDS);
    AckAssert.assertThat(good).hasActionCount(2).setsVar(VarScope.TXN, "port", 443L).setsVar(VarScope.TXN, "bport", 8443L);
    AckAssert.assertThat(client.notify(Message.of("bound").arg("port", true)).await(10, TimeUnit.SECONDS)).hasNoActions();
    AckAssert.assertThat(client.notify(Message.of("later").arg("addr", "x")).await(10, TimeUnit.SECONDS)).hasNoActions();

    assertEquals(8, agent.stats().messages(Outcome.BAD_ARGS));
    assertEquals(2, agent.stats().messages(Outcome.OK));
    assertEquals(0, agent.stats().messages(Outcome.ERROR));
    List<LogWatch.Escape> lines = logs.escapes();
    assertEquals(3, lines.size(), "one line per message name: " + lines);
    assertTrue(lines.get(0).message().contains("message 'check': argument 'port' is missing, expected an integer"
        + " (the message has [prot:INT64])"), lines.get(0).message());
    assertTrue(lines.get(1).message().contains("message 'bound': argument 'port' is BOOL"), lines.get(1).message());
    assertTrue(lines.get(2).message().contains("message 'later': argument 'ip' is missing"), lines.get(2).message());
    assertEquals("io.spoavertx.handler", lines.get(0).logger());
  }

  /** On a node that received the batch, the failure goes back marked, and the agent counts it as bad_args. */
  @Test
  void badArgumentsOfAHandlerOnAnotherNodeAreBadArgsToo() throws Exception {
    SpoeHandlers.register(vertx, "far", SpoeHandler.sync((m, a) -> a.setVar(Scope.TXN, "n", m.requireLong("n"))))
        .completion().await(10, TimeUnit.SECONDS);
    MessageBatch batch = new MessageBatch().add(SpoeMessage.builder("far").arg("n", "1").build())
        .add(SpoeMessage.builder("far").arg("n", 1L).build());
    ActionsBatch answers = vertx.eventBus().<ActionsBatch>request(SpoeHandlers.address("far"), batch)
        .await(10, TimeUnit.SECONDS).body();
    assertTrue(answers.badArgs(0));
    assertTrue(answers.failure(0).startsWith("message 'far': argument 'n' is STRING"), answers.failure(0));
    assertEquals(1, answers.actions(1).size());

    // the agent's side: a handler node's reply, as the cluster codec reads it
    vertx.eventBus().<MessageBatch>consumer("spoa.message.remote", msg -> {
      int n = msg.body().count();
      io.vertx.core.buffer.Buffer wire = io.vertx.core.buffer.Buffer.buffer();
      new ActionsBatch(new Actions[n], new String[] {"message 'remote': argument 'n' is missing"}, new boolean[] {true})
          .encodeTo(wire);
      msg.reply(ActionsBatch.decodeFrom(wire, 0));
    }).completion().await(10, TimeUnit.SECONDS);
    SpoaAgent agent = agent();
    SpopTestClient client = connect(agent);
    AckAssert.assertThat(client.notify(Message.of("remote")).await(10, TimeUnit.SECONDS)).hasNoActions();
    assertEquals(1, agent.stats().messages(Outcome.BAD_ARGS));
    assertEquals(0, agent.stats().messages(Outcome.ERROR));
    assertEquals(1, logs.escapes().size(), logs.escapes().toString());
    assertTrue(logs.escapes().get(0).message().contains("message 'remote': argument 'n' is missing"));
  }

  /** A reply with fewer answers than messages: the missing ones are errors, not bad arguments. */
  @Test
  void aShortReplyFailsTheMessagesItLacks() throws Exception {
    vertx.eventBus().<MessageBatch>consumer("spoa.message.short", msg -> msg.reply(
        new ActionsBatch(new Actions[0], new String[0], new boolean[0]))).completion().await(10, TimeUnit.SECONDS);
    SpoaAgent agent = agent();
    SpopTestClient client = connect(agent);
    AckAssert.assertThat(client.notify(Message.of("short")).await(10, TimeUnit.SECONDS)).hasNoActions();
    assertEquals(1, agent.stats().messages(Outcome.ERROR));
    assertEquals(0, agent.stats().messages(Outcome.BAD_ARGS));
    assertTrue(logs.escapes().get(0).message().contains("no answer in the handler's reply"), logs.escapes().toString());
  }

  private SpoaAgent agent() {
    return SpoaAgent.create(vertx, AgentConfig.DEFAULT.withListener(ListenerOptions.DEFAULT.withHost("127.0.0.1").withPort(0)));
  }

  private SpopTestClient connect(SpoaAgent agent) throws Exception {
    int port = agent.start().await(10, TimeUnit.SECONDS);
    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    client.hello().await(10, TimeUnit.SECONDS);
    return client;
  }
}
