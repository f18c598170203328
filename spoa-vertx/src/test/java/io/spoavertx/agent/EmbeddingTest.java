package io.spoavertx.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spoavertx.handler.Actions;
import io.spoavertx.handler.Scope;
import io.spoavertx.agent.SpoeHandlers;
import io.spoavertx.launcher.SpoaMainVerticle;
import io.spoavertx.testing.AckAssert;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.SpopTestClient;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

/** The agent inside an existing Vert.x application that runs its own HTTP server. */
class EmbeddingTest {

  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** The application's own verticle: an HTTP API that has nothing to do with SPOA. */
  static final class AppHttpVerticle extends VerticleBase {
    int port;

    @Override
    public Future<?> start() {
      return vertx.createHttpServer().requestHandler(req -> req.response().end("app says hi"))
          .listen(0, "127.0.0.1").onSuccess(s -> port = s.actualPort());
    }
  }

  @Test
  void agentWithLambdaHandlersRunsBesideTheAppsHttpServer() throws Exception {
    AppHttpVerticle app = new AppHttpVerticle();
    vertx.deployVerticle(app).await(10, TimeUnit.SECONDS);
    // one handler as a lambda on the event bus, one direct
    SpoeHandlers.register(vertx, "tag", m -> Future.succeededFuture(Actions.create().setVar(Scope.TXN, "tag", "bus")))
        .completion().await(10, TimeUnit.SECONDS);
    SpoaAgent agent = SpoaAgent.create(vertx, io.spoavertx.config.AgentConfig.fromJson("{\"listener\":{\"port\":0}}"))
        .directHandler("fast", m -> Future.succeededFuture(Actions.create().setVar(Scope.TXN, "fast", 1)));
    int port = agent.start().await(10, TimeUnit.SECONDS);

    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    client.hello().await(10, TimeUnit.SECONDS);
    AckAssert.assertThat(client.notify(Message.of("tag"), Message.of("fast")).await(10, TimeUnit.SECONDS))
        .setsVar(io.spoavertx.testing.VarScope.TXN, "tag", "bus")
        .setsVar(io.spoavertx.testing.VarScope.TXN, "fast").withIntIn(1, 1);

    String body = vertx.createHttpClient().request(HttpMethod.GET, app.port, "127.0.0.1", "/")
        .compose(req -> req.send().compose(HttpClientResponse::body)).await(10, TimeUnit.SECONDS).toString();
    assertEquals("app says hi", body);
  }

  /** Handler verticle deployed from the agent config, as the fat JAR does, next to the app's verticles. */
  public static final class EchoHandlerVerticle extends VerticleBase {
    @Override
    public Future<?> start() {
      String reply = config().getString("reply", "?");
      return SpoeHandlers.register(vertx, "echo", m -> Future.succeededFuture(Actions.create().setVar(Scope.TXN, "echo", reply)))
          .completion();
    }
  }

  @Test
  void mainVerticleDeploysConfiguredHandlersInsideTheApp() throws Exception {
    vertx.deployVerticle(new AppHttpVerticle()).await(10, TimeUnit.SECONDS);
    SpoaMainVerticle main = new SpoaMainVerticle();
    JsonObject config = new JsonObject()
        .put("listener", new JsonObject().put("port", 0))
        .put("metrics", new JsonObject().put("port", 0))
        .put("handlers", new io.vertx.core.json.JsonArray().add(new JsonObject()
            .put("class", EchoHandlerVerticle.class.getName())
            .put("config", new JsonObject().put("reply", "configured"))));
    vertx.deployVerticle(main, new DeploymentOptions().setConfig(config)).await(10, TimeUnit.SECONDS);
    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", main.agent().port()).await(10, TimeUnit.SECONDS);
    client.hello().await(10, TimeUnit.SECONDS);
    AckAssert.assertThat(client.notify(Message.of("echo")).await(10, TimeUnit.SECONDS))
        .setsVar(io.spoavertx.testing.VarScope.TXN, "echo", "configured");
  }
}
