package io.spoavertx.examples.blocking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.spoavertx.agent.SpoaAgent;
import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.DispatchOptions;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.config.RouteOptions;
import io.spoavertx.examples.ExampleAgents;
import io.spoavertx.examples.reputation.ClientReputationVerticle;
import io.spoavertx.testing.haproxy.HaproxyConfig;
import io.spoavertx.testing.haproxy.HaproxyExtension;
import io.spoavertx.testing.haproxy.SpoeMessageSection;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The blocking-lookup example behind the real haproxy with the rules of
 * conf/haproxy/blocking-lookup/: while one request waits for a lookup blocked on a worker thread
 * (held by the test), another request is answered, with its event-loop handler's header.
 */
class BlockingLookupBehindHaproxyTest {

  @RegisterExtension
  static HaproxyExtension haproxy = HaproxyExtension.manual();

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static Vertx vertx;
  private static GatedDirectory gate;

  @BeforeAll
  static void start() throws Exception {
    // one event loop for everything: were the lookup on it, nothing else could be answered
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    gate = new GatedDirectory(new FileUserDirectory(ExampleAgents.repoRoot().resolve("conf/examples/users.csv"), 0));
    vertx.deployVerticle(() -> new UserDirectoryWorker(gate), new DeploymentOptions()
        .setThreadingModel(ThreadingModel.WORKER).setInstances(2)).await(10, TimeUnit.SECONDS);
    vertx.deployVerticle(new ClientReputationVerticle()).await(10, TimeUnit.SECONDS);
    SpoaAgent agent = SpoaAgent.create(vertx, AgentConfig.DEFAULT
        .withListener(ListenerOptions.DEFAULT.withPort(0).withInstances(1))
        .withDispatch(new DispatchOptions(500L, null, Map.of("lookup-user", new RouteOptions(null, 8_000L)))));
    int port = agent.start().await(10, TimeUnit.SECONDS);
    haproxy.start(HaproxyConfig.builder()
        .agent("127.0.0.1", port)
        .agentHealthCheck(true)
        .message(SpoeMessageSection.onRequest("check-client-ip", "ip=src", "path=path", "ua=req.hdr(user-agent)"))
        .message(SpoeMessageSection.onRequest("lookup-user", "user=req.hdr(x-user)").when("{ req.hdr(x-user) -m found }"))
        .registerVarNames("score", "deny", "plan")
        .processingTimeout(Duration.ofSeconds(10))
        .httpRequest("deny deny_status 403 if { var(txn.spoa.deny) -m bool }")
        .exposeVar("txn.spoa.plan", "X-Plan")
        .exposeVar("txn.spoa.score", "X-Score")
        .exposeVar("txn.spoa.error", "X-Spoe-Error")
        .build());
    haproxy.process().awaitAgentsUp(Duration.ofSeconds(15));
  }

  @AfterAll
  static void stop() throws Exception {
    if (gate != null) {
      gate.release.countDown();
    }
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void requestsWithoutLookupAreServedWhileALookupBlocks() throws Exception {
    CompletableFuture<HttpResponse<String>> slow = HTTP.sendAsync(HttpRequest.newBuilder(haproxy.httpUrl("/account"))
        .header("X-User", "alice").header("User-Agent", "Mozilla/5.0").timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
    gate.awaitEntered();

    HttpResponse<String> fast = HTTP.send(HttpRequest.newBuilder(haproxy.httpUrl("/"))
        .header("User-Agent", "Mozilla/5.0").timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, fast.statusCode(), haproxy.log());
    assertEquals("10", fast.headers().firstValue("X-Score").orElse(null), haproxy.log());
    assertFalse(slow.isDone(), "the lookup is still blocked, yet the other request was answered");

    gate.release.countDown();
    HttpResponse<String> r = slow.get(20, TimeUnit.SECONDS);
    assertEquals(200, r.statusCode());
    assertEquals("gold", r.headers().firstValue("X-Plan").orElse(null), haproxy.log());
    assertEquals("10", r.headers().firstValue("X-Score").orElse(null));
  }
}
