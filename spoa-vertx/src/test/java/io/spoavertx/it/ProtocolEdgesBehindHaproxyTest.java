package io.spoavertx.it;

import io.spoavertx.metrics.AgentStats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.metrics.AgentStats.Outcome;
import io.spoavertx.agent.SpoaAgent;
import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.handler.Actions;
import io.spoavertx.handler.Scope;
import io.spoavertx.testing.haproxy.HaproxyConfig;
import io.spoavertx.testing.haproxy.HaproxyExtension;
import io.spoavertx.testing.haproxy.SpoeMessageSection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Protocol edges where the real haproxy shows what is at stake (2.6 in CI). */
class ProtocolEdgesBehindHaproxyTest {

  @RegisterExtension
  static HaproxyExtension haproxy = HaproxyExtension.manual();

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** The longest name Actions accepts. */
  private static final String LONGEST = "n".repeat(Actions.MAX_VAR_NAME_LENGTH);

  private Vertx vertx;
  private SpoaAgent agent;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    agent = SpoaAgent.create(vertx, AgentConfig.DEFAULT.withListener(ListenerOptions.DEFAULT.withPort(0)))
        .directHandler("names", m -> Future.succeededFuture(Actions.create().setVar(Scope.TXN, LONGEST, "fits")))
        .directHandler("too-long", m -> Future.succeededFuture(Actions.create().setVar(Scope.TXN, LONGEST + "x", "no")));
    agent.start().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private String header(String prefix, String message) throws Exception {
    haproxy.start(HaproxyConfig.builder()
        .agent("127.0.0.1", agent.port())
        .varPrefix(prefix)
        .message(SpoeMessageSection.onRequest(message))
        .agentLine("option force-set-var")
        .exposeVar("txn." + prefix + "." + LONGEST, "X-Long")
        .defaultResponse(200, "ok")
        .build());
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(haproxy.httpUrl("/")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), haproxy.log());
    return r.headers().firstValue("X-Long").orElse(null);
  }

  /**
   * HAProxy sets {@code <scope>.<var-prefix>.<name>} only if it fits in 63 characters: with the
   * longest name the agent accepts (40) and a 17-character prefix it does ("txn." + 17 + "." + 40
   * = 62); with a 30-character prefix the same name is silently never set. The agent cannot see
   * the prefix, so it refuses names past 40 when the action is built.
   */
  @Test
  void theLongestAcceptedNameIsSetWithAPrefixOfUpTo17Characters() throws Exception {
    assertEquals("fits", header("p".repeat(17), "names"), haproxy.log());
  }

  @Test
  void haproxySilentlyIgnoresANameThatDoesNotFitWithItsPrefix() throws Exception {
    assertEquals(null, header("p".repeat(30), "names"), "txn.<30>.<40> is 76 characters: 2.6 does not set it");
    assertEquals(1, agent.stats().messages(Outcome.OK), "the agent sent it; HAProxy dropped it");
  }

  @Test
  void aLongerNameFailsTheHandlerInsteadOfVanishingInHaproxy() throws Exception {
    assertEquals(null, header("p".repeat(17), "too-long"));
    assertEquals(1, agent.stats().messages(Outcome.ERROR), "counted as a handler failure (and logged)");
    assertEquals(0, agent.stats().messages(Outcome.OK));
  }

  /**
   * HAProxy 2.6 closes an idle SPOE connection with HAPROXY-DISCONNECT status 2 ("timeout idle"):
   * routine, so not the WARN line that other error statuses get.
   */
  @Test
  void haproxysIdleTimeoutIsCountedButNotWarned() throws Exception {
    java.util.List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Logger log = java.util.logging.Logger.getLogger("io.spoavertx.agent.impl.SpopConnection");
    java.util.logging.Handler capture = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
          warnings.add(r.getMessage());
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    log.addHandler(capture);
    try {
      haproxy.start(HaproxyConfig.builder()
          .agent("127.0.0.1", agent.port())
          .message(SpoeMessageSection.onRequest("names"))
          .idleTimeout(Duration.ofMillis(500))
          .defaultResponse(200, "ok")
          .build());
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(haproxy.httpUrl("/")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), haproxy.log());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (agent.stats().haproxyDisconnects(2) < 1 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(agent.stats().haproxyDisconnects(2) >= 1, "HAProxy closed the idle connection with status 2: " + haproxy.log());
      assertEquals(java.util.List.of(), warnings);
    } finally {
      log.removeHandler(capture);
    }
  }

  /**
   * HAProxy's health check meets the agent's connection limit: the check connection gets
   * AGENT-DISCONNECT status 13, and HAProxy 2.6 takes the server down with that status's reason
   * ("Layer7 invalid response, info: "resource allocation error"") instead of a bare connection
   * error. The agent logs nothing but its own rate-limited warning (no reset noise).
   */
  @Test
  void haproxysHealthCheckSeesWhyAConnectionWasRefused() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    vertx = Vertx.vertx();
    agent = SpoaAgent.create(vertx, AgentConfig.DEFAULT.withListener(ListenerOptions.DEFAULT.withPort(0).withMaxConnections(1)));
    agent.start().await(10, TimeUnit.SECONDS);
    java.util.List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler capture = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue() || r.getThrown() != null) {
          logged.add(r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage());
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    java.util.logging.Logger.getLogger("").addHandler(capture);
    // the one connection allowed, held by a client that said HELLO
    io.spoavertx.testing.SpopTestClient holder = io.spoavertx.testing.SpopTestClient.connect(vertx, "127.0.0.1", agent.port())
        .await(10, TimeUnit.SECONDS);
    try {
      holder.hello().await(10, TimeUnit.SECONDS);
      haproxy.start(HaproxyConfig.builder()
          .agent("127.0.0.1", agent.port())
          .agentHealthCheck(true)
          .message(SpoeMessageSection.onRequest("names"))
          .defaultResponse(200, "ok")
          .build());
      assertTrue(haproxy.process().awaitLog("info: \"resource allocation error\"", Duration.ofSeconds(15)),
          "HAProxy's check reports the status: " + haproxy.log());
      assertTrue(haproxy.log().contains("is DOWN, reason: Layer7 invalid response"), haproxy.log());
      assertTrue(agent.stats().connectionsRefused() >= 1);
      assertTrue(agent.stats().agentDisconnects(io.spoavertx.codec.DisconnectStatus.RESOURCE_ALLOCATION_ERROR.code()) >= 1);
      assertFalse(holder.closed().isComplete(), "the connection within the limit is untouched");
      assertTrue(logged.stream().allMatch(l -> l.contains("listener.maxConnections (1) reached")), "only the refusal is logged: " + logged);
    } finally {
      java.util.logging.Logger.getLogger("").removeHandler(capture);
    }
  }
}
