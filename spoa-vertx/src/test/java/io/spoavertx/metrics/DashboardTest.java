package io.spoavertx.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spoavertx.launcher.SpoaMainVerticle;
import io.spoavertx.testing.HelloOptions;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.SpopTestClient;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Grafana dashboard in {@code conf/grafana} parses, and every meter its queries use is one the
 * agent actually serves: a meter renamed or removed in the code without the dashboard fails here.
 */
class DashboardTest {

  static final String DASHBOARD = "conf/grafana/spoa-vertx-dashboard.json";
  private static final Pattern METRIC = Pattern.compile("\\b(?:spoa|vertx|jvm|process|system)_[a-z_]+");
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", Pattern.MULTILINE);
  private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$", Pattern.MULTILINE);

  private Vertx vertx;

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
  void dashboardIsWellFormed() throws Exception {
    JsonObject dash = load();
    assertEquals("spoa-vertx", dash.getString("uid"));
    assertTrue(dash.getInteger("schemaVersion") >= 36, "schemaVersion");

    List<JsonObject> vars = objects(dash.getJsonObject("templating").getJsonArray("list"));
    JsonObject ds = vars.stream().filter(v -> "DS_PROMETHEUS".equals(v.getString("name"))).findFirst().orElse(null);
    assertNotNull(ds, "a DS_PROMETHEUS data source variable");
    assertEquals("datasource", ds.getString("type"));
    assertEquals("prometheus", ds.getString("query"));
    assertTrue(vars.stream().anyMatch(v -> "instance".equals(v.getString("name")) && "query".equals(v.getString("type"))),
        "an instance variable");

    Set<Integer> ids = new HashSet<>();
    List<JsonObject> panels = panels(dash);
    assertTrue(panels.size() >= 15, "panels: " + panels.size());
    for (JsonObject panel : panels) {
      String title = panel.getString("title");
      assertTrue(ids.add(panel.getInteger("id")), "duplicate panel id " + panel.getInteger("id"));
      JsonObject grid = panel.getJsonObject("gridPos");
      assertNotNull(grid, title + ": gridPos");
      assertTrue(grid.getInteger("x") + grid.getInteger("w") <= 24, title + ": wider than the grid");
      if ("row".equals(panel.getString("type"))) {
        continue;
      }
      assertEquals("${DS_PROMETHEUS}", panel.getJsonObject("datasource").getString("uid"), title + ": datasource");
      List<JsonObject> targets = objects(panel.getJsonArray("targets"));
      assertFalse(targets.isEmpty(), title + ": no queries");
      for (JsonObject t : targets) {
        String expr = t.getString("expr");
        assertEquals("${DS_PROMETHEUS}", t.getJsonObject("datasource").getString("uid"), title + ": target datasource");
        assertTrue(expr.contains("instance=~\"$instance\""), title + ": not filtered by $instance: " + expr);
        assertBalanced(title, expr);
        assertFalse(metricNames(expr).isEmpty(), title + ": no spoa_/vertx_/jvm_/process_ meter in " + expr);
      }
    }
  }

  @Test
  void everyMeterTheDashboardUsesIsServed() throws Exception {
    Set<String> used = new TreeSet<>();
    for (String expr : queries(load())) {
      used.addAll(metricNames(expr));
    }
    assertTrue(used.stream().anyMatch(n -> n.startsWith("spoa_")), "the dashboard uses spoa_* meters: " + used);
    assertTrue(used.containsAll(java.util.List.of("jvm_memory_used_bytes", "jvm_gc_pause_seconds_sum", "process_cpu_usage",
        "spoa_build_info")), "the dashboard shows the JVM and the version: " + used);
    assertTrue(used.containsAll(java.util.List.of("spoa_message_drift_total", "spoa_dispatch_hops_total")),
        "the dashboard shows argument drift and dispatch hops: " + used);

    String text = scrapeAfterTraffic();
    Set<String> samples = new HashSet<>();
    for (Matcher m = SAMPLE.matcher(text); m.find(); ) {
      samples.add(m.group(1));
    }
    Set<String> histograms = new HashSet<>();
    for (Matcher m = TYPE.matcher(text); m.find(); ) {
      if (m.group(2).equals("histogram") || m.group(2).equals("summary")) {
        histograms.add(m.group(1));
      }
    }

    List<String> missing = new ArrayList<>();
    for (String name : used) {
      String base = name.replaceFirst("_(bucket|count|sum)$", "");
      boolean served = samples.contains(name) && (base.equals(name) || histograms.contains(base));
      if (!served) {
        missing.add(name);
      }
    }
    assertTrue(missing.isEmpty(), "meters used by " + DASHBOARD + " but not served: " + missing
        + "\nserved: " + new TreeSet<>(samples));
  }

  /** A HELLO, NOTIFYs of every outcome (so the per-message meters and event-bus failures exist), a health check. */
  private String scrapeAfterTraffic() throws Exception {
    SpoaMainVerticle main = new SpoaMainVerticle();
    JsonObject config = new JsonObject()
        .put("listener", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("dispatch", new JsonObject().put("deadlineMs", 100))
        .put("metrics", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("handlers", new JsonArray().add(new JsonObject().put("class", MetricsTest.Handlers.class.getName())));
    vertx.deployVerticle(main, new DeploymentOptions().setConfig(config)).await(10, TimeUnit.SECONDS);
    int port = main.agent().port();

    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    client.hello().await(10, TimeUnit.SECONDS);
    List<Future<?>> acks = new ArrayList<>();
    for (String name : List.of("ok", "boom", "slow", "nobody")) {
      acks.add(client.notify(Message.of(name)));
    }
    for (Future<?> f : acks) {
      f.await(10, TimeUnit.SECONDS);
    }
    client.disconnect(0, "normal").await(10, TimeUnit.SECONDS);
    client.closed().await(10, TimeUnit.SECONDS);

    SpopTestClient check = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    check.hello(HelloOptions.spopCheck()).await(10, TimeUnit.SECONDS);
    check.closed().await(10, TimeUnit.SECONDS);

    // GC pause timers appear with the first collection the JVM reports
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String text;
    do {
      System.gc();
      text = vertx.createHttpClient().request(HttpMethod.GET, main.metricsPort(), "127.0.0.1", "/metrics")
          .compose(req -> req.send().compose(HttpClientResponse::body)).await(10, TimeUnit.SECONDS).toString();
    } while (!text.contains("jvm_gc_pause_seconds_count") && System.nanoTime() < deadline && sleep(100));
    return text;
  }

  private static boolean sleep(long ms) throws InterruptedException {
    Thread.sleep(ms);
    return true;
  }

  static JsonObject load() throws IOException {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("conf/grafana"))) {
      dir = dir.getParent();
    }
    assertNotNull(dir, "no conf/grafana above " + Path.of("").toAbsolutePath());
    return new JsonObject(Files.readString(dir.resolve(DASHBOARD)));
  }

  /** Every panel, rows' nested panels included. */
  static List<JsonObject> panels(JsonObject dash) {
    List<JsonObject> out = new ArrayList<>();
    collect(dash.getJsonArray("panels"), out);
    return out;
  }

  private static void collect(JsonArray panels, List<JsonObject> out) {
    for (JsonObject p : objects(panels)) {
      out.add(p);
      collect(p.getJsonArray("panels"), out);
    }
  }

  /** Panel target expressions and template-variable queries. */
  static List<String> queries(JsonObject dash) {
    List<String> out = new ArrayList<>();
    for (JsonObject p : panels(dash)) {
      for (JsonObject t : objects(p.getJsonArray("targets"))) {
        out.add(t.getString("expr", ""));
      }
    }
    for (JsonObject v : objects(dash.getJsonObject("templating").getJsonArray("list"))) {
      out.add(v.getString("definition", ""));
      Object q = v.getValue("query");
      out.add(q instanceof JsonObject o ? o.getString("query", "") : String.valueOf(q));
    }
    return out;
  }

  static Set<String> metricNames(String expr) {
    Set<String> names = new TreeSet<>();
    for (Matcher m = METRIC.matcher(expr); m.find(); ) {
      names.add(m.group());
    }
    return names;
  }

  private static List<JsonObject> objects(JsonArray array) {
    List<JsonObject> out = new ArrayList<>();
    if (array != null) {
      for (int i = 0; i < array.size(); i++) {
        out.add(array.getJsonObject(i));
      }
    }
    return out;
  }

  /** Brackets balance outside string literals: a cheap guard against a mangled hand edit. */
  private static void assertBalanced(String title, String expr) {
    StringBuilder open = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < expr.length(); i++) {
      char c = expr.charAt(i);
      if (c == '"' && (i == 0 || expr.charAt(i - 1) != '\\')) {
        quoted = !quoted;
      } else if (!quoted && "({[".indexOf(c) >= 0) {
        open.append(c);
      } else if (!quoted && ")}]".indexOf(c) >= 0) {
        char expected = "({[".charAt(")}]".indexOf(c));
        assertTrue(open.length() > 0 && open.charAt(open.length() - 1) == expected, title + ": unbalanced " + expr);
        open.setLength(open.length() - 1);
      }
    }
    assertFalse(quoted, title + ": unterminated string in " + expr);
    assertEquals(0, open.length(), title + ": unbalanced " + expr);
  }
}
