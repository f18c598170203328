package io.spoavertx.examples.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * conf/examples/rate-limit.json behind the real haproxy with the rules of conf/haproxy/rate-limit/:
 * the remaining budget shows in a header, then HAProxy answers 429. The window is widened to a
 * minute so that a slow machine cannot cross into a fresh window half-way through the test.
 */
class RateLimitBehindHaproxyTest {

  private static final int LIMIT = 5;

  @RegisterExtension
  static HaproxyExtension haproxy = HaproxyExtension.manual();

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    JsonObject config = ExampleAgents.config("rate-limit");
    config.getJsonArray("handlers").getJsonObject(0).getJsonObject("config")
        .put("limit", LIMIT).put("windowMs", 60_000);
    int port = ExampleAgents.deploy(vertx, config);
    haproxy.start(HaproxyConfig.builder()
        .agent("127.0.0.1", port)
        .agentHealthCheck(true)
        .message(SpoeMessageSection.onRequest("rate-limit", "key=req.hdr(x-api-key)", "cost=int(1)"))
        .registerVarNames("limited", "remaining")
        .httpRequest("deny deny_status 429 if { var(txn.spoa.limited) -m bool }")
        .exposeVar("txn.spoa.remaining", "X-RateLimit-Remaining")
        .exposeVar("txn.spoa.error", "X-Spoe-Error")
        .build());
    haproxy.process().awaitAgentsUp(Duration.ofSeconds(15));
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<String> get(String apiKey) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(haproxy.httpUrl("/api")).timeout(Duration.ofSeconds(10));
    if (apiKey != null) {
      b.header("X-Api-Key", apiKey);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theSixthRequestOfAKeyGets429() throws Exception {
    for (int i = 1; i <= LIMIT; i++) {
      HttpResponse<String> r = get("key-a");
      assertEquals(200, r.statusCode(), haproxy.log());
      assertEquals(String.valueOf(LIMIT - i), r.headers().firstValue("X-RateLimit-Remaining").orElse(null), haproxy.log());
    }
    HttpResponse<String> limited = get("key-a");
    assertEquals(429, limited.statusCode(), haproxy.log());
    assertEquals("0", limited.headers().firstValue("X-RateLimit-Remaining").orElse(null));

    // another key is not affected
    HttpResponse<String> other = get("key-b");
    assertEquals(200, other.statusCode());
    assertEquals(String.valueOf(LIMIT - 1), other.headers().firstValue("X-RateLimit-Remaining").orElse(null));
  }

  @Test
  void requestsWithoutAKeyAreNotLimited() throws Exception {
    for (int i = 0; i < LIMIT + 2; i++) {
      HttpResponse<String> r = get(null);
      assertEquals(200, r.statusCode());
      assertEquals(null, r.headers().firstValue("X-RateLimit-Remaining").orElse(null));
    }
  }
}
