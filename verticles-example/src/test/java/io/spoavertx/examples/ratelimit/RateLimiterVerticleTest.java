package io.spoavertx.examples.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.agent.SpoaAgent;
import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.testing.Ack;
import io.spoavertx.testing.AckAssert;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.VarScope;
import io.spoavertx.testing.SpopTestClient;
import io.spoavertx.testing.TypedValue;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rate limiter through a fake HAProxy, with both stores: "local" (LocalMap) and "shared" (the
 * AsyncMap code path a clustered Vert.x uses; on a non-clustered Vert.x it is a local async map).
 */
class RateLimiterVerticleTest {

  private final Vertx vertx = Vertx.vertx();
  private final AtomicLong clock = new AtomicLong(1_000_000_000L); // a window boundary for 1000 ms
  private SpopTestClient client;

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void start(JsonObject config, int instances) throws Exception {
    vertx.deployVerticle(() -> new RateLimiterVerticle(clock::get),
        new DeploymentOptions().setConfig(config).setInstances(instances)).await(10, TimeUnit.SECONDS);
    SpoaAgent agent = SpoaAgent.create(vertx, AgentConfig.DEFAULT.withListener(ListenerOptions.DEFAULT.withPort(0)));
    int port = agent.start().await(10, TimeUnit.SECONDS);
    client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    client.hello().await(10, TimeUnit.SECONDS);
  }

  private Ack hit(Message m) throws Exception {
    return client.notify(m).await(10, TimeUnit.SECONDS);
  }

  private Ack hit(String key) throws Exception {
    return hit(Message.of("rate-limit").arg("key", key));
  }

  private static JsonObject config(String store, String algorithm, int limit) {
    return new JsonObject().put("limit", limit).put("windowMs", 1000).put("algorithm", algorithm).put("store", store);
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "shared"})
  void countsDownThenLimits(String store) throws Exception {
    start(config(store, "fixed", 3), 1);
    AckAssert.assertThat(hit("10.0.0.1")).setsVar(VarScope.TXN, "limited", false).setsVar(VarScope.TXN, "remaining", 2);
    AckAssert.assertThat(hit("10.0.0.1")).setsVar(VarScope.TXN, "limited", false).setsVar(VarScope.TXN, "remaining", 1);
    AckAssert.assertThat(hit("10.0.0.1")).setsVar(VarScope.TXN, "limited", false).setsVar(VarScope.TXN, "remaining", 0);
    AckAssert.assertThat(hit("10.0.0.1")).setsVar(VarScope.TXN, "limited", true).setsVar(VarScope.TXN, "remaining", 0);
    // another key has its own budget
    AckAssert.assertThat(hit("10.0.0.2")).setsVar(VarScope.TXN, "limited", false).setsVar(VarScope.TXN, "remaining", 2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "shared"})
  void fixedWindowResetsAtTheBoundary(String store) throws Exception {
    start(config(store, "fixed", 2), 1);
    hit("k");
    hit("k");
    AckAssert.assertThat(hit("k")).setsVar(VarScope.TXN, "limited", true);
    clock.addAndGet(1000);
    AckAssert.assertThat(hit("k")).setsVar(VarScope.TXN, "limited", false).setsVar(VarScope.TXN, "remaining", 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "shared"})
  void slidingWindowRemembersThePreviousWindow(String store) throws Exception {
    start(config(store, "sliding", 4), 1);
    for (int i = 0; i < 4; i++) {
      hit("k");
    }
    clock.addAndGet(1500); // half-way through the next window: half of the 4 previous hits still count
    AckAssert.assertThat(hit("k")).setsVar(VarScope.TXN, "limited", false).setsVar(VarScope.TXN, "remaining", 1); // 2 + 1
    AckAssert.assertThat(hit("k")).setsVar(VarScope.TXN, "limited", false).setsVar(VarScope.TXN, "remaining", 0); // 2 + 2
    AckAssert.assertThat(hit("k")).setsVar(VarScope.TXN, "limited", true);                                       // 2 + 3
    clock.addAndGet(2000); // two windows later everything is forgotten
    AckAssert.assertThat(hit("k")).setsVar(VarScope.TXN, "remaining", 3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "shared"})
  void costWeighsAHit(String store) throws Exception {
    start(config(store, "fixed", 10), 1);
    AckAssert.assertThat(hit(Message.of("rate-limit").arg("key", "k").arg("cost", 7)))
        .setsVar(VarScope.TXN, "remaining", 3);
    AckAssert.assertThat(hit(Message.of("rate-limit").arg("key", "k").arg("cost", 4)))
        .setsVar(VarScope.TXN, "limited", true);
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "shared"})
  void concurrentHitsOnSeveralEventLoopsNeverOvershoot(String store) throws Exception {
    start(config(store, "fixed", 20), 4); // 4 handler instances, 4 event loops, one shared budget
    List<Future<Ack>> acks = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      acks.add(client.notify(Message.of("rate-limit").arg("key", "hot")));
    }
    Future.all(acks).await(20, TimeUnit.SECONDS);
    long allowed = acks.stream()
        .filter(f -> !f.result().var(VarScope.TXN, "limited").orElseThrow().asBoolean()).count();
    assertEquals(20, allowed);
  }

  @Test
  void aKeyFromAnAddressSampleWorksAndAMissingKeyIsNotLimited() throws Exception {
    start(config("local", "fixed", 1), 1);
    AckAssert.assertThat(hit(Message.of("rate-limit").arg("key", TypedValue.ipv4("192.0.2.1"))))
        .setsVar(VarScope.TXN, "limited", false);
    AckAssert.assertThat(hit(Message.of("rate-limit").arg("key", TypedValue.ipv4("192.0.2.1"))))
        .setsVar(VarScope.TXN, "limited", true);
    AckAssert.assertThat(hit(Message.of("rate-limit").arg("key", TypedValue.nil()))).hasNoActions();
  }

  @Test
  void localStoreForgetsQuietKeys() {
    RateLimitPolicy policy = new RateLimitPolicy(5, 1000, RateLimitPolicy.Algorithm.SLIDING);
    LocalWindowStore store = new LocalWindowStore(vertx, "sweep-test", policy, clock::get);
    try {
      store.add("old", 10, 1);
      store.add("recent", 11, 1);
      store.add("now", 12, 1);
      store.sweep(12);
      assertEquals(2, store.size()); // "old" (window 10) no longer matters in window 12
      store.sweep(14);
      assertEquals(0, store.size());
    } finally {
      store.close();
    }
  }

  @Test
  void badConfigFailsTheDeployment() {
    Future<String> f = vertx.deployVerticle(new RateLimiterVerticle(), new DeploymentOptions()
        .setConfig(new JsonObject().put("store", "redis")));
    try {
      f.await(10, TimeUnit.SECONDS);
    } catch (Exception expected) {
      // the deployment fails: that is the point
    }
    assertTrue(f.failed(), "deployment should fail");
  }
}
