package io.spoavertx.agent;

import io.spoavertx.metrics.AgentStats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.metrics.AgentStats.Outcome;
import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.handler.Action;
import io.spoavertx.handler.Actions;
import io.spoavertx.handler.DataType;
import io.spoavertx.agent.SpoeHandlers;
import io.spoavertx.handler.SpoeMessage;
import io.spoavertx.handler.internal.ActionsBatch;
import io.spoavertx.handler.internal.MessageBatch;
import io.spoavertx.testing.Ack;
import io.spoavertx.testing.AckAssert;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.VarScope;
import io.spoavertx.testing.SpopTestClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Messages for handlers outside the agent's JVM travel in batches, one request per address per
 * read. Here the "remote" handlers are plain consumers in the same JVM (not registered with
 * SpoeHandlers, so the agent cannot call them directly); the cluster's wire form is checked by
 * encoding and decoding the batches, and ClusterIT runs the same path between JVMs.
 */
class RemoteBatchTest {

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
  void eachMessageOfABatchGetsItsOwnAnswerAndNotifiesShareBatches() throws Exception {
    List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    vertx.eventBus().<MessageBatch>consumer("spoa.message.remote", msg -> {
      SpoeMessage[] messages = msg.body().messages();
      batchSizes.add(messages.length);
      Actions[] actions = new Actions[messages.length];
      String[] failures = new String[messages.length];
      for (int i = 0; i < messages.length; i++) {
        long n = messages[i].getLong("n", -1);
        if (n % 7 == 3) {
          failures[i] = "unlucky " + n;
        } else {
          actions[i] = Actions.create().setVar(io.spoavertx.handler.Scope.TXN, "r", 10 * n);
        }
      }
      msg.reply(new ActionsBatch(actions, failures));
    }).completion().await(10, TimeUnit.SECONDS);
    SpoaAgent agent = SpoaAgent.create(vertx, AgentConfig.DEFAULT
        .withListener(ListenerOptions.DEFAULT.withHost("127.0.0.1").withPort(0)));
    int port = agent.start().await(10, TimeUnit.SECONDS);
    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    client.hello().await(10, TimeUnit.SECONDS);

    int notifies = 200;
    List<Future<Ack>> acks = new ArrayList<>();
    for (int i = 0; i < notifies; i++) {
      // two messages for the remote address in each NOTIFY
      acks.add(client.notify(Message.of("remote").arg("n", 2L * i), Message.of("remote").arg("n", 2L * i + 1)));
    }
    int failed = 0;
    for (int i = 0; i < notifies; i++) {
      Ack ack = acks.get(i).await(10, TimeUnit.SECONDS);
      int expected = 0;
      for (long n = 2L * i; n <= 2L * i + 1; n++) {
        if (n % 7 == 3) {
          failed++;
        } else {
          expected++;
        }
      }
      AckAssert a = AckAssert.assertThat(ack).hasActionCount(expected);
      if (expected == 2) {
        assertEquals(List.of(20L * i, 20L * i + 10), ack.actions().stream().map(x -> x.value().value()).toList(), ack.toString());
      }
    }
    assertEquals(failed, agent.stats().messages(Outcome.ERROR));
    assertEquals(2L * notifies - failed, agent.stats().messages(Outcome.OK));
    assertEquals(2 * notifies, batchSizes.stream().mapToInt(Integer::intValue).sum());
    assertTrue(batchSizes.size() < notifies, "messages of pipelined NOTIFYs share batches: " + batchSizes);
    assertEquals(List.of(), client.errors());
  }

  /**
   * A handler node that answers with actions HAProxy would reject (here: scope 7, which makes
   * HAProxy drop the rest of the ACK's actions): the batch as the cluster codec reads it off the
   * wire fails that message with the reason; the other message of the NOTIFY keeps its actions.
   */
  @Test
  void invalidActionsFromAHandlerNodeFailThatMessageAndNeverReachHaproxy() throws Exception {
    vertx.eventBus().<MessageBatch>consumer("spoa.message.peer", msg -> {
      SpoeMessage[] messages = msg.body().messages();
      Buffer wire = Buffer.buffer().appendInt(messages.length);
      for (SpoeMessage m : messages) {
        Buffer actions = m.getLong("n", -1) == 1
            ? Buffer.buffer(new byte[] {1, 3, 7, 1, 'x', 0x02, 0x2a}) // SET-VAR scope 7
            : Actions.create().setVar(io.spoavertx.handler.Scope.TXN, "ok", m.getLong("n", -1)).encoded();
        wire.appendInt(actions.length()).appendBuffer(actions);
      }
      msg.reply(ActionsBatch.decodeFrom(wire, 0)); // what EventBusCodecs' cluster codec does with a reply
    }).completion().await(10, TimeUnit.SECONDS);
    SpoaAgent agent = SpoaAgent.create(vertx, AgentConfig.DEFAULT
        .withListener(ListenerOptions.DEFAULT.withHost("127.0.0.1").withPort(0)));
    int port = agent.start().await(10, TimeUnit.SECONDS);
    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    client.hello().await(10, TimeUnit.SECONDS);
    Ack ack = client.notify(Message.of("peer").arg("n", 1L), Message.of("peer").arg("n", 2L)).await(10, TimeUnit.SECONDS);
    AckAssert.assertThat(ack).hasActionCount(1).setsVar(VarScope.TXN, "ok", 2L);
    assertEquals(1, agent.stats().messages(Outcome.ERROR));
    assertEquals(1, agent.stats().messages(Outcome.OK));
    assertEquals(List.of(), client.errors());
  }

  @Test
  void aConsumerThatDoesNotKnowBatchesFailsItsMessagesNotTheConnection() throws Exception {
    vertx.eventBus().consumer("spoa.message.legacy", msg -> msg.reply(Actions.none()))
        .completion().await(10, TimeUnit.SECONDS);
    SpoaAgent agent = SpoaAgent.create(vertx, AgentConfig.DEFAULT
        .withListener(ListenerOptions.DEFAULT.withHost("127.0.0.1").withPort(0)))
        .directHandler("local", io.spoavertx.handler.SpoeHandler.sync((m, a) -> a.setVar(io.spoavertx.handler.Scope.TXN, "ok", true)));
    int port = agent.start().await(10, TimeUnit.SECONDS);
    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    client.hello().await(10, TimeUnit.SECONDS);
    Ack ack = client.notify(Message.of("legacy"), Message.of("local")).await(10, TimeUnit.SECONDS);
    AckAssert.assertThat(ack).hasActionCount(1).setsVar(VarScope.TXN, "ok", true);
    assertEquals(1, agent.stats().messages(Outcome.ERROR));
    assertEquals(List.of(), client.errors());
  }

  @Test
  void aSpoeHandlersConsumerAnswersABatchMessageByMessage() throws Exception {
    Vertx other = Vertx.vertx();
    try {
      // answers: at once, later from another Vert.x instance's thread, or a failure
      SpoeHandlers.register(vertx, "mixed", m -> {
        long n = m.getLong("n", -1);
        if (n % 3 == 0) {
          return Future.succeededFuture(Actions.create().setVar(io.spoavertx.handler.Scope.TXN, "now", n));
        }
        if (n % 3 == 1) {
          io.vertx.core.Promise<Actions> p = io.vertx.core.Promise.promise();
          other.setTimer(1 + n % 5, t -> p.complete(Actions.create().setVar(io.spoavertx.handler.Scope.TXN, "later", n)));
          return p.future();
        }
        throw new IllegalStateException("fails " + n);
      }).completion().await(10, TimeUnit.SECONDS);
      MessageBatch batch = new MessageBatch();
      for (long n = 0; n < 30; n++) {
        batch.add(SpoeMessage.builder("mixed").arg("n", n).build());
      }
      ActionsBatch answers = vertx.eventBus().<ActionsBatch>request(SpoeHandlers.address("mixed"), batch)
          .await(10, TimeUnit.SECONDS).body();
      assertEquals(30, answers.count());
      for (int n = 0; n < 30; n++) {
        if (n % 3 == 2) {
          assertNull(answers.actions(n));
          assertEquals("java.lang.IllegalStateException: fails " + n, answers.failure(n));
        } else {
          String var = n % 3 == 0 ? "now" : "later";
          assertEquals(List.of(new Action.SetVar(io.spoavertx.handler.Scope.TXN, var, DataType.INT64, (long) n)),
              answers.actions(n).list(), "message " + n);
          assertNull(answers.failure(n));
        }
      }
    } finally {
      other.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void batchesSurviveTheirClusterWireForm() {
    MessageBatch batch = new MessageBatch()
        .add(SpoeMessage.builder("a").arg("n", 1L).arg("s", "text").build())
        .add(SpoeMessage.builder("b").arg("bin", new byte[] {1, 2, 3}).build());
    Buffer wire = Buffer.buffer().appendString("prefix");
    batch.encodeTo(wire);
    MessageBatch back = MessageBatch.decodeFrom(wire, 6);
    SpoeMessage[] messages = back.messages();
    assertEquals(2, messages.length);
    assertEquals("a(n=1, s=text)", messages[0].toString());
    assertEquals("b", messages[1].name());
    assertEquals(Buffer.buffer(new byte[] {1, 2, 3}), messages[1].getBinary("bin"));

    ActionsBatch answers = new ActionsBatch(
        new Actions[] {Actions.create().setVar(io.spoavertx.handler.Scope.TXN, "x", 7L), null, Actions.none()},
        new String[] {null, "boom ü", null});
    Buffer out = Buffer.buffer().appendByte((byte) 9);
    answers.encodeTo(out);
    ActionsBatch decoded = ActionsBatch.decodeFrom(out, 1);
    assertEquals(3, decoded.count());
    assertEquals(answers.actions(0).list(), decoded.actions(0).list());
    assertNull(decoded.actions(1));
    assertEquals("boom ü", decoded.failure(1));
    assertEquals(0, decoded.actions(2).size());
    assertNull(decoded.failure(2));
  }
}
