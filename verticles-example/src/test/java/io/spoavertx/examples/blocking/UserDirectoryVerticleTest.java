package io.spoavertx.examples.blocking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.agent.SpoaAgent;
import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.DispatchOptions;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.config.RouteOptions;
import io.spoavertx.examples.ExampleAgents;
import io.spoavertx.examples.reputation.ClientReputationVerticle;
import io.spoavertx.testing.Ack;
import io.spoavertx.testing.AckAssert;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.VarScope;
import io.spoavertx.testing.SpopTestClient;
import io.spoavertx.testing.TypedValue;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

class UserDirectoryVerticleTest {

  /** One event loop for everything: were the lookup on it, nothing else could be answered. */
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static Message lookup(String user) {
    return Message.of("lookup-user").arg("user", user);
  }

  private static Message checkIp() {
    return Message.of("check-client-ip").arg("ip", TypedValue.ipv4("203.0.113.9"))
        .arg("path", "/").arg("ua", "Mozilla/5.0");
  }

  /**
   * One agent event loop, one connection: while a lookup holds a worker thread (until the test
   * lets it go), a message for an event-loop handler sent after it is answered first.
   */
  @Test
  void aBlockedLookupDoesNotHoldUpOtherMessages() throws Exception {
    GatedDirectory gate = new GatedDirectory(new FileUserDirectory(
        ExampleAgents.repoRoot().resolve("conf/examples/users.csv"), 0));
    vertx.deployVerticle(() -> new UserDirectoryWorker(gate), new DeploymentOptions()
        .setThreadingModel(ThreadingModel.WORKER).setInstances(2)).await(10, TimeUnit.SECONDS);
    vertx.deployVerticle(new ClientReputationVerticle()).await(10, TimeUnit.SECONDS);
    SpoaAgent agent = SpoaAgent.create(vertx, AgentConfig.DEFAULT
        .withListener(ListenerOptions.DEFAULT.withPort(0).withInstances(1))
        .withDispatch(new DispatchOptions(500L, null, Map.of("lookup-user", new RouteOptions(null, 30_000L)))));
    int port = agent.start().await(10, TimeUnit.SECONDS);
    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    client.hello().await(10, TimeUnit.SECONDS);

    Future<Ack> slow = client.notify(lookup("alice"));
    gate.awaitEntered();
    Ack fast = client.notify(checkIp()).await(10, TimeUnit.SECONDS);
    AckAssert.assertThat(fast).setsVar(VarScope.TXN, "score", 10);
    assertFalse(slow.isComplete(), "the lookup is still blocked, yet the other message was answered");

    gate.release.countDown();
    AckAssert.assertThat(slow.await(10, TimeUnit.SECONDS)).setsVar(VarScope.TXN, "plan", "gold");
    assertTrue(gate.thread.startsWith("vert.x-worker-thread"), "ran on " + gate.thread);
  }

  /** conf/examples/blocking-lookup.json as the launcher runs it (latency set to 0 for speed). */
  @Test
  void theExampleConfigAnswersFromTheFile() throws Exception {
    JsonObject config = ExampleAgents.config("blocking-lookup");
    config.getJsonArray("handlers").getJsonObject(0).getJsonObject("config").put("latencyMs", 0);
    int port = ExampleAgents.deploy(vertx, config);
    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    client.hello().await(10, TimeUnit.SECONDS);

    AckAssert.assertThat(client.notify(lookup("bob")).await(10, TimeUnit.SECONDS)).setsVar(VarScope.TXN, "plan", "silver");
    AckAssert.assertThat(client.notify(lookup("mallory")).await(10, TimeUnit.SECONDS)).setsVar(VarScope.TXN, "plan", "unknown");
    AckAssert.assertThat(client.notify(Message.of("lookup-user").arg("user", TypedValue.nil()))
        .await(10, TimeUnit.SECONDS)).hasNoActions();
    // both messages in one NOTIFY (one request needing both): one ACK with both answers
    Ack both = client.notify(checkIp(), lookup("carol")).await(10, TimeUnit.SECONDS);
    AckAssert.assertThat(both).setsVar(VarScope.TXN, "plan", "free").setsVar(VarScope.TXN, "score", 10);
  }

  @Test
  void aFailingLookupContributesNoActions() throws Exception {
    vertx.deployVerticle(() -> new UserDirectoryWorker(user -> {
      throw new java.io.IOException("directory down");
    }), new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)).await(10, TimeUnit.SECONDS);
    SpoaAgent agent = SpoaAgent.create(vertx, AgentConfig.DEFAULT.withListener(ListenerOptions.DEFAULT.withPort(0)));
    int port = agent.start().await(10, TimeUnit.SECONDS);
    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    client.hello().await(10, TimeUnit.SECONDS);
    AckAssert.assertThat(client.notify(lookup("alice")).await(10, TimeUnit.SECONDS)).hasNoActions();
  }
  /**
   * One worker, a deadline of 200 ms: the first lookup gets the time left as its timeout and holds
   * the worker past the deadline; the message queued behind it is then not looked up at all (its ACK
   * went out without it); a later one is again.
   */
  @Test
  void aLookupGetsTheTimeLeftAndOneQueuedPastItsDeadlineIsSkipped() throws Exception {
    List<String> lookups = new CopyOnWriteArrayList<>();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    UserDirectory directory = new UserDirectory() {
      @Override
      public String planOf(String user) {
        throw new AssertionError("the worker bounds its lookups");
      }

      @Override
      public String planOf(String user, long timeoutMs) throws Exception {
        lookups.add(user + " " + (timeoutMs > 100 && timeoutMs <= 200));
        entered.countDown();
        assertTrue(release.await(10, TimeUnit.SECONDS));
        return "gold";
      }
    };
    vertx.deployVerticle(() -> new UserDirectoryWorker(directory), new DeploymentOptions()
        .setThreadingModel(ThreadingModel.WORKER).setInstances(1)).await(10, TimeUnit.SECONDS);
    SpoaAgent agent = SpoaAgent.create(vertx, AgentConfig.DEFAULT
        .withListener(ListenerOptions.DEFAULT.withPort(0).withInstances(1))
        .withDispatch(new DispatchOptions(500L, null, Map.of("lookup-user", new RouteOptions(null, 200L)))));
    int port = agent.start().await(10, TimeUnit.SECONDS);
    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    client.hello().await(10, TimeUnit.SECONDS);

    Future<Ack> first = client.notify(lookup("alice"));
    entered.await(10, TimeUnit.SECONDS);
    Future<Ack> queued = client.notify(lookup("bob"));
    AckAssert.assertThat(first.await(10, TimeUnit.SECONDS)).hasNoActions();
    AckAssert.assertThat(queued.await(10, TimeUnit.SECONDS)).hasNoActions();
    release.countDown();
    AckAssert.assertThat(client.notify(lookup("carol")).await(10, TimeUnit.SECONDS)).setsVar(VarScope.TXN, "plan", "gold");
    assertEquals(List.of("alice true", "carol true"), lookups, "bob's lookup, queued past its deadline, is skipped");
  }
}
