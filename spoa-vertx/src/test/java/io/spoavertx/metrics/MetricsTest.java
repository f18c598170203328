package io.spoavertx.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spoavertx.handler.Actions;
import io.spoavertx.handler.Scope;
import io.spoavertx.agent.SpoeHandlers;
import io.spoavertx.launcher.SpoaMainVerticle;
import io.spoavertx.testing.HelloOptions;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.SpopTestClient;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Traffic of every kind, then the scraped values of each meter. */
class MetricsTest {

  private Vertx vertx;

  /** Handlers: "ok" answers, "boom" fails, "slow" never answers (deadline 100 ms). */
  public static final class Handlers extends VerticleBase {
    @Override
    public Future<?> start() {
      return Future.all(
          SpoeHandlers.register(vertx, "ok", m -> Future.succeededFuture(Actions.create().setVar(Scope.TXN, "x", 1))).completion(),
          SpoeHandlers.register(vertx, "boom", m -> Future.failedFuture("boom")).completion(),
          SpoeHandlers.register(vertx, "slow", m -> Promise.<Actions>promise().future()).completion());
    }
  }

  @BeforeEach
  void setUp() {
    vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)))
        .build();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void everyMeterCountsWhatHappened() throws Exception {
    SpoaMainVerticle main = new SpoaMainVerticle();
    JsonObject config = new JsonObject()
        .put("listener", new JsonObject().put("port", 0))
        .put("dispatch", new JsonObject().put("deadlineMs", 100))
        .put("metrics", new JsonObject().put("port", 0))
        .put("handlers", new JsonArray().add(new JsonObject().put("class", Handlers.class.getName())));
    vertx.deployVerticle(main, new DeploymentOptions().setConfig(config)).await(10, TimeUnit.SECONDS);
    int port = main.agent().port();

    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    client.hello().await(10, TimeUnit.SECONDS);
    List<Future<?>> acks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      acks.add(client.notify(Message.of("ok")));
    }
    acks.add(client.notify(Message.of("boom"), Message.of("boom")));
    acks.add(client.notify(Message.of("slow")));
    acks.add(client.notify(Message.of("nobody")));
    for (Future<?> f : acks) {
      f.await(10, TimeUnit.SECONDS);
    }
    client.disconnect(2, "a timeout occurred").await(10, TimeUnit.SECONDS);
    client.closed().await(10, TimeUnit.SECONDS);

    SpopTestClient check = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    check.hello(HelloOptions.spopCheck()).await(10, TimeUnit.SECONDS);
    check.closed().await(10, TimeUnit.SECONDS);

    SpopTestClient bad = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    bad.notify(Message.of("ok"));
    assertEquals(4, bad.agentDisconnect().await(10, TimeUnit.SECONDS).statusCode());
    bad.closed().await(10, TimeUnit.SECONDS);

    String text = scrape(main.metricsPort());
    assertEquals(3, value(text, "spoa_connections_opened_total", ""), text);
    assertEquals(0, value(text, "spoa_connections_active", ""));
    assertEquals(1, value(text, "spoa_connections_closed_total", "reason=\"haproxy_disconnect\""));
    assertEquals(1, value(text, "spoa_connections_closed_total", "reason=\"healthcheck\""));
    assertEquals(1, value(text, "spoa_connections_closed_total", "reason=\"protocol_error\""));
    assertEquals(1, value(text, "spoa_hellos_total", "kind=\"normal\""));
    assertEquals(1, value(text, "spoa_hellos_total", "kind=\"healthcheck\""));
    assertEquals(7, value(text, "spoa_frames_received_total", "type=\"notify\""), "6 + the one before HELLO");
    assertEquals(6, value(text, "spoa_frames_sent_total", "type=\"ack\""));
    assertEquals(2, value(text, "spoa_frames_sent_total", "type=\"agent_hello\""));
    assertEquals(6, value(text, "spoa_notify_ack_seconds_count", ""));
    assertEquals(3, value(text, "spoa_message_seconds_count", "message=\"ok\",outcome=\"ok\""));
    assertEquals(2, value(text, "spoa_message_seconds_count", "message=\"boom\",outcome=\"error\""));
    assertEquals(1, value(text, "spoa_message_seconds_count", "message=\"slow\",outcome=\"timeout\""));
    assertEquals(1, value(text, "spoa_message_seconds_count", "message=\"nobody\",outcome=\"no_handler\""));
    assertEquals(0, value(text, "spoa_inflight_notifies", ""));
    assertEquals(1, value(text, "spoa_disconnects_total", "side=\"haproxy\",status=\"2\""));
    assertEquals(1, value(text, "spoa_disconnects_total", "side=\"agent\",status=\"0\""));
    assertEquals(1, value(text, "spoa_disconnects_total", "side=\"agent\",status=\"4\""));
    assertTrue(text.contains("vertx_net_server_active_connections"), "Vert.x's own meters are served too");
    assertTrue(text.contains("vertx_eventbus_"), "event-bus meters are served too");
  }

  @Test
  void jvmAndProcessMetersAndTheBuildInfoAreServed() throws Exception {
    SpoaMainVerticle main = new SpoaMainVerticle();
    JsonObject config = new JsonObject().put("listener", new JsonObject().put("port", 0))
        .put("metrics", new JsonObject().put("port", 0));
    vertx.deployVerticle(main, new DeploymentOptions().setConfig(config)).await(10, TimeUnit.SECONDS);
    String text = scrape(main.metricsPort());
    for (String name : List.of("jvm_memory_used_bytes", "jvm_memory_max_bytes", "jvm_gc_memory_allocated_bytes_total",
        "jvm_threads_live_threads", "jvm_classes_loaded_classes", "process_cpu_usage", "system_cpu_usage",
        "system_cpu_count", "process_uptime_seconds", "process_start_time_seconds", "process_files_open_files")) {
      assertTrue(Pattern.compile("^" + name + "[{ ]", Pattern.MULTILINE).matcher(text).find(), name + " in\n" + text);
    }
    assertTrue(value(text, "process_files_open_files", "") > 0);
    assertTrue(!ProcessMeters.VERSION.equals("unknown") && ProcessMeters.VERSION.matches("\\d+\\.\\d+.*"), ProcessMeters.VERSION);
    assertEquals(1, value(text, "spoa_build_info", "version=\"" + ProcessMeters.VERSION + "\""));
  }

  /**
   * The agent's meters, the JVM's and the build info are registered once, even with several
   * listener and handler instances. Micrometer reports a repeated registration on this logger
   * (a WARNING the first time in a JVM, FINE after): only Vert.x's own gauges may show up there,
   * which Vert.x re-registers by design for each consumer and server (docs/METRICS.md).
   */
  @Test
  void everyMeterOfOursIsRegisteredOnce() throws Exception {
    java.util.logging.Logger micrometer = java.util.logging.Logger.getLogger("io.micrometer.core.instrument.MeterRegistry");
    java.util.logging.Level level = micrometer.getLevel();
    List<String> repeats = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler capture = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        if (String.valueOf(r.getMessage()).contains("already registered")) {
          repeats.add(r.getMessage());
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    micrometer.setLevel(java.util.logging.Level.ALL);
    micrometer.addHandler(capture);
    try {
      SpoaMainVerticle main = new SpoaMainVerticle();
      JsonObject config = new JsonObject()
          .put("listener", new JsonObject().put("port", 0).put("instances", 2))
          .put("metrics", new JsonObject().put("port", 0))
          .put("handlers", new JsonArray().add(new JsonObject().put("class", Handlers.class.getName()).put("instances", 2)));
      vertx.deployVerticle(main, new DeploymentOptions().setConfig(config)).await(10, TimeUnit.SECONDS);
      SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", main.agent().port()).await(10, TimeUnit.SECONDS);
      client.hello().await(10, TimeUnit.SECONDS);
      client.notify(Message.of("ok")).await(10, TimeUnit.SECONDS);
      scrape(main.metricsPort());
      List<String> ours = repeats.stream().filter(m -> !m.contains("MeterId{name='vertx.")).toList();
      assertTrue(ours.isEmpty(), "registered twice: " + ours);
    } finally {
      micrometer.removeHandler(capture);
      micrometer.setLevel(level);
    }
  }

  @Test
  void metricsCanBeTurnedOff() throws Exception {
    SpoaMainVerticle main = new SpoaMainVerticle();
    JsonObject config = new JsonObject().put("listener", new JsonObject().put("port", 0))
        .put("metrics", new JsonObject().put("enabled", false));
    vertx.deployVerticle(main, new DeploymentOptions().setConfig(config)).await(10, TimeUnit.SECONDS);
    assertEquals(-1, main.metricsPort());
  }

  private String scrape(int port) throws Exception {
    return vertx.createHttpClient().request(HttpMethod.GET, port, "127.0.0.1", "/metrics")
        .compose(req -> req.send().compose(HttpClientResponse::body)).await(10, TimeUnit.SECONDS).toString();
  }

  /** The value of {@code name{...labels...}}, labels matched as a substring of the label set. */
  static double value(String text, String name, String labels) {
    Pattern p = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$", Pattern.MULTILINE);
    Matcher m = p.matcher(text);
    while (m.find()) {
      String set = m.group(1) == null ? "" : m.group(1);
      if (set.contains(labels)) {
        return Double.parseDouble(m.group(2));
      }
    }
    throw new AssertionError("no " + name + " with " + labels);
  }
}
