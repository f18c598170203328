package io.spoavertx.examples.reputation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spoavertx.agent.SpoaAgent;
import io.spoavertx.config.AgentConfig;
import io.spoavertx.testing.Ack;
import io.spoavertx.testing.AckAssert;
import io.spoavertx.testing.HelloOptions;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.VarScope;
import io.spoavertx.testing.SpopTestClient;
import io.spoavertx.testing.TypedValue;
import io.spoavertx.testing.haproxy.HaproxyConfig;
import io.spoavertx.testing.haproxy.HaproxyExtension;
import io.spoavertx.testing.haproxy.SpoeMessageSection;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How a user tests a handler verticle: deploy it, start an agent on port 0, then talk to the agent
 * as HAProxy would, with the fake HAProxy of {@code spoa-vertx-test-fixtures}
 * ({@link SpopTestClient}), or put the real haproxy in front ({@link HaproxyExtension}). Only the
 * published fixtures API and the library's public API are used; the rules are the shipped
 * {@code spoa-agent.json}'s.
 */
class ClientReputationVerticleTest {

  /** Real haproxy, started by the test that needs it; skipped where haproxy is not installed (fails on CI). */
  @RegisterExtension
  HaproxyExtension haproxy = HaproxyExtension.manual();

  private Vertx vertx;
  private SpoaAgent agent;
  private SpopTestClient client;

  @BeforeEach
  void startAgent() throws Exception {
    vertx = Vertx.vertx();
    JsonObject file = shippedConfig();
    // The handler verticle with the shipped rules, as the launcher would deploy it.
    JsonObject rules = file.getJsonArray("handlers").getJsonObject(0).getJsonObject("config");
    vertx.deployVerticle(new ClientReputationVerticle(), new DeploymentOptions().setConfig(rules))
        .await(10, TimeUnit.SECONDS);
    // The agent with the shipped settings, but on a free port of the loopback interface.
    AgentConfig config = AgentConfig.fromJson(file);
    config = config.withListener(config.listener().withHost("127.0.0.1").withPort(0));
    agent = SpoaAgent.create(vertx, config);
    int port = agent.start().await(10, TimeUnit.SECONDS);
    client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    client.hello(HelloOptions.haproxy26()).await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private Ack check(TypedValue ip, String path, String userAgent) throws Exception {
    Message m = Message.of(ClientReputationVerticle.MESSAGE).arg("ip", ip).arg("path", path).arg("ua", userAgent);
    return client.notify(m).await(10, TimeUnit.SECONDS);
  }

  @Test
  void allowedNetworkScoresZero() throws Exception {
    Ack ack = check(TypedValue.ipv4("10.1.2.3"), "/admin", "curl/8.5.0"); // allow wins over everything
    AckAssert.assertThat(ack)
        .setsVar(VarScope.TXN, "score").withInt(0).and()
        .doesNotTouchVar(VarScope.TXN, "deny");
  }

  @Test
  void deniedIpv4NetworkIsDeniedWithScore100() throws Exception {
    Ack ack = check(TypedValue.ipv4("192.0.2.77"), "/", "Mozilla/5.0");
    AckAssert.assertThat(ack)
        .hasActionCount(2)
        .setsVar(VarScope.TXN, "score").withInt(100).and()
        .setsVar(VarScope.TXN, "deny", true);
  }

  @Test
  void deniedIpv6NetworkIsDenied() throws Exception {
    AckAssert.assertThat(check(TypedValue.ipv6("2001:db8:bad:1::42"), "/", "Mozilla/5.0"))
        .setsVar(VarScope.TXN, "score").withInt(100).and()
        .setsVar(VarScope.TXN, "deny", true);
    // just outside the /48
    AckAssert.assertThat(check(TypedValue.ipv6("2001:db8:bae::42"), "/", "Mozilla/5.0"))
        .setsVar(VarScope.TXN, "score").withInt(10).and()
        .doesNotTouchVar(VarScope.TXN, "deny");
  }

  @Test
  void ordinaryClientGetsTheBaseScore() throws Exception {
    AckAssert.assertThat(check(TypedValue.ipv4("198.51.100.7"), "/", "Mozilla/5.0"))
        .hasActionCount(1)
        .setsVar(VarScope.TXN, "score").withInt(10);
  }

  @Test
  void suspiciousUserAgentRaisesTheScore() throws Exception {
    AckAssert.assertThat(check(TypedValue.ipv4("198.51.100.7"), "/", "curl/8.5.0"))
        .setsVar(VarScope.TXN, "score").withInt(60).and()
        .doesNotTouchVar(VarScope.TXN, "deny");
    // and a sensitive path on top of it
    AckAssert.assertThat(check(TypedValue.ipv4("198.51.100.7"), "/admin/users", "python-requests/2.31"))
        .setsVar(VarScope.TXN, "score").withInt(80);
  }

  @Test
  void deniedUserAgentIsDenied() throws Exception {
    AckAssert.assertThat(check(TypedValue.ipv4("198.51.100.7"), "/", "sqlmap/1.7.2#stable"))
        .setsVar(VarScope.TXN, "score").withInt(100).and()
        .setsVar(VarScope.TXN, "deny", true);
  }

  /** The same verticle behind the real haproxy: its variables drive haproxy's rules. */
  @Test
  void behindRealHaproxyADeniedUserAgentGets403AndOthersGetTheirScore() throws Exception {
    haproxy.start(HaproxyConfig.builder()
        .agent("127.0.0.1", agent.port())
        .agentHealthCheck(true)
        .message(SpoeMessageSection.onRequest(ClientReputationVerticle.MESSAGE, "ip=src", "path=path", "ua=req.hdr(user-agent)"))
        .httpRequest("deny deny_status 403 if { var(txn.spoa.deny) -m bool }")
        .exposeVar("txn.spoa.score", "X-Score")
        .build());
    haproxy.process().awaitAgentsUp(Duration.ofSeconds(15));

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> denied = get(http, haproxy.httpUrl("/"), "sqlmap/1.7.2");
    assertEquals(403, denied.statusCode(), haproxy.log());

    HttpResponse<String> normal = get(http, haproxy.httpUrl("/"), "Mozilla/5.0");
    assertEquals(200, normal.statusCode(), haproxy.log());
    assertEquals("10", normal.headers().firstValue("X-Score").orElse(null), haproxy.log()); // 127.0.0.1: base score

    HttpResponse<String> curl = get(http, haproxy.httpUrl("/admin"), "curl/8.5.0");
    assertEquals(200, curl.statusCode(), haproxy.log());
    assertEquals("80", curl.headers().firstValue("X-Score").orElse(null), haproxy.log());
  }

  private static HttpResponse<String> get(HttpClient http, URI uri, String userAgent) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).header("User-Agent", userAgent).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject shippedConfig() throws Exception {
    try (InputStream in = ClientReputationVerticleTest.class.getResourceAsStream("/spoa-agent.json")) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
