package io.spoavertx.it;

import io.spoavertx.metrics.AgentStats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.metrics.AgentStats.Outcome;
import io.spoavertx.agent.SpoaAgent;
import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.handler.Actions;
import io.spoavertx.handler.Scope;
import io.spoavertx.agent.SpoeHandlers;
import io.spoavertx.handler.SpoeMessage;
import io.spoavertx.testing.haproxy.HaproxyConfig;
import io.spoavertx.testing.haproxy.HaproxyExtension;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * The agent behind the real haproxy binary (Debian 12's 2.6 in CI): what our handlers set must
 * drive HAProxy's rules. Handlers run as event-bus handler verticles, the default path.
 */
class HaproxyIntegrationTest {

  @RegisterExtension
  static HaproxyExtension haproxy = HaproxyExtension.manual();

  private static Vertx vertx;
  private static SpoaAgent agent;
  private static int ipv6Port;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** The handlers, as a user would write them. */
  static final class TestHandlers extends VerticleBase {
    @Override
    public Future<?> start() {
      return Future.all(
          SpoeHandlers.register(vertx, "check-client-ip", m -> {
            InetAddress ip = m.getAddress("ip");
            Actions a = Actions.create().setVar(Scope.TXN, "score", 42).setVar(Scope.TXN, "ip", ip.getHostAddress());
            if (String.valueOf(m.getString("ua")).contains("evil")) {
              a.setVar(Scope.TXN, "deny", true);
            }
            return Future.succeededFuture(a);
          }).completion(),
          SpoeHandlers.register(vertx, "check-request-meta", m ->
              Future.succeededFuture(Actions.create().setVar(Scope.TXN, "meta", describe(m)))).completion(),
          SpoeHandlers.register(vertx, "group-a", m ->
              Future.succeededFuture(Actions.create().setVar(Scope.TXN, "a", "from-a"))).completion(),
          SpoeHandlers.register(vertx, "group-b", m ->
              Future.succeededFuture(Actions.create().setVar(Scope.TXN, "b", m.getString("path")))).completion());
    }
  }

  /** Every argument with its decoded type and value, e.g. {@code port:INT64=18080}. */
  static String describe(SpoeMessage m) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < m.argCount(); i++) {
      Object v = m.argValue(i);
      String text = v instanceof InetAddress a ? a.getHostAddress()
          : v instanceof Buffer b ? HexFormat.of().formatHex(b.getBytes()) : String.valueOf(v);
      sb.append(i == 0 ? "" : ";").append(m.argName(i)).append(':').append(m.argType(i)).append('=').append(text);
    }
    return sb.toString();
  }

  @BeforeAll
  static void startAgentAndHaproxy() throws Exception {
    vertx = Vertx.vertx();
    vertx.deployVerticle(new TestHandlers()).await(10, TimeUnit.SECONDS);
    agent = SpoaAgent.create(vertx, AgentConfig.DEFAULT.withListener(ListenerOptions.DEFAULT.withPort(0)));
    int agentPort = agent.start().await(10, TimeUnit.SECONDS);
    ipv6Port = freePort();
    haproxy.start(HaproxyConfig.builder()
        .agent("127.0.0.1", agentPort)
        .agentHealthCheck(true)
        .frontendLine("bind [::1]:" + ipv6Port)
        .message(io.spoavertx.testing.haproxy.SpoeMessageSection
            .onRequest("check-client-ip", "ip=src", "path=path", "ua=req.hdr(user-agent)")
            .when("!{ path_beg /group }"))
        .message(io.spoavertx.testing.haproxy.SpoeMessageSection
            .onRequest("check-request-meta", "port=int(18080)", "neg=int(-42)", "flag=bool(1)",
                "v4=ipv4(192.0.2.7)", "v6=ipv6(2001:db8::1)", "blob=bin(cafebabe00ff)", "method=method",
                "absent=req.hdr(x-absent)")
            .when("{ path_beg /meta }"))
        .message(io.spoavertx.testing.haproxy.SpoeMessageSection.forGroup("group-a"))
        .message(io.spoavertx.testing.haproxy.SpoeMessageSection.forGroup("group-b", "path=path"))
        .groupWhen("both", "{ path_beg /group }", "group-a", "group-b")
        .httpRequest("deny deny_status 403 if { var(txn.spoa.deny) -m bool }")
        .exposeVar("txn.spoa.score", "X-Score")
        .exposeVar("txn.spoa.ip", "X-Ip")
        .exposeVar("txn.spoa.meta", "X-Meta")
        .exposeVar("txn.spoa.a", "X-A")
        .exposeVar("txn.spoa.b", "X-B")
        .exposeVar("txn.spoa.error", "X-Spoe-Error")
        .build());
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<String> get(URI uri, String userAgent) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri).header("User-Agent", userAgent).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void handlerVariableReachesAResponseHeader() throws Exception {
    HttpResponse<String> r = get(haproxy.httpUrl("/hello"), "integration-test");
    assertEquals(200, r.statusCode(), haproxy.log());
    assertEquals("42", r.headers().firstValue("X-Score").orElse(null), haproxy.log());
    assertEquals("127.0.0.1", r.headers().firstValue("X-Ip").orElse(null));
    assertTrue(r.headers().firstValue("X-Spoe-Error").isEmpty());
  }

  @Test
  void srcOverIpv6ArrivesAsIpv6() throws Exception {
    HttpResponse<String> r = get(URI.create("http://[::1]:" + ipv6Port + "/v6"), "integration-test");
    assertEquals(200, r.statusCode());
    assertEquals(InetAddress.getByName("::1"), InetAddress.getByName(r.headers().firstValue("X-Ip").orElseThrow()));
  }

  @Test
  void denyVariableYields403() throws Exception {
    HttpResponse<String> r = get(haproxy.httpUrl("/login"), "evil-bot/1.0");
    assertEquals(403, r.statusCode());
  }

  @Test
  void everyArgumentTypeHaproxyProducesArrivesDecoded() throws Exception {
    HttpResponse<String> r = get(haproxy.httpUrl("/meta"), "integration-test");
    assertEquals(200, r.statusCode());
    assertEquals("port:INT64=18080;neg:INT64=-42;flag:BOOL=true;v4:IPV4=192.0.2.7;v6:IPV6=2001:db8:0:0:0:0:0:1;"
            + "blob:BINARY=cafebabe00ff;method:STRING=GET;absent:NULL=null",
        r.headers().firstValue("X-Meta").orElse(null), haproxy.log());
  }

  @Test
  void spoeGroupSendsTwoMessagesInOneNotify() throws Exception {
    long notifies = agent.stats().notifies();
    long ok = agent.stats().messages(Outcome.OK);
    HttpResponse<String> r = get(haproxy.httpUrl("/group/x"), "integration-test");
    assertEquals(200, r.statusCode());
    assertEquals("from-a", r.headers().firstValue("X-A").orElse(null), haproxy.log());
    assertEquals("/group/x", r.headers().firstValue("X-B").orElse(null));
    assertEquals(notifies + 1, agent.stats().notifies(), "one NOTIFY");
    assertEquals(ok + 2, agent.stats().messages(Outcome.OK), "two messages");
  }

  @Test
  void spopCheckReportsTheAgentUp() {
    haproxy.process().awaitAgentsUp(Duration.ofSeconds(15));
    assertTrue(agent.stats().healthchecks() >= 1);
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
      return s.getLocalPort();
    }
  }
}
