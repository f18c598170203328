package io.spoavertx.examples.reputation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.examples.ExampleAgents;
import io.spoavertx.testing.haproxy.HaproxyConfig;
import io.spoavertx.testing.haproxy.HaproxyExtension;
import io.spoavertx.testing.haproxy.SpoeMessageSection;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The reputation example (conf/examples/reputation.json, the JAR's embedded default) behind the
 * real haproxy, with the rules of conf/haproxy/reputation/: the score reaches a response header
 * and a denied client gets a 403.
 */
class ReputationBehindHaproxyTest {

  @RegisterExtension
  static HaproxyExtension haproxy = HaproxyExtension.manual();

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    int port = ExampleAgents.deploy(vertx, ExampleAgents.config("reputation"));
    haproxy.start(HaproxyConfig.builder()
        .agent("127.0.0.1", port)
        .agentHealthCheck(true)
        .message(SpoeMessageSection.onRequest("check-client-ip", "ip=src", "path=path", "ua=req.hdr(user-agent)"))
        .registerVarNames("score", "deny")
        .httpRequest("deny deny_status 403 if { var(txn.spoa.deny) -m bool }")
        .exposeVar("txn.spoa.score", "X-Score")
        .exposeVar("txn.spoa.error", "X-Spoe-Error")
        .defaultResponse(200, "hello from behind the agent")
        .build());
    haproxy.process().awaitAgentsUp(Duration.ofSeconds(15));
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<String> get(String path, String userAgent) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(haproxy.httpUrl(path)).header("User-Agent", userAgent)
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void browserGetsThePageAndTheBaseScore() throws Exception {
    HttpResponse<String> r = get("/", "Mozilla/5.0");
    assertEquals(200, r.statusCode(), haproxy.log());
    assertEquals("hello from behind the agent", r.body());
    assertEquals("10", r.headers().firstValue("X-Score").orElse(null), haproxy.log());
    assertTrue(r.headers().firstValue("X-Spoe-Error").isEmpty());
  }

  @Test
  void curlOnASensitivePathScoresHigherButPasses() throws Exception {
    HttpResponse<String> r = get("/admin/users", "curl/7.88.1");
    assertEquals(200, r.statusCode());
    assertEquals("80", r.headers().firstValue("X-Score").orElse(null)); // 10 + 50 (curl) + 20 (/admin)
  }

  @Test
  void scannerIsDeniedWith403() throws Exception {
    HttpResponse<String> r = get("/", "sqlmap/1.7");
    assertEquals(403, r.statusCode(), haproxy.log());
    assertEquals("100", r.headers().firstValue("X-Score").orElse(null));
  }

  @Test
  void theJarsEmbeddedDefaultIsThisExample() throws Exception {
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("spoa-agent.json")) {
      JsonObject embedded = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      JsonObject sample = new JsonObject(java.nio.file.Files.readString(
          ExampleAgents.repoRoot().resolve("conf/examples/reputation.json")));
      assertEquals(sample, embedded, "conf/examples/reputation.json and spoa-agent.json drifted apart");
    }
  }
}
