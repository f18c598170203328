package io.spoavertx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.agent.SpoaAgent;
import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.config.ProtocolOptions;
import io.spoavertx.handler.Actions;
import io.spoavertx.handler.Scope;
import io.spoavertx.testing.haproxy.HaproxyBinary;
import io.spoavertx.testing.haproxy.HaproxyConfig;
import io.spoavertx.testing.haproxy.HaproxyExtension;
import io.spoavertx.testing.haproxy.SpoeMessageSection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Real fragmentation: the agent announces {@code fragmentation} and a max-frame-size of 256, and a
 * request carries a 3 KB header, so HAProxy 2.6 ({@code option send-frag-payload}) must split the
 * NOTIFY into a first frame and UNSET continuations, which the agent reassembles.
 */
class HaproxyFragmentationTest {

  @RegisterExtension
  static HaproxyExtension haproxy = HaproxyExtension.manual();

  private static Vertx vertx;
  private static SpoaAgent agent;

  @BeforeAll
  static void start() throws Exception {
    HaproxyBinary binary = haproxy.binary();
    // 3.1+ no longer fragments (doc/SPOE.txt of 3.1): there the agent must simply not be offered fragments.
    Assumptions.assumeFalse(binary.isSpopMux(), "HAProxy " + binary.version() + " does not send fragments");
    vertx = Vertx.vertx();
    AgentConfig config = AgentConfig.DEFAULT
        .withListener(ListenerOptions.DEFAULT.withPort(0))
        .withProtocol(ProtocolOptions.DEFAULT.withMaxFrameSize(256).withFragmentation(true));
    agent = SpoaAgent.create(vertx, config).directHandler("big", m -> {
      Buffer hdrs = m.getBinary("hdrs");
      return Future.succeededFuture(Actions.create()
          .setVar(Scope.TXN, "len", hdrs.length())
          .setVar(Scope.TXN, "tail", m.getString("tail")));
    });
    int port = agent.start().await(10, TimeUnit.SECONDS);
    haproxy.start(HaproxyConfig.builder()
        .agent("127.0.0.1", port)
        .agentLine("option send-frag-payload")
        .message(SpoeMessageSection.onRequest("big", "hdrs=req.hdrs_bin", "tail=req.hdr(x-tail)"))
        .exposeVar("txn.spoa.len", "X-Len")
        .exposeVar("txn.spoa.tail", "X-Tail")
        .exposeVar("txn.spoa.error", "X-Spoe-Error")
        .build());
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void threeKilobyteHeaderArrivesInFragmentsAndIsReassembled() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String big = "v".repeat(3000);
    // HAProxy 2.6 learns the negotiated max-frame-size from its first AGENT-HELLO: a NOTIFY encoded
    // before any connection exists is sized against its own 16380 and fails with status 3 (seen:
    // txn.spoa.error 259). A small first request opens the connection.
    HttpResponse<String> warmUp = http.send(HttpRequest.newBuilder(haproxy.httpUrl("/")).header("X-Tail", "small")
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals("small", warmUp.headers().firstValue("X-Tail").orElse(null), haproxy.log());
    assertEquals(0, agent.stats().fragmentsReassembled());
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(haproxy.httpUrl("/"))
            .header("X-Big", big).header("X-Tail", "end-marker").timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertEquals("end-marker", r.headers().firstValue("X-Tail").orElse(null),
        "agent stats: reassembled=" + agent.stats().fragmentsReassembled() + "\n" + haproxy.log());
    assertTrue(Integer.parseInt(r.headers().firstValue("X-Len").orElseThrow()) > 3000);
    assertTrue(agent.stats().fragmentsReassembled() >= 1, "HAProxy really sent fragments");
  }
}
