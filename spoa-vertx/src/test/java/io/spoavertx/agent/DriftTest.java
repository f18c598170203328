package io.spoavertx.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.handler.DataType;
import io.spoavertx.handler.MessageSpec;
import io.spoavertx.handler.Scope;
import io.spoavertx.handler.SpoeHandler;
import io.spoavertx.metrics.AgentStats.Drift;
import io.spoavertx.metrics.AgentStats.Outcome;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.SpopTestClient;
import io.spoavertx.testing.TypedValue;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drift between HAProxy's {@code spoe-message} and the handler's {@link MessageSpec} shows at
 * runtime: each message with an argument the handler did not declare, without a required one, or
 * with a value of a type it does not accept is counted by name and kind, and logged once per
 * message name. Handlers without a declaration are not checked.
 */
class DriftTest {

  private static final MessageSpec CHECK_IP = MessageSpec.builder("check-client-ip")
      .arg("ip", "src", DataType.IPV4, DataType.IPV6)
      .optionalArg("ua", "req.hdr(user-agent)", DataType.STRING)
      .sets(Scope.TXN, "seen", DataType.BOOL)
      .build();
  private static final SpoeHandler SEEN = SpoeHandler.sync((m, a) -> a.setVar(Scope.TXN, "seen", true));

  private Vertx vertx;
  private LogWatch logs;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    logs = LogWatch.install(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    logs.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void undeclaredMissingAndWronglyTypedArgumentsAreCountedByKindAndLoggedOnce() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SpoaAgent agent = agent().directHandler(CHECK_IP, SEEN).directHandler("undeclared", SEEN).meterRegistry(registry);
    SpopTestClient client = connect(agent);
    Message typo = Message.of("check-client-ip").arg("addr", TypedValue.ipv4("192.0.2.1")); // "args addr=src"
    Message good = Message.of("check-client-ip").arg("ip", TypedValue.ipv4("192.0.2.1")).arg("ua", "curl");
    Message nullUa = Message.of("check-client-ip").arg("ip", TypedValue.ipv6("2001:db8::1")).arg("ua", TypedValue.nil());
    Message text = Message.of("check-client-ip").arg("ip", "192.0.2.1"); // "args ip=req.hdr(x-real-ip)"
    for (Message m : List.of(typo, good, typo, nullUa, typo, good, text, text, Message.of("undeclared").arg("x", 1L))) {
      client.notify(m).await(10, TimeUnit.SECONDS);
    }
    assertEquals(3, agent.stats().drift("check-client-ip", Drift.UNDECLARED_ARG));
    assertEquals(3, agent.stats().drift("check-client-ip", Drift.MISSING_ARG));
    assertEquals(2, agent.stats().drift("check-client-ip", Drift.WRONG_TYPE));
    for (Drift d : Drift.values()) {
      assertEquals(0, agent.stats().drift("undeclared", d), "a handler without a declaration is not checked");
    }
    assertEquals(9, agent.stats().messages(Outcome.OK), "drift is reported, the handler still runs");

    List<LogWatch.Escape> lines = logs.escapes();
    assertEquals(1, lines.size(), "one line for the message name, rate-limited: " + lines);
    String line = lines.get(0).message();
    assertTrue(line.contains("message 'check-client-ip' does not match its handler's declaration; undeclared argument(s) [addr];"
        + " missing required argument(s) [ip]: HAProxy sends [addr]"), line);

    String scrape = scrapeOnceRegistered(registry, "spoa_message_drift_total");
    assertEquals(3, value(scrape, "spoa_message_drift_total", "kind=\"undeclared_arg\",message=\"check-client-ip\""));
    assertEquals(3, value(scrape, "spoa_message_drift_total", "kind=\"missing_arg\",message=\"check-client-ip\""));
    assertEquals(2, value(scrape, "spoa_message_drift_total", "kind=\"wrong_type\",message=\"check-client-ip\""));
    assertEquals(0, value(scrape, "spoa_message_drift_total", "kind=\"missing_arg\",message=\"undeclared\""));
  }

  /** A handler verticle registered with its declaration is checked too, wherever it runs. */
  @Test
  void handlerVerticlesWithADeclarationAreChecked() throws Exception {
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return SpoeHandlers.register(vertx, CHECK_IP, SEEN).completion();
      }
    }).await(10, TimeUnit.SECONDS);
    SpoaAgent agent = agent();
    SpopTestClient client = connect(agent);
    for (int i = 0; i < 4; i++) {
      client.notify(Message.of("check-client-ip").arg("ip", TypedValue.ipv4("192.0.2.1")).arg("extra", 1L))
          .await(10, TimeUnit.SECONDS);
    }
    assertEquals(4, agent.stats().drift("check-client-ip", Drift.UNDECLARED_ARG));
    assertEquals(0, agent.stats().drift("check-client-ip", Drift.MISSING_ARG));
    assertEquals(1, logs.escapes().size(), logs.escapes().toString());
    assertTrue(logs.escapes().get(0).message().contains("undeclared argument(s) [extra]"), logs.escapes().toString());
  }

  private String scrapeOnceRegistered(PrometheusMeterRegistry registry, String name) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String text = registry.scrape();
    while (!text.contains(name) && System.nanoTime() < until) {
      Thread.sleep(20); // the message series are registered with the first latency batch
      text = registry.scrape();
    }
    return text;
  }

  private static double value(String text, String name, String labels) {
    Matcher m = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} ([0-9.eE+-]+)$", Pattern.MULTILINE).matcher(text);
    while (m.find()) {
      if (m.group(1).contains(labels)) {
        return Double.parseDouble(m.group(2));
      }
    }
    throw new AssertionError("no " + name + " with " + labels + " in\n" + text);
  }

  private SpoaAgent agent() {
    return SpoaAgent.create(vertx, AgentConfig.DEFAULT.withListener(ListenerOptions.DEFAULT.withHost("127.0.0.1").withPort(0)));
  }

  private SpopTestClient connect(SpoaAgent agent) throws Exception {
    int port = agent.start().await(10, TimeUnit.SECONDS);
    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    client.hello().await(10, TimeUnit.SECONDS);
    return client;
  }
}
