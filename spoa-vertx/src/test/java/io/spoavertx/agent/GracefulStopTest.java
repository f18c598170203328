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
import io.spoavertx.testing.HelloOptions;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.SpopClientCodec;
import io.spoavertx.testing.SpopTestClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
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
      AckAssert.assertThat(ack.await(10, TimeUnit.SECONDS)).setsVar(io.spoavertx.testing.VarScope.TXN, "done", true);
    }
    AgentDisconnect bye = client.agentDisconnect().await(10, TimeUnit.SECONDS);
    assertEquals(0, bye.statusCode());
    client.closed().await(10, TimeUnit.SECONDS);
    stopped.await(10, TimeUnit.SECONDS);
    assertThrows(Exception.class, () -> SpopTestClient.connect(vertx, "127.0.0.1", port).await(5, TimeUnit.SECONDS),
        "the listener is closed");
  }

  /**
   * The drain stops reading; once the last ACK and the AGENT-DISCONNECT are out, the lingering
   * close reads again (and drops) until the peer closes, as after a protocol error. Left paused,
   * the agent would not see the peer close and would close with input unread: a peer still
   * writing (HAProxy pipelines) is blocked until then and gets a reset.
   */
  @Test
  void afterTheDrainThePeersInputIsReadAndDroppedUntilItCloses() throws Exception {
    SpoaAgent agent = SpoaAgent.create(vertx, AgentConfig.DEFAULT.withListener(ListenerOptions.DEFAULT.withPort(0)))
        .directHandler("slow", m -> {
          Promise<Actions> p = Promise.promise();
          vertx.setTimer(300, t -> p.complete(Actions.create().setVar(Scope.TXN, "done", true)));
          return p.future();
        });
    int port = agent.start().await(10, TimeUnit.SECONDS);
    try (java.net.Socket peer = new java.net.Socket("127.0.0.1", port)) {
      peer.setSoTimeout(10_000);
      java.io.OutputStream out = peer.getOutputStream();
      out.write(SpopClientCodec.encodeHaproxyHello(HelloOptions.haproxy26()).getBytes());
      out.write(SpopClientCodec.encodeNotify(1, 1, List.of(Message.of("slow"))).getBytes());
      out.flush();
      SpoaAgentTest.waitUntil(() -> agent.stats().notifies() == 1);
      Future<Void> stopped = agent.stop();
      Thread.sleep(50); // the drain has paused the socket
      // More than the kernel's buffers hold: the writer blocks until the agent reads again.
      Buffer chunk = Buffer.buffer();
      for (int i = 0; chunk.length() < 64 * 1024; i++) {
        chunk.appendBuffer(SpopClientCodec.encodeNotify(2 + i, 1, List.of(Message.of("slow"))));
      }
      byte[] bytes = chunk.getBytes();
      java.util.concurrent.atomic.AtomicReference<Throwable> writeFailure = new java.util.concurrent.atomic.AtomicReference<>();
      Thread writer = new Thread(() -> {
        try {
          for (int i = 0; i < 384; i++) { // 24 MiB
            out.write(bytes);
          }
          out.flush();
        } catch (java.io.IOException e) {
          writeFailure.set(e);
        }
      });
      writer.start();

      java.io.DataInputStream in = new java.io.DataInputStream(peer.getInputStream());
      List<Integer> types = new ArrayList<>();
      while (!types.contains(SpopClientCodec.TYPE_AGENT_DISCONNECT)) {
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        types.add(frame[0] & 0xFF);
      }
      assertEquals(List.of(SpopClientCodec.TYPE_AGENT_HELLO, SpopClientCodec.TYPE_ACK, SpopClientCodec.TYPE_AGENT_DISCONNECT), types);
      writer.join(10_000);
      assertEquals(null, writeFailure.get(), "every byte the peer sent after the AGENT-DISCONNECT was taken in");
      peer.shutdownOutput(); // the peer closes, as HAProxy does once it has read the AGENT-DISCONNECT
      assertEquals(-1, in.read(), "then the agent closes too: FIN, no reset");
      stopped.await(10, TimeUnit.SECONDS);
    }
    assertEquals(1, agent.stats().acks());
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
