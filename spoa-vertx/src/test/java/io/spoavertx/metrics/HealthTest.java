package io.spoavertx.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.handler.Actions;
import io.spoavertx.handler.Scope;
import io.spoavertx.agent.SpoeHandlers;
import io.spoavertx.launcher.SpoaMainVerticle;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.SpopTestClient;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

/** GET /health on the metrics server: 200 once everything is up, 503 while starting or stopping; on every node role. */
class HealthTest {

  /** A handler verticle whose start waits for the test: the agent is not ready meanwhile. */
  public static final class GatedHandler extends VerticleBase {
    static volatile Promise<Void> gate;

    @Override
    public Future<?> start() {
      return gate.future().compose(v -> SpoeHandlers.register(vertx, "gated",
          m -> Future.succeededFuture(Actions.create().setVar(Scope.TXN, "x", 1))).completion());
    }
  }

  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private record Health(int status, JsonObject body) {
  }

  private Health get(int port) throws Exception {
    return vertx.createHttpClient().request(HttpMethod.GET, port, "127.0.0.1", "/health")
        .compose(req -> req.send().compose(r -> r.body().map(body -> {
          assertEquals("application/json", r.getHeader("content-type"));
          return new Health(r.statusCode(), new JsonObject(body));
        }))).await(10, TimeUnit.SECONDS);
  }

  private static JsonObject config(String role, String handler) {
    return new JsonObject()
        .put("listener", new JsonObject().put("port", 0))
        .put("metrics", new JsonObject().put("port", 0))
        .put("cluster", new JsonObject().put("role", role))
        .put("handlers", new JsonArray().add(new JsonObject().put("class", handler)));
  }

  @Test
  void downWhileHandlersDeployUpOnceTheListenerIsBound() throws Exception {
    GatedHandler.gate = Promise.promise();
    SpoaMainVerticle main = new SpoaMainVerticle();
    Future<String> deployed = vertx.deployVerticle(main, new DeploymentOptions().setConfig(config("both", GatedHandler.class.getName())));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (main.metricsPort() < 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Health starting = get(main.metricsPort());
    assertEquals(503, starting.status());
    assertEquals(new JsonObject().put("status", "DOWN").put("listener", false).put("handlers", false), starting.body());

    GatedHandler.gate.complete();
    deployed.await(10, TimeUnit.SECONDS);
    Health up = get(main.metricsPort());
    assertEquals(200, up.status());
    assertEquals(new JsonObject().put("status", "UP").put("listener", true).put("handlers", true), up.body());
  }

  @Test
  void aHandlerNodeServesMetricsAndHealthWithoutAListener() throws Exception {
    GatedHandler.gate = Promise.promise();
    GatedHandler.gate.complete();
    SpoaMainVerticle main = new SpoaMainVerticle();
    vertx.deployVerticle(main, new DeploymentOptions().setConfig(config("handlers", GatedHandler.class.getName())))
        .await(10, TimeUnit.SECONDS);
    assertEquals(null, main.agent(), "no listener on a handler node");
    Health up = get(main.metricsPort());
    assertEquals(200, up.status());
    assertEquals(new JsonObject().put("status", "UP").put("handlers", true), up.body());
    String metrics = vertx.createHttpClient().request(HttpMethod.GET, main.metricsPort(), "127.0.0.1", "/metrics")
        .compose(req -> req.send().compose(HttpClientResponse::body)).await(10, TimeUnit.SECONDS).toString();
    assertTrue(metrics.contains("spoa_build_info{"), metrics);
    assertTrue(metrics.contains("jvm_memory_used_bytes{"), metrics);
  }

  @Test
  void downWhileStopping() throws Exception {
    GatedHandler.gate = Promise.promise();
    GatedHandler.gate.complete();
    SpoaMainVerticle main = new SpoaMainVerticle();
    JsonObject config = config("both", GatedHandler.class.getName())
        .put("listener", new JsonObject().put("port", 0).put("drainTimeoutMs", 3000))
        .put("dispatch", new JsonObject().put("deadlineMs", 2000)
            .put("routes", new JsonObject().put("never", new JsonObject().put("handler", NeverAnswers.class.getName()))));
    String id = vertx.deployVerticle(main, new DeploymentOptions().setConfig(config)).await(10, TimeUnit.SECONDS);
    int metricsPort = main.metricsPort();
    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", main.agent().port()).await(10, TimeUnit.SECONDS);
    client.hello().await(10, TimeUnit.SECONDS);
    client.notify(Message.of("never")); // keeps the drain going until its deadline
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (main.agent().stats().notifies() < 1 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    main.prepareToStop(); // what the launcher does on SIGTERM
    Future<Void> undeployed = vertx.undeploy(id);
    Health stopping = get(metricsPort); // the "never" NOTIFY holds the drain for 2 s
    assertEquals(1, main.agent().stats().notifies() - main.agent().stats().acks(), "still draining");
    assertEquals(503, stopping.status());
    assertEquals("DOWN", stopping.body().getString("status"));
    assertEquals(true, stopping.body().getBoolean("stopping"));
    assertEquals(false, stopping.body().getBoolean("listener"));
    undeployed.await(10, TimeUnit.SECONDS);
  }

  /** A direct handler that never answers. */
  public static final class NeverAnswers implements io.spoavertx.handler.SpoeHandler {
    @Override
    public Future<Actions> handle(io.spoavertx.handler.SpoeMessage message) {
      return Promise.<Actions>promise().future();
    }
  }
}
