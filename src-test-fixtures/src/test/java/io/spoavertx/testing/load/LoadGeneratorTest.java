package io.spoavertx.testing.load;

import io.spoavertx.testing.Message;
import io.spoavertx.testing.SpopClientCodec;
import io.spoavertx.testing.TypedValue;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadGeneratorTest {

  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  private static LoadOptions shortRun(int port) {
    return new LoadOptions().port(port).connections(4).inflight(10)
        .warmup(Duration.ofMillis(200)).duration(Duration.ofSeconds(1));
  }

  @Test
  void closedLoopAgainstTrivialAgentHaproxy26() throws Exception {
    TrivialAgent agent = await(TrivialAgent.start(vertx));
    LoadReport r = await(LoadGenerator.run(vertx, shortRun(agent.port())));
    assertTrue(r.messagesPerSecond() > 0, r::summary);
    assertEquals(0, r.errors(), r::summary);
    assertEquals(r.acks(), r.histogram().getTotalCount(), "one latency per ACK");
    assertEquals(r.acks(), r.messages(), "one message per NOTIFY by default");
    assertTrue(r.notifiesSent() > 0);
    assertTrue(r.p50Micros() > 0 && r.p50Micros() <= r.p99Micros() && r.p99Micros() <= r.maxMicros(), r::summary);
    assertNotNull(r.toJson().getJsonObject("latencyMicros").getDouble("p99.9"));
    await(agent.close());
  }

  @Test
  void closedLoopHaproxy3OnTwoEventLoopsWithAMessageMix() throws Exception {
    TrivialAgent agent = await(TrivialAgent.start(vertx, "127.0.0.1", 0, 2));
    LoadOptions o = shortRun(agent.port()).helloStyle(LoadOptions.HelloStyle.HAPROXY_3).eventLoops(2)
        .addNotify(List.of(LoadOptions.defaultMessage(), Message.of("other").arg("n", 1L)), 1)
        .addNotify(MessageSpec.parseNotify("big:blob=binary:2000,s=string:300"), 3);
    LoadReport r = await(LoadGenerator.run(vertx, o));
    assertTrue(r.acks() > 0, r::summary);
    assertEquals(0, r.errors(), r::summary);
    assertEquals(r.acks(), r.histogram().getTotalCount());
    assertTrue(r.messages() > r.acks(), "the first kind holds two messages");
    await(agent.close());
  }

  @Test
  void seesOurIdsAsTheAgentReceivesThem() throws Exception {
    // 2.6 style: global stream counter from 0, frame-id 1; 3.x: odd per connection, frame-id 1
    for (LoadOptions.HelloStyle style : LoadOptions.HelloStyle.values()) {
      Set<String> seen = ConcurrentHashMap.newKeySet();
      NetServer server = scriptedAgent((s, sid, fid) -> {
        seen.add(sid + "/" + fid);
        return ack(sid, fid);
      });
      LoadReport r = await(LoadGenerator.run(vertx, new LoadOptions().port(server.actualPort()).connections(2)
          .inflight(2).helloStyle(style).warmup(Duration.ZERO).duration(Duration.ofMillis(300))));
      assertEquals(0, r.errors(), r::summary);
      if (style == LoadOptions.HelloStyle.HAPROXY_2_6) {
        assertTrue(seen.contains("0/1") && seen.contains("1/1") && seen.contains("2/1"), seen::toString);
      } else {
        assertTrue(seen.contains("1/1") && seen.contains("3/1") && !seen.contains("2/1") && !seen.contains("0/1"),
            seen::toString);
      }
      await(server.close());
    }
  }

  @Test
  void reportsAcksWithWrongIds() throws Exception {
    NetServer server = scriptedAgent((s, sid, fid) -> ack(sid + 1000, fid));
    LoadReport r = await(LoadGenerator.run(vertx, shortRun(server.actualPort())
        .drainTimeout(Duration.ofMillis(100))));
    assertTrue(r.unknownIds() > 0, r::summary);
    assertTrue(r.errors() > 0);
    assertEquals(0, r.acks());
    assertTrue(r.firstError().contains("unknown stream-id"), r.firstError());
    await(server.close());
  }

  @Test
  void reportsMalformedAcksAndAgentDisconnects() throws Exception {
    NetServer server = scriptedAgent((s, sid, fid) -> {
      if (sid % 2 == 0) {
        Buffer bad = Buffer.buffer().appendByte((byte) 7).appendByte((byte) 1); // unknown action type
        return SpopClientCodec.encodeFrame(SpopClientCodec.TYPE_ACK, 1, sid, fid, bad);
      }
      Buffer kv = Buffer.buffer();
      SpopClientCodec.writeTypedValue(SpopClientCodec.writeString(kv, "status-code"), TypedValue.uint32(99));
      SpopClientCodec.writeTypedValue(SpopClientCodec.writeString(kv, "message"), TypedValue.string("nope"));
      s.write(SpopClientCodec.encodeFrame(SpopClientCodec.TYPE_AGENT_DISCONNECT, 1, 0, 0, kv));
      s.close();
      return null;
    });
    LoadReport r = await(LoadGenerator.run(vertx, new LoadOptions().port(server.actualPort()).connections(1)
        .inflight(1).warmup(Duration.ZERO).duration(Duration.ofMillis(300)).drainTimeout(Duration.ofMillis(100))));
    assertEquals(1, r.malformedAcks(), r::summary);
    assertEquals(1, r.agentDisconnects(), r::summary);
    assertEquals(0, r.acks());
    await(server.close());
  }

  @Test
  void fixedRateRoughlyHonoursTheRate() throws Exception {
    TrivialAgent agent = await(TrivialAgent.start(vertx));
    LoadReport r = await(LoadGenerator.run(vertx, new LoadOptions().port(agent.port()).connections(4).inflight(20)
        .rate(2000).warmup(Duration.ofMillis(300)).duration(Duration.ofSeconds(2))));
    assertEquals(0, r.errors(), r::summary);
    assertTrue(r.acksPerSecond() > 1000 && r.acksPerSecond() < 3000, r::summary);
    assertTrue(r.notifiesSent() > 2000 && r.notifiesSent() < 6000, r::summary);
    assertEquals(r.acks(), r.histogram().getTotalCount());
    await(agent.close());
  }

  @Test
  void failsWhenNothingListens() throws Exception {
    NetServer server = scriptedAgent((s, sid, fid) -> null);
    int port = server.actualPort();
    await(server.close());
    assertThrows(IllegalStateException.class, () -> await(LoadGenerator.run(vertx, shortRun(port))));
  }

  // ---- a scriptable agent ------------------------------------------------------------------------

  interface OnNotify {
    /** The frame to send back, or null to send nothing. */
    Buffer answer(NetSocket socket, long sid, long fid);
  }

  private NetServer scriptedAgent(OnNotify onNotify) throws Exception {
    NetServer server = vertx.createNetServer();
    server.connectHandler(s -> {
      io.spoavertx.testing.FrameSplitter splitter = new io.spoavertx.testing.FrameSplitter(0, f -> {
        if (f.type() == SpopClientCodec.TYPE_HAPROXY_HELLO) {
          Buffer kv = Buffer.buffer();
          SpopClientCodec.writeTypedValue(SpopClientCodec.writeString(kv, "version"), TypedValue.string("2.0"));
          SpopClientCodec.writeTypedValue(SpopClientCodec.writeString(kv, "max-frame-size"), TypedValue.uint32(16380));
          SpopClientCodec.writeTypedValue(SpopClientCodec.writeString(kv, "capabilities"), TypedValue.string("pipelining"));
          s.write(SpopClientCodec.encodeFrame(SpopClientCodec.TYPE_AGENT_HELLO, 1, 0, 0, kv));
        } else if (f.type() == SpopClientCodec.TYPE_NOTIFY) {
          Buffer b = onNotify.answer(s, f.streamId(), f.frameId());
          if (b != null) {
            s.write(b);
          }
        } else if (f.type() == SpopClientCodec.TYPE_HAPROXY_DISCONNECT) {
          s.close();
        }
      });
      s.handler(splitter::feed);
    });
    return await(server.listen(0, "127.0.0.1"));
  }

  private static Buffer ack(long sid, long fid) {
    Buffer p = Buffer.buffer().appendByte((byte) 1).appendByte((byte) 3).appendByte((byte) 2);
    SpopClientCodec.writeString(p, "score");
    SpopClientCodec.writeTypedValue(p, TypedValue.int64(42));
    return SpopClientCodec.encodeFrame(SpopClientCodec.TYPE_ACK, 1, sid, fid, p);
  }
}
