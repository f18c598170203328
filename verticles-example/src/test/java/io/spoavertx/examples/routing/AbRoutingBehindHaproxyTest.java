package io.spoavertx.examples.routing;

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
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * conf/examples/ab-routing.json behind the real haproxy with the rules of conf/haproxy/ab-routing/:
 * the backend that answers (its body) is the variant the agent picked.
 */
class AbRoutingBehindHaproxyTest {

  @RegisterExtension
  static HaproxyExtension haproxy = HaproxyExtension.manual();

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static Vertx vertx;
  private static VariantPicker picker;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    JsonObject config = ExampleAgents.config("ab-routing");
    picker = VariantPicker.fromJson(config.getJsonArray("handlers").getJsonObject(0).getJsonObject("config"));
    int port = ExampleAgents.deploy(vertx, config);
    haproxy.start(HaproxyConfig.builder()
        .agent("127.0.0.1", port)
        .agentHealthCheck(true)
        .message(SpoeMessageSection.onRequest("route", "cookie=req.cook(uid)", "path=path", "ip=src"))
        .registerVarNames("variant")
        .route("be_b", "{ var(txn.spoa.variant) -m str b }", 200, "variant b")
        .defaultResponse(200, "variant a")
        .exposeVar("txn.spoa.variant", "X-Variant")
        .build());
    haproxy.process().awaitAgentsUp(Duration.ofSeconds(15));
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<String> get(String path, String uid) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(haproxy.httpUrl(path)).timeout(Duration.ofSeconds(10));
    if (uid != null) {
      b.header("Cookie", "uid=" + uid);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void eachVisitorIsServedByItsVariantsBackend() throws Exception {
    Set<String> bodies = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      String uid = "visitor-" + i;
      String expected = picker.pick("c:" + uid, "/");
      HttpResponse<String> r = get("/", uid);
      assertEquals(200, r.statusCode(), haproxy.log());
      assertEquals("variant " + expected, r.body(), haproxy.log());
      assertEquals(expected, r.headers().firstValue("X-Variant").orElse(null));
      assertEquals(r.body(), get("/other", uid).body(), "sticky");
      bodies.add(r.body());
    }
    assertEquals(Set.of("variant a", "variant b"), bodies);
  }

  @Test
  void withoutCookieTheClientAddressDecides() throws Exception {
    String expected = "variant " + picker.pick("ip:127.0.0.1", "/");
    for (int i = 0; i < 3; i++) {
      assertEquals(expected, get("/", null).body());
    }
  }

  @Test
  void betaPathsGoToB() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertEquals("variant b", get("/beta/page", "visitor-" + i).body());
    }
  }
}
