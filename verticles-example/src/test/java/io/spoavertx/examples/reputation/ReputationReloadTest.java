package io.spoavertx.examples.reputation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.metrics.AgentStats;
import io.spoavertx.metrics.AgentStats.CloseReason;
import io.spoavertx.config.ConfigException;
import io.spoavertx.examples.ExampleAgents;
import io.spoavertx.launcher.SpoaMainVerticle;
import io.spoavertx.testing.AckAssert;
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

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reloading the reputation example's rules without dropping traffic ({@link SpoaMainVerticle#reload},
 * what SIGHUP calls): a CIDR is added, the next request from it is denied, no connection closed.
 */
class ReputationReloadTest {

  @RegisterExtension
  static HaproxyExtension haproxy = HaproxyExtension.manual();

  private Vertx vertx;
  private SpoaMainVerticle main;
  private JsonObject config;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    config = ExampleAgents.config("reputation");
    main = new SpoaMainVerticle();
    vertx.deployVerticle(main, new DeploymentOptions().setConfig(config)).await(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static Message checkIp(String ip) {
    return Message.of("check-client-ip").arg("ip", TypedValue.ipv4(ip)).arg("path", "/").arg("ua", "Mozilla/5.0");
  }

  private JsonObject withDeny(String cidr) {
    JsonObject next = config.copy();
    next.getJsonArray("handlers").getJsonObject(0).getJsonObject("config").getJsonArray("deny").add(cidr);
    return next;
  }

  private Set<String> deployments() {
    return new HashSet<>(vertx.deploymentIDs());
  }

  @Test
  void anAddedCidrDeniesTheNextRequestOnTheSameConnectionWhileTrafficFlows() throws Exception {
    int port = main.agent().port();
    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    client.hello().await(10, TimeUnit.SECONDS);
    AckAssert.assertThat(client.notify(checkIp("198.51.100.7")).await(10, TimeUnit.SECONDS)).doesNotTouchVar(VarScope.TXN, "deny");

    // another connection keeps 20 NOTIFYs in flight through the reload
    SpopTestClient busy = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    busy.hello().await(10, TimeUnit.SECONDS);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong sent = new AtomicLong();
    AtomicLong acked = new AtomicLong();
    for (int i = 0; i < 20; i++) {
      keepSending(busy, running, sent, acked);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (acked.get() < 500 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }

    Set<String> before = deployments();
    main.reload(withDeny("198.51.100.0/24")).await(20, TimeUnit.SECONDS);
    AckAssert.assertThat(client.notify(checkIp("198.51.100.7")).await(10, TimeUnit.SECONDS)).setsVar(VarScope.TXN, "deny", true);
    // and a few more, back and forth, each under load
    for (int i = 0; i < 6; i++) {
      main.reload(i % 2 == 0 ? config : withDeny("198.51.100.0/24")).await(20, TimeUnit.SECONDS);
      Thread.sleep(50);
    }
    long atReload = acked.get();
    while (acked.get() < atReload + 500 && System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(10)) {
      Thread.sleep(5);
    }
    running.set(false);
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (acked.get() < sent.get() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }

    assertTrue(acked.get() > atReload, "traffic went on after the reload");
    assertEquals(sent.get(), acked.get(), "every NOTIFY sent during the reload got its ACK");
    AgentStats stats = main.agent().stats();
    // messages already with an old instance were answered by it: none waited for its deadline
    assertEquals(0, stats.messages(AgentStats.Outcome.TIMEOUT), "messages lost in a reload");
    assertEquals(0, stats.messages(AgentStats.Outcome.NO_HANDLER), "messages that found no handler in a reload");
    assertEquals(0, stats.messages(AgentStats.Outcome.ERROR));
    assertEquals(acked.get() + 2, stats.messages(AgentStats.Outcome.OK));
    assertEquals(2, stats.connectionsOpened());
    assertEquals(0, stats.connectionsClosed(), "no connection was closed");
    assertFalse(client.closed().isComplete() || busy.closed().isComplete());
    Set<String> after = deployments();
    assertEquals(before.size(), after.size(), "the old handler deployment went away, the new one came");
    assertFalse(after.containsAll(before), "the handler verticle was redeployed");
  }

  @Test
  void anInvalidConfigIsRefusedAndTheRunningOneStays() throws Exception {
    int port = main.agent().port();
    Set<String> before = deployments();
    ConfigException e = assertThrows(ConfigException.class, () -> main.reload(withDeny("10.0.0.0/33")).await(20, TimeUnit.SECONDS));
    assertEquals("handlers[0].config.deny[2]", e.key());
    assertEquals("invalid agent config: handlers[0].config.deny[2]: prefix out of range in '10.0.0.0/33'", e.getMessage());
    e = assertThrows(ConfigException.class, () -> main.reload(config.copy().put("dispatch",
        new JsonObject().put("deadlineMs", "soon"))).await(20, TimeUnit.SECONDS));
    assertEquals("invalid agent config: dispatch.deadlineMs: expected an integer, got \"soon\"", e.getMessage());
    assertEquals(before, deployments(), "nothing was deployed or undeployed");

    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    client.hello().await(10, TimeUnit.SECONDS);
    AckAssert.assertThat(client.notify(checkIp("192.0.2.1")).await(10, TimeUnit.SECONDS)).setsVar(VarScope.TXN, "deny", true);
  }

  @Test
  void anUnchangedConfigRedeploysNothing() throws Exception {
    Set<String> before = deployments();
    main.reload(config.copy()).await(20, TimeUnit.SECONDS);
    assertEquals(before, deployments());
  }

  /** Behind the real haproxy: its requests come from 127.0.0.1; denying 127.0.0.0/8 turns 200 into 403. */
  @Test
  void behindHaproxyTheNextRequestIsDeniedAndNoAgentConnectionCloses() throws Exception {
    haproxy.start(HaproxyConfig.builder()
        .agent("127.0.0.1", main.agent().port())
        .agentHealthCheck(true)
        .message(SpoeMessageSection.onRequest("check-client-ip", "ip=src", "path=path", "ua=req.hdr(user-agent)"))
        .registerVarNames("score", "deny")
        .httpRequest("deny deny_status 403 if { var(txn.spoa.deny) -m bool }")
        .defaultResponse(200, "hello from behind the agent")
        .build());
    haproxy.process().awaitAgentsUp(Duration.ofSeconds(15));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest get = HttpRequest.newBuilder(haproxy.httpUrl("/")).header("User-Agent", "Mozilla/5.0")
        .timeout(Duration.ofSeconds(10)).build();
    assertEquals(200, http.send(get, HttpResponse.BodyHandlers.ofString()).statusCode(), haproxy.log());
    AgentStats stats = main.agent().stats();
    long closedBefore = closedOtherThanHealthChecks(stats);
    long hellosBefore = stats.hellos();

    main.reload(withDeny("127.0.0.0/8")).await(20, TimeUnit.SECONDS);
    assertEquals(403, http.send(get, HttpResponse.BodyHandlers.ofString()).statusCode(), haproxy.log());
    assertEquals(closedBefore, closedOtherThanHealthChecks(stats), "no SPOP connection from haproxy was closed");
    assertEquals(hellosBefore, stats.hellos(), "haproxy did not have to reconnect");
  }

  private static long closedOtherThanHealthChecks(AgentStats stats) {
    return stats.connectionsClosed() - stats.connectionsClosed(CloseReason.HEALTHCHECK);
  }

  private static void keepSending(SpopTestClient client, AtomicBoolean running, AtomicLong sent, AtomicLong acked) {
    if (!running.get()) {
      return;
    }
    sent.incrementAndGet();
    client.notify(checkIp("203.0.113.9")).onComplete(ar -> {
      if (ar.succeeded()) {
        acked.incrementAndGet();
        keepSending(client, running, sent, acked);
      }
    });
  }
}
