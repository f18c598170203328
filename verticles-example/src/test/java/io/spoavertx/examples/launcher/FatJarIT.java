package io.spoavertx.examples.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.testing.AckAssert;
import io.spoavertx.testing.AgentDisconnect;
import io.spoavertx.testing.AgentProcess;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.Scope;
import io.spoavertx.testing.SpopTestClient;
import io.spoavertx.testing.TypedValue;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The runnable fat JAR, launched as a process the way users run it. */
class FatJarIT {

  private static final Path JAR = Path.of(System.getProperty("spoa.agent.jar", "target/spoa-agent.jar"));
  private static final Duration START = Duration.ofSeconds(60);
  private static Vertx vertx;

  @BeforeAll
  static void setUp() {
    assertTrue(Files.exists(JAR), "fat JAR not built: " + JAR);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static Message checkIp(String ip, String ua) {
    return Message.of("check-client-ip").arg("ip", TypedValue.ipv4(ip)).arg("path", "/").arg("ua", ua);
  }

  @Test
  void runsWithAConfigFileAndAnswersSpop(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path conf = dir.resolve("agent.json");
    String example = Files.readString(repoRoot().resolve("conf/agent.json"));
    Files.writeString(conf, example.replace("\"port\": 12345", "\"port\": 0"));
    try (AgentProcess agent = AgentProcess.start(JAR, List.of("-conf", conf.toString()),
        Map.of("SPOA_METRICS_PORT", "0", "SPOA_INSTANCES", "3"))) {
      int port = agent.awaitListeningPort(START);
      SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
      client.hello().await(10, TimeUnit.SECONDS);
      AckAssert.assertThat(client.notify(checkIp("192.0.2.9", "x")).await(10, TimeUnit.SECONDS))
          .setsVar(Scope.TXN, "deny", true)
          .setsVar(Scope.TXN, "score").withIntIn(100, 100);
      AckAssert.assertThat(client.notify(checkIp("10.1.2.3", "Mozilla/5.0")).await(10, TimeUnit.SECONDS))
          .setsVar(Scope.TXN, "score").withIntIn(0, 0);
      // as many event loops as listener instances, and the handler on each of them
      assertTrue(agent.output().contains("3 event loops, 3 listener instance(s) on loops 0,1,2, "
          + "spoa.message.check-client-ip: 3 instance(s) on loops 0,1,2;"), agent.output());
      assertTrue(!agent.output().contains("cross threads"), agent.output());
      // connections on every loop: no message crosses to another one
      for (int c = 0; c < 6; c++) {
        SpopTestClient more = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
        more.hello().await(10, TimeUnit.SECONDS);
        AckAssert.assertThat(more.notify(checkIp("10.1.2." + c, "Mozilla/5.0")).await(10, TimeUnit.SECONDS))
            .setsVar(Scope.TXN, "score").withIntIn(0, 0);
        more.close();
      }
      Matcher metrics = Pattern.compile("metrics at (http://\\S+)").matcher(agent.output());
      assertTrue(metrics.find(), agent.output());
      String scrape = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(metrics.group(1))).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(scrape.contains("spoa_dispatch_hops_total{kind=\"cross_loop\"} 0.0"), scrape);
      assertTrue(scrape.contains("spoa_frames_sent_total{type=\"ack\"} 8.0"), scrape);
      if (System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64")) {
        assertTrue(agent.output().contains("(native transport;"), "epoll is in the fat JAR: " + agent.output());
      }
    }
  }

  @Test
  void runsOnTheEmbeddedDefaultWithEnvironmentOverrides() throws Exception {
    try (AgentProcess agent = AgentProcess.start(JAR, List.of(), Map.of("SPOA_PORT", "0", "SPOA_METRICS_PORT", "0"))) {
      int port = agent.awaitListeningPort(START);
      SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
      client.hello().await(10, TimeUnit.SECONDS);
      AckAssert.assertThat(client.notify(checkIp("203.0.113.5", "sqlmap/1.7")).await(10, TimeUnit.SECONDS))
          .setsVar(Scope.TXN, "deny", true);
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"listener\":{\"port\":0,\"hots\":\"x\"}}                 | listener.hots",
      "{\"listener\":{\"port\":\"twelve\"}}                        | listener.port",
      "{\"listener\":{\"port\":65536}}                             | listener.port",
      "{\"protocol\":{\"maxFrameSize\":255}}                       | protocol.maxFrameSize",
      "{\"dispatch\":{\"deadlineMs\":0}}                           | dispatch.deadlineMs",
      "{\"dispatch\":{\"deadlineMs\":-1}}                          | dispatch.deadlineMs",
      "{\"dispatch\":{\"routes\":{\"m\":{\"handler\":\"com.example.Missing\"}}}} | dispatch.routes.m.handler",
      "{\"handlers\":[{\"class\":\"com.example.NoSuchVerticle\"}]} | handlers[0].class",
  })
  void badConfigExitsNonZeroNamingTheKey(String json, String key) throws Exception {
    try (AgentProcess agent = AgentProcess.start(JAR, List.of("-conf", json.trim()), Map.of("SPOA_METRICS_PORT", "0"))) {
      int status = agent.awaitExit(START);
      assertEquals(2, status, agent.output());
      assertTrue(agent.output().contains("invalid agent config: " + key.trim() + ": "), agent.output());
      assertTrue(!agent.output().contains("listening on"), "nothing may bind: " + agent.output());
    }
  }

  @Test
  void badEnvironmentOverrideNamesTheKey() throws Exception {
    try (AgentProcess agent = AgentProcess.start(JAR, List.of(), Map.of("SPOA_PORT", "http", "SPOA_METRICS_PORT", "0"))) {
      assertEquals(2, agent.awaitExit(START), agent.output());
      assertTrue(agent.output().contains("listener.port"), agent.output());
    }
  }

  /**
   * SIGTERM while 4 connections keep 20 NOTIFYs each in flight: the agent stops reading, answers
   * every NOTIFY it read, sends AGENT-DISCONNECT status 0 and exits. What it read equals what it
   * answered, and every ACK it sent reached a client.
   */
  @Test
  void sigtermUnderLoadLeavesNoNotifyUnanswered() throws Exception {
    try (AgentProcess agent = AgentProcess.start(JAR, List.of(), Map.of("SPOA_PORT", "0", "SPOA_METRICS_PORT", "0"))) {
      int port = agent.awaitListeningPort(START);
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong acks = new AtomicLong();
      List<SpopTestClient> clients = new ArrayList<>();
      List<Future<AgentDisconnect>> byes = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
        client.hello().await(10, TimeUnit.SECONDS);
        clients.add(client);
        byes.add(client.agentDisconnect());
        for (int i = 0; i < 20; i++) {
          keepSending(client, running, acks);
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (acks.get() < 5_000 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertTrue(acks.get() >= 5_000, "load did not run: " + acks.get() + " ACKs");
      int status = agent.terminate(Duration.ofSeconds(30));
      assertTrue(status == 0 || status == 143, "exit on SIGTERM (143 = 128 + SIGTERM, the JVM's normal status): " + status + "\n" + agent.output());
      for (Future<AgentDisconnect> bye : byes) {
        assertEquals(0, bye.await(10, TimeUnit.SECONDS).statusCode(), agent.output());
      }
      running.set(false);
      for (SpopTestClient client : clients) {
        client.closed().await(10, TimeUnit.SECONDS);
        assertTrue(client.errors().isEmpty(), client.errors().toString());
      }
      Matcher m = Pattern.compile("SPOA agent stopped: (\\d+) NOTIFYs read, (\\d+) ACKs sent").matcher(agent.output());
      assertTrue(m.find(), agent.output());
      long read = Long.parseLong(m.group(1));
      long sent = Long.parseLong(m.group(2));
      assertEquals(read, sent, "every NOTIFY read got its ACK");
      assertEquals(sent, acks.get(), "every ACK sent reached its client");
    }
  }

  private static void keepSending(SpopTestClient client, AtomicBoolean running, AtomicLong acks) {
    if (!running.get()) {
      return;
    }
    client.notify(checkIp("198.51.100.7", "Mozilla/5.0")).onComplete(ar -> {
      if (ar.succeeded()) {
        acks.incrementAndGet();
        keepSending(client, running, acks);
      }
    });
  }

  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("conf/agent.json"))) {
      p = p.getParent();
    }
    return p;
  }

}
