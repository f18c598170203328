package io.spoavertx.agent;

import io.spoavertx.metrics.AgentStats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.codec.DisconnectStatus;
import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.config.ProtocolOptions;
import io.spoavertx.handler.Actions;
import io.spoavertx.testing.Ack;
import io.spoavertx.testing.AckAssert;
import io.spoavertx.testing.AgentDisconnect;
import io.spoavertx.testing.AgentDisconnectedException;
import io.spoavertx.testing.HelloOptions;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.VarScope;
import io.spoavertx.testing.SpopClientCodec;
import io.spoavertx.testing.SpopTestClient;
import io.spoavertx.testing.TypedValue;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bad-input catalogue (docs/BAD-INPUT.md): one test per class of bad input a peer can send.
 * Each asserts the exact outcome (AGENT-DISCONNECT with its status code, then close; or a plain
 * close for bytes that are not SPOP before any frame), and that the agent goes on serving: a
 * healthy connection opened (and HELLO'd) before the bad one still gets its ACK afterwards, a fresh
 * connection is served too, the bad connection is released, and no exception escapes the agent.
 */
class BadInputCatalogueTest {

  private static final long T = 10;
  private static final AtomicLong SCORES = new AtomicLong(1);

  private Vertx vertx;
  private LogWatch logs;
  private SpoaAgent agent;
  private SpopTestClient healthy;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    logs = LogWatch.install(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      assertEquals(List.of(), logs.escapes(), "nothing but protocol errors may be logged");
    } finally {
      logs.close();
      vertx.close().await(T, TimeUnit.SECONDS);
    }
  }

  // ---- the catalogue ---------------------------------------------------------------------------

  @Test
  void truncatedFrameThenCloseAfterHelloIsJustAClose() throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connectAndHello();
    Buffer notify = SpopClientCodec.encodeNotify(5, 1, List.of(score(5)));
    bad.sendRaw(notify.getBuffer(0, notify.length() / 2)).await(T, TimeUnit.SECONDS);
    Thread.sleep(50); // let the agent read and hold the half frame
    bad.close().await(T, TimeUnit.SECONDS);
    assertAgentStillServes();
    assertEquals(healthyNotifies, agent.stats().notifies());
    assertEquals(0, disconnectsSent());
  }

  @Test
  void truncatedFrameThenCloseBeforeHelloIsJustAClose() throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connect();
    Buffer hello = SpopClientCodec.encodeHaproxyHello(new HelloOptions());
    bad.sendRaw(hello.getBuffer(0, 9)).await(T, TimeUnit.SECONDS);
    bad.close().await(T, TimeUnit.SECONDS);
    assertAgentStillServes();
    assertEquals(2, agent.stats().hellos()); // the healthy and the fresh connections' only
    assertEquals(0, disconnectsSent());
  }

  @Test
  void lengthAboveMaxFrameSizeAfterHelloIsStatus3BeforeThePayloadArrives() throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connectAndHello();
    // 16381 > 16380: only the length and 5 header bytes are sent; the agent must not wait for the rest.
    bad.sendRaw(hex("00 00 3f fd 03 00 00 00 01")).await(T, TimeUnit.SECONDS);
    expectDisconnect(bad, 3);
    assertAgentStillServes();
  }

  @Test
  void lengthAboveTheNegotiatedSmallerMaxFrameSizeIsStatus3() throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connect();
    assertEquals(1024, bad.hello(new HelloOptions().maxFrameSize(1024)).await(T, TimeUnit.SECONDS).maxFrameSize());
    bad.sendRaw(hex("00 00 04 01 03 00 00 00 01 01 01")).await(T, TimeUnit.SECONDS); // 1025
    expectDisconnect(bad, 3);
    assertAgentStillServes();
  }

  @Test
  void hugeLengthAfterHelloIsStatus3() throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connectAndHello();
    bad.sendRaw(hex("ff ff ff ff")).await(T, TimeUnit.SECONDS);
    expectDisconnect(bad, 3);
    assertAgentStillServes();
  }

  @Test
  void lengthAboveMaxFrameSizeBeforeHelloIsAPlainClose() throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connect();
    bad.sendRaw(hex("7f ff ff ff 01 00 00 00 01")).await(T, TimeUnit.SECONDS);
    expectPlainClose(bad);
    assertAgentStillServes();
  }

  @Test
  void lengthBelowTheMinimalHeaderAfterHelloIsStatus4() throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connectAndHello();
    bad.sendRaw(hex("00 00 00 06 03 00 00 00 01 01")).await(T, TimeUnit.SECONDS);
    expectDisconnect(bad, 4);
    assertAgentStillServes();
  }

  @Test
  void zeroLengthAfterHelloIsStatus4() throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connectAndHello();
    bad.sendRaw(hex("00 00 00 00")).await(T, TimeUnit.SECONDS);
    expectDisconnect(bad, 4);
    assertAgentStillServes();
  }

  @Test
  void lengthBelowTheMinimalHeaderBeforeHelloIsAPlainClose() throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connect();
    bad.sendRaw(hex("00 00 00 06 01 00 00 00 01 00")).await(T, TimeUnit.SECONDS);
    expectPlainClose(bad);
    assertAgentStillServes();
  }

  @Test
  void varintLongerThan10BytesInTheHeaderIsStatus4() throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connectAndHello();
    // NOTIFY, FIN, stream-id = 11-byte varint (ff x10, 00), frame-id 1: length 1 + 4 + 11 + 1 = 17.
    bad.sendRaw(hex("00 00 00 11 03 00 00 00 01 ff ff ff ff ff ff ff ff ff ff 00 01")).await(T, TimeUnit.SECONDS);
    expectDisconnect(bad, 4);
    assertAgentStillServes();
  }

  @Test
  void varintLongerThan10BytesInAnArgumentIsStatus4() throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connectAndHello();
    // message "m", 1 arg "a" INT64 whose varint takes 11 bytes
    bad.sendRaw(notifyRaw(7, hex("01 6d 01 01 61 04 ff ff ff ff ff ff ff ff ff ff 00")));
    expectDisconnect(bad, 4);
    assertAgentStillServes();
  }

  @Test
  void varintRunningPastTheFrameEndIsStatus4() throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connectAndHello();
    // INT64 argument whose varint announces more bytes (f0) but the frame ends
    bad.sendRaw(notifyRaw(7, hex("01 6d 01 01 61 04 f0")));
    expectDisconnect(bad, 4);
    assertAgentStillServes();
  }

  @Test
  void frameIdVarintRunningPastTheFrameEndIsStatus4() throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connectAndHello();
    // length 7: NOTIFY, FIN, stream-id 1, frame-id starts with f5 and the frame ends
    bad.sendRaw(hex("00 00 00 07 03 00 00 00 01 01 f5")).await(T, TimeUnit.SECONDS);
    expectDisconnect(bad, 4);
    assertAgentStillServes();
  }

  @Test
  void stringRunningPastTheFrameEndIsStatus4() throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connectAndHello();
    // message name announced as 50 bytes, 3 follow
    bad.sendRaw(notifyRaw(7, hex("32 6d 6f 6f")));
    expectDisconnect(bad, 4);
    assertAgentStillServes();
  }

  @Test
  void stringValueRunningPastTheFrameEndIsStatus4() throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connectAndHello();
    // STRING argument of 16 bytes, 2 follow
    bad.sendRaw(notifyRaw(7, hex("01 6d 01 01 61 08 10 68 69")));
    expectDisconnect(bad, 4);
    assertAgentStillServes();
  }

  /**
   * doc/SPOE.txt 3.2.2: "Unknown frames may be silently skipped" (HAProxy 3.x skips them): the
   * frame, payload and all, is skipped; the NOTIFY behind it in the same read is answered and the
   * connection stays up.
   */
  @ParameterizedTest(name = "frame type {0}")
  @ValueSource(ints = {4, 42, 100, 104, 255})
  void unknownFrameTypeIsSkipped(int type) throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient peer = connectAndHello();
    Future<Ack> behind = peer.expectAck(7, 1);
    bad(peer, Buffer.buffer()
        .appendBuffer(SpopClientCodec.encodeFrame(type, SpopClientCodec.FLAG_FIN, 1, 1, hex("00 03 61 62 63 ff ff")))
        .appendBuffer(SpopClientCodec.encodeNotify(7, 1, List.of(score(77)))));
    AckAssert.assertThat(behind.await(T, TimeUnit.SECONDS)).setsVar(VarScope.TXN, "score", 77L);
    healthyNotify(peer);
    assertFalse(peer.closed().isComplete(), "the connection stays up");
    assertEquals(0, disconnectsSent());
    assertEquals(List.of(), peer.errors());
    assertTrue(logs.escapes().isEmpty(), "skipped quietly: " + logs.escapes());
    peer.close().await(T, TimeUnit.SECONDS);
    assertAgentStillServes();
  }

  private static void bad(SpopTestClient client, Buffer bytes) throws Exception {
    client.sendRaw(bytes).await(T, TimeUnit.SECONDS);
  }

  @ParameterizedTest(name = "agent frame type {0}")
  @ValueSource(ints = {SpopClientCodec.TYPE_AGENT_HELLO, SpopClientCodec.TYPE_AGENT_DISCONNECT, SpopClientCodec.TYPE_ACK})
  void agentSideFrameTypeSentByThePeerIsStatus4(int type) throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connectAndHello();
    Buffer payload = type == SpopClientCodec.TYPE_ACK ? Buffer.buffer()
        : SpopClientCodec.writeKvList(Buffer.buffer(), java.util.Map.of("version", TypedValue.string("2.0")));
    long ids = type == SpopClientCodec.TYPE_ACK ? 1 : 0;
    bad.sendRaw(SpopClientCodec.encodeFrame(type, SpopClientCodec.FLAG_FIN, ids, ids, payload));
    expectDisconnect(bad, 4);
    assertAgentStillServes();
  }

  @Test
  void agentHelloInsteadOfHaproxyHelloIsStatus4() throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connect();
    bad.sendRaw(SpopClientCodec.encodeFrame(SpopClientCodec.TYPE_AGENT_HELLO, SpopClientCodec.FLAG_FIN, 0, 0,
        SpopClientCodec.writeKvList(Buffer.buffer(), java.util.Map.of("version", TypedValue.string("2.0")))));
    expectDisconnect(bad, 4);
    assertAgentStillServes();
  }

  @Test
  void notifyBeforeHelloIsStatus4() throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connect();
    bad.sendRaw(SpopClientCodec.encodeNotify(3, 1, List.of(score(3))));
    expectDisconnect(bad, 4);
    assertAgentStillServes();
    assertEquals(0, agent.stats().notifies() - healthyNotifies);
  }

  @Test
  void secondHelloIsStatus4() throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connectAndHello();
    bad.sendRaw(SpopClientCodec.encodeHaproxyHello(new HelloOptions()));
    expectDisconnect(bad, 4);
    assertAgentStillServes();
  }

  @Test
  void helloWithoutSupportedVersionsIsStatus5() throws Exception {
    start(ProtocolOptions.DEFAULT);
    expectHelloRejected(new HelloOptions().supportedVersions(null), 5);
    assertAgentStillServes();
  }

  @Test
  void helloWithoutMaxFrameSizeIsStatus6() throws Exception {
    start(ProtocolOptions.DEFAULT);
    expectHelloRejected(new HelloOptions().noMaxFrameSize(), 6);
    assertAgentStillServes();
  }

  @Test
  void helloWithoutCapabilitiesIsStatus7() throws Exception {
    start(ProtocolOptions.DEFAULT);
    expectHelloRejected(new HelloOptions().capabilities(null), 7);
    assertAgentStillServes();
  }

  @Test
  void helloWithAnUnsupportedVersionIsStatus8() throws Exception {
    start(ProtocolOptions.DEFAULT);
    expectHelloRejected(new HelloOptions().supportedVersions("1.0, 3.0"), 8);
    assertAgentStillServes();
  }

  @ParameterizedTest(name = "max-frame-size {0}")
  @ValueSource(longs = {0, 1, 255})
  void helloWithMaxFrameSizeBelow256IsStatus9(long size) throws Exception {
    start(ProtocolOptions.DEFAULT);
    // sent raw: the test client would otherwise hold the agent's answer to that tiny limit too
    SpopTestClient bad = connect();
    bad.sendRaw(SpopClientCodec.encodeHaproxyHello(new HelloOptions().maxFrameSize(size)));
    expectDisconnect(bad, 9);
    assertAgentStillServes();
  }

  @Test
  void fragmentedHelloIsStatus10() throws Exception {
    start(ProtocolOptions.DEFAULT.withFragmentation(true));
    SpopTestClient bad = connect();
    Buffer hello = SpopClientCodec.encodeHaproxyHello(new HelloOptions());
    hello.setInt(5, 0); // FIN clear
    bad.sendRaw(hello);
    expectDisconnect(bad, 10);
    assertAgentStillServes();
  }

  @ParameterizedTest(name = "type code {0}")
  @ValueSource(ints = {10, 11, 12, 13, 14, 15, 0x3a, 0xff})
  void reservedTypedDataTypeIsStatus4(int typeByte) throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connectAndHello();
    Buffer payload = hex("01 6d 01 01 61").appendByte((byte) typeByte).appendBytes(new byte[] {1, 2, 3, 4});
    bad.sendRaw(notifyRaw(7, payload));
    expectDisconnect(bad, 4);
    assertAgentStillServes();
  }

  @Test
  void reservedTypedDataTypeInHelloIsStatus4() throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connect();
    Buffer hello = SpopClientCodec.encodeHaproxyHello(new HelloOptions());
    // an extra key "x" with type byte 0x0c after the standard ones
    Buffer extra = hex("01 78 0c");
    Buffer frame = hello.copy().appendBuffer(extra);
    frame.setInt(0, frame.length() - 4);
    bad.sendRaw(frame);
    expectDisconnect(bad, 4);
    assertAgentStillServes();
  }

  @Test
  void nbArgsLargerThanWhatFollowsIsStatus4() throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connectAndHello();
    // message "m" announces 3 arguments, one NULL argument "a" follows
    bad.sendRaw(notifyRaw(7, hex("01 6d 03 01 61 00")));
    expectDisconnect(bad, 4);
    assertAgentStillServes();
  }

  @Test
  void malformedNotifyIsRejectedWholeEvenAfterAValidMessage() throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connectAndHello();
    // a valid "score" message, then garbage: nothing is dispatched, no ACK
    Buffer payload = SpopClientCodec.encodeNotifyPayload(List.of(score(9))).appendBuffer(hex("05 61"));
    bad.sendRaw(notifyRaw(7, payload));
    expectDisconnect(bad, 4);
    assertAgentStillServes();
    assertEquals(healthyNotifies, agent.stats().messages(AgentStats.Outcome.OK));
  }

  @Test
  void malformedHaproxyDisconnectIsStatus4() throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connectAndHello();
    // status-code with a reserved type byte
    Buffer payload = hex("0b").appendString("status-code").appendByte((byte) 0x0d);
    bad.sendRaw(SpopClientCodec.encodeFrame(SpopClientCodec.TYPE_HAPROXY_DISCONNECT, SpopClientCodec.FLAG_FIN, 0, 0, payload));
    expectDisconnect(bad, 4);
    assertAgentStillServes();
  }

  @Test
  void fragmentedNotifyWithoutNegotiationIsStatus10() throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connectAndHello();
    Buffer payload = SpopClientCodec.encodeNotifyPayload(List.of(score(9)));
    bad.sendRaw(SpopClientCodec.encodeFrame(SpopClientCodec.TYPE_NOTIFY, 0, 7, 1, payload.getBuffer(0, 3)));
    expectDisconnect(bad, 10);
    assertAgentStillServes();
  }

  @Test
  void unsetFrameWithNoFragmentStartedIsStatus12() throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connectAndHello();
    bad.sendRaw(SpopClientCodec.encodeFrame(SpopClientCodec.TYPE_UNSET, SpopClientCodec.FLAG_FIN, 7, 1, hex("01 6d 00")));
    expectDisconnect(bad, 12);
    assertAgentStillServes();
  }

  @Test
  void unsetFrameWithNoFragmentStartedIsStatus12WithFragmentationToo() throws Exception {
    start(ProtocolOptions.DEFAULT.withFragmentation(true));
    SpopTestClient bad = connectAndHello();
    bad.sendRaw(SpopClientCodec.encodeFrame(SpopClientCodec.TYPE_UNSET, SpopClientCodec.FLAG_FIN, 7, 1, hex("01 6d 00")));
    expectDisconnect(bad, 12);
    assertAgentStillServes();
  }

  @Test
  void interlacedFragmentsOfAnotherFrameAreStatus11() throws Exception {
    start(ProtocolOptions.DEFAULT.withFragmentation(true));
    SpopTestClient bad = connectAndHello();
    Buffer payload = SpopClientCodec.encodeNotifyPayload(List.of(score(9)));
    Buffer frames = SpopClientCodec.encodeFrame(SpopClientCodec.TYPE_NOTIFY, 0, 7, 1, payload.getBuffer(0, 4))
        .appendBuffer(SpopClientCodec.encodeFrame(SpopClientCodec.TYPE_UNSET, SpopClientCodec.FLAG_FIN, 8, 1,
            payload.getBuffer(4, payload.length())));
    bad.sendRaw(frames);
    expectDisconnect(bad, 11);
    assertAgentStillServes();
  }

  @Test
  void newNotifyWhileFragmentsArePendingIsStatus11() throws Exception {
    start(ProtocolOptions.DEFAULT.withFragmentation(true));
    SpopTestClient bad = connectAndHello();
    Buffer payload = SpopClientCodec.encodeNotifyPayload(List.of(score(9)));
    Buffer frames = SpopClientCodec.encodeFrame(SpopClientCodec.TYPE_NOTIFY, 0, 7, 1, payload.getBuffer(0, 4))
        .appendBuffer(SpopClientCodec.encodeNotify(8, 1, List.of(score(8))));
    bad.sendRaw(frames);
    expectDisconnect(bad, 11);
    assertAgentStillServes();
  }

  @Test
  void badFrameWithMoreFramesBehindItStillGetsItsStatusToASlowReader() throws Exception {
    start(ProtocolOptions.DEFAULT);
    // HAProxy pipelines: when a frame is bad, more frames are often already on their way, and a
    // busy HAProxy may not read at once. The agent stops at the bad frame; its AGENT-DISCONNECT
    // must still reach the peer: closing with unread input makes the kernel send a reset, and a
    // reset throws away what the peer had not read yet.
    NetClient nc = vertx.createNetClient();
    NetSocket so = nc.connect(agent.port(), "127.0.0.1").await(T, TimeUnit.SECONDS);
    Buffer received = Buffer.buffer();
    Promise<Void> closed = Promise.promise();
    so.handler(received::appendBuffer);
    so.exceptionHandler(t -> { });
    so.closeHandler(v -> closed.tryComplete());
    Buffer bytes = SpopClientCodec.encodeHaproxyHello(HelloOptions.haproxy26()).appendBuffer(notifyRaw(7, hex("01 6d 01 01 61 0c")));
    for (int i = 0; i < 1000; i++) {
      bytes.appendBuffer(SpopClientCodec.encodeNotify(100 + i, 1, List.of(score(i).arg("pad", "x".repeat(300)))));
    }
    so.pause(); // a peer busy elsewhere
    so.write(bytes);
    waitUntil(() -> agent.stats().agentDisconnects(DisconnectStatus.INVALID_FRAME.code()) == 1);
    Thread.sleep(300);
    long t0 = System.nanoTime();
    so.resume();
    // This peer does not close on AGENT-DISCONNECT as HAProxy does: the agent closes after lingering.
    closed.future().await(T, TimeUnit.SECONDS);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(ms < 5_000, "closed " + ms + " ms after the peer read");
    List<io.spoavertx.testing.Frame> frames = new java.util.ArrayList<>();
    new io.spoavertx.testing.FrameSplitter(0, frames::add).feed(received);
    assertEquals(2, frames.size(), "AGENT-HELLO and AGENT-DISCONNECT expected, got " + frames);
    assertEquals(4, SpopClientCodec.decodeAgentDisconnect(frames.get(1)).statusCode());
    assertEquals(1, disconnectsSent());
    assertAgentStillServes();
  }

  @Test
  void httpRequestToTheAgentPortIsAPlainClose() throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connect();
    bad.sendRaw(Buffer.buffer("GET / HTTP/1.1\r\nHost: agent\r\nUser-Agent: curl/8.0\r\n\r\n"));
    expectPlainClose(bad);
    assertAgentStillServes();
  }

  @Test
  void tlsClientHelloToTheAgentPortIsAPlainClose() throws Exception {
    start(ProtocolOptions.DEFAULT);
    SpopTestClient bad = connect();
    // the start of a TLS 1.2 ClientHello record: 16 03 01 <len>
    bad.sendRaw(hex("16 03 01 00 f1 01 00 00 ed 03 03 00 01 02 03"));
    expectPlainClose(bad);
    assertAgentStillServes();
  }

  @Test
  void connectionThatNeverSpeaksIsStatus2AfterTheHelloTimeout() throws Exception {
    start(ProtocolOptions.DEFAULT.withHelloTimeoutMs(400));
    long t0 = System.nanoTime();
    SpopTestClient bad = connect();
    expectDisconnect(bad, 2);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(ms >= 350 && ms < 5_000, "closed after " + ms + " ms, configured 400 ms");
    assertAgentStillServes();
  }

  @Test
  void connectionThatStopsInsideItsHelloIsStatus2AfterTheHelloTimeout() throws Exception {
    start(ProtocolOptions.DEFAULT.withHelloTimeoutMs(400));
    SpopTestClient bad = connect();
    Buffer hello = SpopClientCodec.encodeHaproxyHello(new HelloOptions());
    bad.sendRaw(hello.getBuffer(0, hello.length() - 1));
    expectDisconnect(bad, 2);
    assertAgentStillServes();
  }

  // ---- harness -----------------------------------------------------------------------------------

  private long healthyNotifies;

  /** Starts the agent (handler "score" sets txn.score = n) and opens the healthy connection. */
  private void start(ProtocolOptions protocol) throws Exception {
    AgentConfig cfg = AgentConfig.DEFAULT.withListener(ListenerOptions.DEFAULT.withHost("127.0.0.1").withPort(0))
        .withProtocol(protocol);
    agent = SpoaAgent.create(vertx, cfg).directHandler("score", m ->
        Future.succeededFuture(Actions.create().setVar(io.spoavertx.handler.Scope.TXN, "score", m.getLong("n", -1))));
    agent.start().await(T, TimeUnit.SECONDS);
    healthy = connectAndHello();
    healthyNotify(healthy);
  }

  /**
   * The agent goes on serving: the healthy connection opened before the bad one gets its ACK, the
   * bad connection is released, and a new connection is served.
   */
  private void assertAgentStillServes() throws Exception {
    healthyNotify(healthy);
    waitUntil(() -> agent.stats().connectionsActive() == 1);
    SpopTestClient fresh = connectAndHello();
    healthyNotify(fresh);
    fresh.close().await(T, TimeUnit.SECONDS);
    waitUntil(() -> agent.stats().connectionsActive() == 1);
    healthyNotify(healthy);
    assertEquals(List.of(), healthy.errors());
    assertEquals(List.of(), fresh.errors());
  }

  private void healthyNotify(SpopTestClient client) throws Exception {
    long n = SCORES.incrementAndGet();
    Ack ack = client.notify(score(n)).await(T, TimeUnit.SECONDS);
    AckAssert.assertThat(ack).hasActionCount(1).setsVar(VarScope.TXN, "score", n);
    healthyNotifies++;
  }

  private SpopTestClient connect() throws Exception {
    return SpopTestClient.connect(vertx, "127.0.0.1", agent.port()).await(T, TimeUnit.SECONDS);
  }

  private SpopTestClient connectAndHello() throws Exception {
    SpopTestClient c = connect();
    c.hello(HelloOptions.haproxy26()).await(T, TimeUnit.SECONDS);
    return c;
  }

  /** The connection gets AGENT-DISCONNECT with {@code status}, well-formed, then is closed. */
  private AgentDisconnect expectDisconnect(SpopTestClient bad, int status) throws Exception {
    AgentDisconnect d = bad.agentDisconnect().await(T, TimeUnit.SECONDS);
    assertEquals(status, d.statusCode(), "AGENT-DISCONNECT " + d);
    assertTrue(d.message() != null && !d.message().isEmpty(), "a message says why: " + d);
    bad.closed().await(T, TimeUnit.SECONDS);
    assertEquals(List.of(), bad.errors(), "the AGENT-DISCONNECT is well-formed and nothing else was sent");
    assertEquals(1, agent.stats().agentDisconnects(status));
    assertEquals(1, disconnectsSent());
    return d;
  }

  /** The connection is closed without any frame sent on it. */
  private void expectPlainClose(SpopTestClient bad) throws Exception {
    bad.closed().await(T, TimeUnit.SECONDS);
    assertTrue(bad.agentDisconnect().failed(), "no AGENT-DISCONNECT before the close");
    assertEquals(List.of(), bad.errors());
    assertEquals(null, bad.agentHello());
    assertEquals(0, disconnectsSent());
  }

  private void expectHelloRejected(HelloOptions hello, int status) throws Exception {
    SpopTestClient bad = connect();
    Exception e = assertThrows(Exception.class, () -> bad.hello(hello).await(T, TimeUnit.SECONDS));
    AgentDisconnectedException d = assertInstanceOf(AgentDisconnectedException.class,
        e instanceof CompletionException ? e.getCause() : e);
    assertEquals(status, d.statusCode());
    expectDisconnect(bad, status);
  }

  private long disconnectsSent() {
    long n = 0;
    for (DisconnectStatus s : DisconnectStatus.values()) {
      n += agent.stats().agentDisconnects(s.code());
    }
    return n;
  }

  private static Buffer notifyRaw(long streamId, Buffer payload) {
    return SpopClientCodec.encodeFrame(SpopClientCodec.TYPE_NOTIFY, SpopClientCodec.FLAG_FIN, streamId, 1, payload);
  }

  private static Message score(long n) {
    return Message.of("score").arg("n", n);
  }

  static Buffer hex(String s) {
    return Buffer.buffer(HexFormat.of().parseHex(s.replace(" ", "")));
  }

  interface Condition {
    boolean test() throws Exception;
  }

  static void waitUntil(Condition condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(T);
    while (!condition.test()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + T + " s");
      }
      Thread.sleep(5);
    }
  }
}
