package io.spoavertx.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.DispatchOptions;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.config.RouteOptions;
import io.spoavertx.handler.Actions;
import io.spoavertx.handler.Scope;
import io.spoavertx.agent.SpoeHandlers;
import io.spoavertx.handler.internal.ActionsBatch;
import io.spoavertx.handler.internal.MessageBatch;
import io.spoavertx.testing.Ack;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.SpopTestClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The agent parses Netty's pooled reads in place and keeps each read until every NOTIFY in it is
 * answered (SpopConnection). A read never released is memory lost to the pool; Netty's leak
 * detector, at its paranoid level here, reports any pooled buffer that is garbage-collected
 * unreleased. Every way a NOTIFY can end is exercised: a direct handler answering at once or
 * later, a failing one, one missing its deadline, a handler verticle on the event bus, a plain
 * event-bus consumer (a batch request, which holds a copy), a handler keeping a binary argument's
 * copy, and connections closed with NOTIFYs in flight.
 */
class PooledReadLeakTest {

  private Vertx vertx;
  private LogWatch logs;
  private ResourceLeakDetector.Level savedLevel;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    // after creating Vert.x, which turns leak detection off unless a system property sets it
    savedLevel = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    logs = LogWatch.install(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    logs.close();
    vertx.close().await(10, TimeUnit.SECONDS);
    ResourceLeakDetector.setLevel(savedLevel);
  }

  @Test
  void everyPooledReadIsReleasedHoweverItsNotifyEnds() throws Exception {
    List<Buffer> kept = new CopyOnWriteArrayList<>(); // added on the agent's event loop
    AgentConfig cfg = AgentConfig.DEFAULT.withListener(ListenerOptions.DEFAULT.withHost("127.0.0.1").withPort(0))
        .withDispatch(new DispatchOptions(2_000L, null, Map.of("never", new RouteOptions(null, 30L, null))));
    SpoaAgent agent = SpoaAgent.create(vertx, cfg)
        .directHandler("now", m -> Future.succeededFuture(Actions.create().setVar(Scope.TXN, "n", m.getLong("i", -1))))
        .directHandler("later", m -> {
          Promise<Actions> p = Promise.promise();
          vertx.setTimer(2, t -> p.complete(Actions.create().setVar(Scope.TXN, "l", m.getLong("i", -1))));
          return p.future();
        })
        .directHandler("fails", m -> Future.failedFuture("no"))
        .directHandler("never", m -> Promise.<Actions>promise().future())
        .directHandler("keeps", m -> {
          kept.add(m.getBinary("b").copy()); // a handler's copy is an ordinary buffer, never released
          return Future.succeededFuture(Actions.none());
        });
    SpoeHandlers.register(vertx, "bus", m -> Future.succeededFuture(Actions.create().setVar(Scope.TXN, "b", true)))
        .completion().await(10, TimeUnit.SECONDS);
    // not registered with SpoeHandlers, so the agent treats it as a handler elsewhere: a batch request
    vertx.eventBus().<MessageBatch>consumer("spoa.message.plain", msg -> {
      int n = msg.body().count();
      Actions[] none = new Actions[n];
      Arrays.fill(none, Actions.none());
      msg.reply(new ActionsBatch(none, new String[n]));
    }).completion().await(10, TimeUnit.SECONDS);
    int port = agent.start().await(10, TimeUnit.SECONDS);

    int answered = 0;
    for (int round = 0; round < 4; round++) {
      SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
      client.hello().await(10, TimeUnit.SECONDS);
      List<Future<Ack>> acks = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        acks.add(client.notify(Message.of("now").arg("i", i), Message.of("later").arg("i", i),
            Message.of("bus"), Message.of("plain"), Message.of("keeps").arg("b", new byte[] {1, 2, 3}),
            i % 10 == 0 ? Message.of("fails") : Message.of("now").arg("i", 0)));
        if (i % 50 == 0) {
          acks.add(client.notify(Message.of("never")));
        }
      }
      if (round % 2 == 0) {
        for (Future<Ack> f : acks) {
          f.await(10, TimeUnit.SECONDS);
          answered++;
        }
        client.close().await(10, TimeUnit.SECONDS);
      } else {
        // closed with NOTIFYs in flight: their reads are released with the connection
        client.notify(Message.of("never"));
        client.close().await(10, TimeUnit.SECONDS);
      }
    }
    assertEquals(2 * 204, answered);
    assertTrue(kept.size() >= 2 * 200, "every NOTIFY answered went through 'keeps': " + kept.size());
    assertTrue(kept.stream().allMatch(b -> b.length() == 3 && b.getByte(0) == 1), "copies keep their bytes");

    // Unreleased buffers are reported when they have been collected and the detector next tracks
    // an allocation.
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(50);
      for (int k = 0; k < 100; k++) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.heapBuffer(64);
        b.release();
      }
    }
    assertEquals(List.of(), logs.unexpected(e -> !e.message().contains("LEAK")
        && "io.spoavertx.handler".equals(e.logger())), "no pooled buffer leaked");
  }
}
