package io.spoavertx.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpopTestClientTest {

  private Vertx vertx;
  private FakeAgent agent;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    agent = FakeAgent.start(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    agent.close();
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  private SpopTestClient connect(SpopTestClientOptions options) throws Exception {
    return await(SpopTestClient.connect(vertx, "127.0.0.1", agent.port(), options));
  }

  private SpopTestClient connected() throws Exception {
    SpopTestClient c = connect(new SpopTestClientOptions());
    await(c.hello());
    return c;
  }

  @Test
  void helloIsAnsweredAndDecoded() throws Exception {
    SpopTestClient c = connect(new SpopTestClientOptions());
    AgentHello h = await(c.hello(HelloOptions.haproxy26().engineId("e1")));
    assertEquals("2.0", h.version());
    assertEquals(16380, h.maxFrameSize());
    assertTrue(h.hasCapability("pipelining"));
    assertEquals(h, c.agentHello());
    assertEquals(TypedValue.string("pipelining,async"), agent.hellos.get(0).get("capabilities"));
    assertEquals(TypedValue.string("e1"), agent.hellos.get(0).get("engine-id"));
    assertEquals(List.of(), c.errors());
    await(c.close());
  }

  @Test
  void healthcheckHello() throws Exception {
    SpopTestClient c = connect(new SpopTestClientOptions());
    await(c.hello(HelloOptions.spopCheck()));
    assertEquals(TypedValue.bool(true), agent.hellos.get(0).get("healthcheck"));
    assertEquals(TypedValue.string(""), agent.hellos.get(0).get("capabilities"));
    await(c.close());
  }

  @Test
  void badAgentHelloIsRecorded() throws Exception {
    agent.onHello = (s, kv) -> FakeAgent.agentHello("2.0", 16384, "pipelining");
    SpopTestClient c = connect(new SpopTestClientOptions());
    await(c.hello());
    assertEquals(1, c.errors().size(), c.errors().toString());
    assertTrue(c.errors().get(0).description().contains("status 9"));
    await(c.close());
  }

  @Test
  void helloAnsweredWithDisconnectFailsWithStatus() throws Exception {
    agent.onHello = (s, kv) -> FakeAgent.agentDisconnect(8, "unsupported version");
    SpopTestClient c = connect(new SpopTestClientOptions());
    AgentDisconnectedException e = assertThrows(AgentDisconnectedException.class,
        () -> await(c.hello(new HelloOptions().supportedVersions("3.0"))));
    assertEquals(8, e.statusCode());
    assertEquals("unsupported version", e.agentMessage());
    assertEquals(new AgentDisconnect(8, "unsupported version"), await(c.agentDisconnect()));
    await(c.close());
  }

  @Test
  void pipelinedNotifiesGetTheirAcksInAnyOrderHaproxy3Ids() throws Exception {
    pipelined(SpopTestClientOptions.IdStyle.HAPROXY_3);
  }

  @Test
  void pipelinedNotifiesGetTheirAcksInAnyOrderHaproxy26Ids() throws Exception {
    pipelined(SpopTestClientOptions.IdStyle.HAPROXY_2_6);
  }

  private void pipelined(SpopTestClientOptions.IdStyle style) throws Exception {
    int n = 20;
    // the agent answers only when all NOTIFYs are in, in reverse order, all ACKs in one write,
    // each setting txn.i to the "i" argument of its NOTIFY
    agent.onNotify = (s, notify) -> {
      if (agent.notifies.size() == n) {
        Buffer all = Buffer.buffer();
        for (int i = n - 1; i >= 0; i--) {
          FakeAgent.Notify x = agent.notifies.get(i);
          TypedValue v = x.messages().get(0).get("i");
          all.appendBuffer(FakeAgent.ack(x.streamId(), x.frameId(), AckAction.setVar(VarScope.TXN, "i", TypedValue.int32((int) v.asLong()))));
        }
        s.write(all);
      }
    };
    SpopTestClient c = connect(new SpopTestClientOptions().idStyle(style));
    await(c.hello());
    List<Future<Ack>> acks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      acks.add(c.notify(Message.of("m").arg("i", i)));
    }
    for (int i = 0; i < n; i++) {
      Ack ack = await(acks.get(i));
      AckAssert.assertThat(ack).hasActionCount(1).setsVar(VarScope.TXN, "i", i);
      assertEquals(1, ack.frameId());
    }
    long first = agent.notifies.get(0).streamId();
    for (int i = 0; i < n; i++) {
      long expected = style == SpopTestClientOptions.IdStyle.HAPROXY_3 ? 1 + 2L * i : first + i;
      assertEquals(expected, agent.notifies.get(i).streamId());
    }
    assertEquals(0, c.pendingCount());
    assertEquals(List.of(), c.errors());
    await(c.close());
  }

  @Test
  void acksSplitAtEveryByteAreReassembled() throws Exception {
    agent.onNotify = (s, n) -> {
      Buffer ack = FakeAgent.ack(n.streamId(), n.frameId(), AckAction.setVar(VarScope.SESS, "s", TypedValue.string("x".repeat(300))));
      for (int i = 0; i < ack.length(); i++) {
        s.write(ack.getBuffer(i, i + 1));
      }
    };
    SpopTestClient c = connected();
    AckAssert.assertThat(await(c.notify(Message.of("m")))).setsVar(VarScope.SESS, "s", "x".repeat(300));
    await(c.close());
  }

  @Test
  void fragmentedNotifyIsReassembledByTheAgent() throws Exception {
    agent.onNotify = (s, n) -> s.write(FakeAgent.ack(n.streamId(), n.frameId(), AckAction.setVar(VarScope.TXN, "ok", TypedValue.bool(true))));
    SpopTestClient c = connected();
    List<Message> messages = GoldenFramesTest.allTypesMessages();
    Ack ack = await(c.notifyFragmented(7, false, messages.toArray(Message[]::new)));
    AckAssert.assertThat(ack).setsVar(VarScope.TXN, "ok", true);
    FakeAgent.Notify got = agent.notifies.get(0);
    assertEquals(messages, got.messages());
    int payload = SpopClientCodec.encodeNotifyPayload(messages).length();
    assertEquals((payload + 6) / 7, got.fragments());
    List<Frame> frames = agent.received.subList(1, agent.received.size());
    assertEquals(SpopClientCodec.TYPE_NOTIFY, frames.get(0).type());
    assertEquals(0, frames.get(0).flags());
    for (Frame f : frames.subList(1, frames.size())) {
      assertEquals(SpopClientCodec.TYPE_UNSET, f.type());
      assertEquals(got.streamId(), f.streamId());
    }
    assertEquals(1, frames.get(frames.size() - 1).flags());
    assertEquals(List.of(), c.errors());
    await(c.close());
  }

  @Test
  void abortedFragmentedNotifyExpectsNoAck() throws Exception {
    SpopTestClient c = connected();
    assertNull(await(c.notifyFragmented(5, true, Message.of("big").arg("s", "0123456789"))));
    AckAssert.assertThat(await(c.notify(Message.of("next")))).hasNoActions();
    assertEquals(1, agent.aborts.size());
    assertEquals(3, agent.aborts.get(0).flags());
    assertEquals(List.of("next"), agent.notifies.stream().map(n -> n.messages().get(0).name()).toList());
    assertEquals(List.of(), c.errors());
    await(c.close());
  }

  @Test
  void ackWithUnknownIdsIsRecordedAndFailsPending() throws Exception {
    agent.onNotify = (s, n) -> s.write(FakeAgent.ack(n.streamId() + 1000, n.frameId()));
    SpopTestClient c = connected();
    SpopProtocolException e = assertThrows(SpopProtocolException.class, () -> await(c.notify(Message.of("m"))));
    assertEquals(12, e.status());
    assertEquals(1, c.errors().size());
    assertEquals(1001, c.errors().get(0).frame().streamId());
    await(c.close());
  }

  @Test
  void malformedAckFailsItsRequest() throws Exception {
    agent.onNotify = (s, n) -> s.write(SpopClientCodec.encodeFrame(SpopClientCodec.TYPE_ACK, 1, n.streamId(), n.frameId(),
        Buffer.buffer(new byte[] {9, 0})));
    SpopTestClient c = connected();
    assertEquals(4, assertThrows(SpopProtocolException.class, () -> await(c.notify(Message.of("m")))).status());
    assertTrue(c.errors().get(0).description().startsWith("malformed ACK"));
    await(c.close());
  }

  @Test
  void clientDisconnectGetsTheAgentAnswer() throws Exception {
    SpopTestClient c = connected();
    assertEquals(new AgentDisconnect(0, "bye"), await(c.disconnect(2, "a timeout occurred")));
    await(c.closed());
    Frame last = agent.received.get(agent.received.size() - 1);
    assertEquals(SpopClientCodec.TYPE_HAPROXY_DISCONNECT, last.type());
    assertEquals(TypedValue.uint32(2), SpopClientCodec.decodeKvList(last.payload()).get("status-code"));
  }

  @Test
  void agentInitiatedDisconnectFailsPendingNotifies() throws Exception {
    agent.onNotify = (s, n) -> s.write(FakeAgent.agentDisconnect(4, "invalid frame")).onComplete(v -> s.close());
    SpopTestClient c = connected();
    AgentDisconnectedException e = assertThrows(AgentDisconnectedException.class, () -> await(c.notify(Message.of("m"))));
    assertEquals(4, e.statusCode());
    assertEquals(4, await(c.agentDisconnect()).statusCode());
    await(c.closed());
    assertThrows(IllegalStateException.class, () -> await(c.notify(Message.of("late"))));
  }

  @Test
  void unansweredNotifyTimesOut() throws Exception {
    agent.onNotify = (s, n) -> { };
    SpopTestClient c = connect(new SpopTestClientOptions().requestTimeout(Duration.ofMillis(200)));
    await(c.hello());
    assertThrows(TimeoutException.class, () -> await(c.notify(Message.of("m"))));
    await(c.close());
  }

  @Test
  void rawBytesAndEmptyNotify() throws Exception {
    SpopTestClient c = connected();
    Future<Ack> rawAck = c.expectAck(77, 5);
    await(c.sendRaw(SpopClientCodec.encodeNotify(77, 5, List.of(Message.of("raw")))));
    AckAssert.assertThat(await(rawAck)).hasIds(77, 5).hasNoActions();
    AckAssert.assertThat(await(c.notify(List.of()))).hasNoActions();
    assertEquals(List.of(), agent.notifies.get(1).messages());
    assertEquals(List.of(), c.errors());
    await(c.close());
  }

  @Test
  void closeFailsPendingAndCompletesClosed() throws Exception {
    agent.onNotify = (s, n) -> { };
    SpopTestClient c = connected();
    Future<Ack> pending = c.notify(Message.of("m"));
    await(c.close());
    assertInstanceOf(IllegalStateException.class, assertThrows(Exception.class, () -> await(pending)));
    assertTrue(c.closed().succeeded());
  }
}
