package io.spoavertx.examples.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.testing.AckAssert;
import io.spoavertx.testing.AgentDisconnect;
import io.spoavertx.testing.AgentProcess;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.VarScope;
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
          .setsVar(VarScope.TXN, "deny", true)
          .setsVar(VarScope.TXN, "score").withIntIn(100, 100);
      AckAssert.assertThat(client.notify(checkIp("10.1.2.3", "Mozilla/5.0")).await(10, TimeUnit.SECONDS))
          .setsVar(VarScope.TXN, "score").withIntIn(0, 0);
      // as many event loops as listener instances, and the handler on each of them
      assertTrue(agent.output().contains("3 event loops, 3 listener instance(s) on loops 0,1,2, "
          + "spoa.message.check-client-ip: 3 instance(s) on loops 0,1,2;"), agent.output());
      assertTrue(!agent.output().contains("cross threads"), agent.output());
      // connections on every loop: no message crosses to another one
      for (int c = 0; c < 6; c++) {
        SpopTestClient more = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
        more.hello().await(10, TimeUnit.SECONDS);
        AckAssert.assertThat(more.notify(checkIp("10.1.2." + c, "Mozilla/5.0")).await(10, TimeUnit.SECONDS))
            .setsVar(VarScope.TXN, "score").withIntIn(0, 0);
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
          .setsVar(VarScope.TXN, "deny", true);
      assertTrue(agent.output().contains("INFO io.spoavertx.launcher.SpoaLauncher: SPOA agent config: the JAR's embedded "
          + "default config (spoa-agent.json), as no -conf was given"), "the startup says the demo config runs: " + agent.output());
    }
  }

  @Test
  void haproxyConfigWritesTheHaproxySideOfTheEmbeddedConfigAndExits(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("haproxy");
    try (AgentProcess p = AgentProcess.start(JAR, List.of("haproxy-config", "--engine", "reputation", "--out", out.toString()),
        Map.of())) {
      assertEquals(0, p.awaitExit(START), p.output());
      assertTrue(p.output().contains("wrote " + out.resolve("haproxy.cfg")), p.output());
      assertFalse(p.output().contains("listening on"), "no listener: " + p.output());
      // the embedded default config is conf/examples/reputation.json
      for (String file : List.of("haproxy.cfg", "spoe-reputation.conf")) {
        assertEquals(Files.readString(repoRoot().resolve("conf/haproxy/reputation/" + file)), Files.readString(out.resolve(file)));
      }
    }
    try (AgentProcess p = AgentProcess.start(JAR, List.of("haproxy-config", "-conf", "{}"), Map.of())) {
      assertEquals("invalid agent config: handlers: the config deploys no handler verticles: no message is declared, "
          + "nothing to write", oneLineFailure(p, 2));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Config fails closed; one-line startup errors

  /** What a failed start printed: one line, no stack trace, nothing bound. */
  private static String oneLineFailure(AgentProcess agent, int status) throws Exception {
    assertEquals(status, agent.awaitExit(START), agent.output());
    List<String> lines = agent.output().lines()
        .filter(l -> !l.matches(LOG_LINE) && !l.isBlank() && !l.startsWith("SPOA agent stopped:")).toList();
    assertEquals(1, lines.size(), "one line besides the log lines before it:\n" + agent.output());
    assertFalse(agent.output().contains("\tat "), "no stack trace without --debug:\n" + agent.output());
    assertFalse(agent.output().contains("listening on"), "nothing may bind: " + agent.output());
    return lines.get(0);
  }

  @Test
  void aMissingConfFileExitsWithOneLineAndNeverRunsTheDemoConfig(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    String typo = dir.resolve("typo.json").toString();
    try (AgentProcess agent = AgentProcess.start(JAR, List.of("-conf", typo), Map.of("SPOA_METRICS_PORT", "0"))) {
      assertEquals("invalid agent config: " + typo + ": no such file", oneLineFailure(agent, 2));
    }
  }

  @Test
  void aConfFileThatIsNotAJsonObjectExitsWithOneLine(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Map<String, String[]> cases = Map.of(
        "agent.yaml", new String[] {"listener:\n  port: 0\n", "not a JSON object: Unrecognized token 'listener'"},
        "truncated.json", new String[] {"{\"listener\": {\"port\": 0", "not a JSON object: Unexpected end-of-input"},
        "empty.json", new String[] {"\n", "empty, expected a JSON object"});
    for (Map.Entry<String, String[]> c : cases.entrySet()) {
      Path file = Files.writeString(dir.resolve(c.getKey()), c.getValue()[0]);
      try (AgentProcess agent = AgentProcess.start(JAR, List.of("-conf", file.toString()), Map.of("SPOA_METRICS_PORT", "0"))) {
        String line = oneLineFailure(agent, 2);
        assertTrue(line.startsWith("invalid agent config: " + file + ": " + c.getValue()[1]), line);
      }
    }
  }

  @Test
  void aConfigWithNoHandlersStartsWithAWarningNamingIt(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path conf = dir.resolve("bare.json");
    Files.writeString(conf, "{\"listener\": {\"port\": 0}}");
    try (AgentProcess agent = AgentProcess.start(JAR, List.of("-conf", conf.toString()), Map.of("SPOA_METRICS_PORT", "0"))) {
      agent.awaitListeningPort(START);
      assertTrue(agent.output().contains("WARNING io.spoavertx.launcher.SpoaLauncher: config file " + conf.toRealPath()
          + " deploys no handler verticles"), agent.output());
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "SPOA_PORT         | SPOA listener | listener.port / SPOA_LISTENER_PORT",
      "SPOA_METRICS_PORT | metrics server | metrics.port / SPOA_METRICS_PORT",
  })
  void aBusyPortIsOneLineNamingTheListenerAndTheAddress(String variable, String listener, String hint) throws Exception {
    try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Map<String, String> env = new java.util.HashMap<>(Map.of("SPOA_PORT", "0", "SPOA_METRICS_PORT", "0"));
      env.put(variable.trim(), Integer.toString(busy.getLocalPort()));
      try (AgentProcess agent = AgentProcess.start(JAR, List.of(), env)) {
        assertEquals(listener.trim() + ": cannot listen on 127.0.0.1:" + busy.getLocalPort() + ": address already in use "
            + "(another process has it: stop that one, or set " + hint.trim()
            + (listener.trim().equals("metrics server") ? ", or metrics.enabled false)" : ")"), oneLineFailure(agent, 1));
      }
      try (AgentProcess agent = AgentProcess.start(JAR, List.of("--debug"), env)) {
        assertEquals(1, agent.awaitExit(START));
        assertTrue(agent.output().contains("\tat ") && agent.output().contains("Address already in use"),
            "--debug adds the stack trace: " + agent.output());
      }
    }
  }

  @Test
  void aHandlersOwnConfigErrorIsReportedByItsKey() throws Exception {
    String conf = "{\"listener\":{\"port\":0},\"handlers\":[{\"class\":\"io.spoavertx.examples.reputation.ClientReputationVerticle\","
        + "\"config\":{\"deny\":[\"192.0.2.0/24\",\"10.0.0.0/33\"]}}]}";
    try (AgentProcess agent = AgentProcess.start(JAR, List.of("-conf", conf), Map.of("SPOA_METRICS_PORT", "0"))) {
      assertEquals("invalid agent config: handlers[0].config.deny[1]: prefix out of range in '10.0.0.0/33'",
          oneLineFailure(agent, 2));
    }
  }

  @Test
  void tlsErrorsNameTheKeyAndThePath(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path store = dir.resolve("agent.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "agent", "-keyalg", "EC", "-dname", "CN=localhost", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "rightpass").redirectErrorStream(true).start();
    assertEquals(0, keytool.waitFor(), new String(keytool.getInputStream().readAllBytes()));
    Map<String, String> env = Map.of("SPOA_PORT", "0", "SPOA_METRICS_PORT", "0",
        "SPOA_LISTENER_TLS_KEYSTORE", dir.resolve("missing.p12").toString(), "SPOA_LISTENER_TLS_KEYSTOREPASSWORD", "x");
    try (AgentProcess agent = AgentProcess.start(JAR, List.of(), env)) {
      assertEquals("invalid agent config: listener.tls.keyStore: cannot read '" + dir.resolve("missing.p12") + "': no such file",
          oneLineFailure(agent, 2));
    }
    Path password = Files.writeString(dir.resolve("password"), "wrongpass\n");
    env = Map.of("SPOA_PORT", "0", "SPOA_METRICS_PORT", "0",
        "SPOA_LISTENER_TLS_KEYSTORE", store.toString(), "SPOA_LISTENER_TLS_KEYSTOREPASSWORD_FILE", password.toString());
    try (AgentProcess agent = AgentProcess.start(JAR, List.of(), env)) {
      String line = oneLineFailure(agent, 2);
      assertTrue(line.startsWith("SPOA listener: TLS: cannot use listener.tls.keyStore '" + store
          + "' (password: listener.tls.keyStorePassword): "), line);
    }
  }

  @Test
  void everyScalarKeyComesFromTheEnvironment(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path deadline = Files.writeString(dir.resolve("deadline"), "200\n");
    Map<String, String> env = Map.of("SPOA_LISTENER_PORT", "0", "SPOA_METRICS_PORT", "0", "SPOA_LISTENER_INSTANCES", "2",
        "SPOA_PROTOCOL_MAXFRAMESIZE", "4096", "SPOA_DISPATCH_DEADLINEMS_FILE", deadline.toString());
    try (AgentProcess agent = AgentProcess.start(JAR, List.of(), env)) {
      int port = agent.awaitListeningPort(START);
      assertTrue(Pattern.compile("\\b2 (listener )?instance\\(s\\)").matcher(agent.output()).find(), agent.output());
      SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
      assertEquals(4096, client.hello().await(10, TimeUnit.SECONDS).maxFrameSize(), "protocol.maxFrameSize from the environment");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Logs: one line per record; a clean start on JDK 17 and 25

  /** time, level, logger: message (the launcher's logging.properties). */
  private static final String LOG_LINE = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} "
      + "(SEVERE|WARNING|INFO|CONFIG|FINE|FINER|FINEST) [\\w.$]+: .*";

  /**
   * conf/agent.json (2 listener instances, 2 handler instances) starts with nothing but INFO lines
   * in the one-line format: no Micrometer "already registered" warning, no JDK warning.
   */
  private static void assertCleanStart(Path java) throws Exception {
    Path conf = Files.createTempFile("agent", ".json");
    try {
      String example = Files.readString(repoRoot().resolve("conf/agent.json"));
      Files.writeString(conf, example.replace("\"port\": 12345", "\"port\": 0"));
      try (AgentProcess agent = AgentProcess.start(java, JAR, List.of(), List.of("-conf", conf.toString()),
          Map.of("SPOA_METRICS_PORT", "0"))) {
        int port = agent.awaitListeningPort(START);
        SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
        client.hello().await(10, TimeUnit.SECONDS);
        client.notify(checkIp("10.1.2.3", "Mozilla/5.0")).await(10, TimeUnit.SECONDS);
        agent.awaitOutput(Pattern.compile("Succeeded in deploying verticle"), START);
        for (String line : agent.output().lines().toList()) {
          assertTrue(line.matches(LOG_LINE), "not a one-line record: '" + line + "' in\n" + agent.output());
          assertTrue(line.contains(" INFO "), "only INFO lines at a clean start: '" + line + "' in\n" + agent.output());
        }
      }
    } finally {
      Files.deleteIfExists(conf);
    }
  }

  @Test
  void startsCleanOnThisJdk() throws Exception {
    assertCleanStart(Path.of(System.getProperty("java.home"), "bin", "java"));
  }

  @Test
  void startsCleanOnJdk25() throws Exception {
    Path java = Path.of(System.getProperty("jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(java), "no JDK 25 at " + java + " (-Djdk25.home=...)");
    assertCleanStart(java);
  }

  @Test
  void theLoggingConfigCanBeReplaced(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path props = Files.writeString(dir.resolve("logging.properties"), String.join("\n",
        "handlers = java.util.logging.ConsoleHandler",
        "java.util.logging.ConsoleHandler.formatter = java.util.logging.SimpleFormatter",
        "java.util.logging.SimpleFormatter.format = custom|%4$s|%3$s|%5$s%n", ""));
    try (AgentProcess agent = AgentProcess.start(JAR, List.of("-Djava.util.logging.config.file=" + props), List.of(),
        Map.of("SPOA_PORT", "0", "SPOA_METRICS_PORT", "0"))) {
      agent.awaitListeningPort(START);
      assertTrue(agent.output().contains("custom|INFO|io.spoavertx.agent.SpoaAgent|SPOA agent listening on"), agent.output());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reload on SIGHUP

  /**
   * The reputation example: a client passes; a CIDR covering it is added to the file and the agent
   * gets SIGHUP; the next request from that client, on the same connection, is denied. A file that
   * does not validate is refused with the same one-line error, and the running config stays.
   */
  @Test
  void sighupReloadsTheHandlersKeepingTheConnections(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path conf = dir.resolve("agent.json");
    io.vertx.core.json.JsonObject json = new io.vertx.core.json.JsonObject(
        Files.readString(repoRoot().resolve("conf/examples/reputation.json")));
    json.getJsonObject("listener").put("port", 0);
    Files.writeString(conf, json.encodePrettily());
    try (AgentProcess agent = AgentProcess.start(JAR, List.of("-conf", conf.toString()), Map.of("SPOA_METRICS_PORT", "0"))) {
      int port = agent.awaitListeningPort(START);
      SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
      client.hello().await(10, TimeUnit.SECONDS);
      AckAssert.assertThat(client.notify(checkIp("198.51.100.7", "Mozilla/5.0")).await(10, TimeUnit.SECONDS))
          .doesNotTouchVar(VarScope.TXN, "deny");

      json.getJsonArray("handlers").getJsonObject(0).getJsonObject("config").getJsonArray("deny").add("198.51.100.0/24");
      Files.writeString(conf, json.encodePrettily());
      agent.hangup();
      agent.awaitOutput(Pattern.compile("reload: 1 handler deployment\\(s\\) started, 1 stopped, 0 unchanged"), START);
      AckAssert.assertThat(client.notify(checkIp("198.51.100.7", "Mozilla/5.0")).await(10, TimeUnit.SECONDS))
          .setsVar(VarScope.TXN, "deny", true);

      json.getJsonArray("handlers").getJsonObject(0).getJsonObject("config").getJsonArray("deny").add("10.0.0.0/33");
      Files.writeString(conf, json.encodePrettily());
      agent.hangup();
      agent.awaitOutput(Pattern.compile("reload refused, the running config stays: invalid agent config: "
          + "handlers\\[0\\]\\.config\\.deny\\[3\\]: prefix out of range in '10\\.0\\.0\\.0/33'"), START);
      AckAssert.assertThat(client.notify(checkIp("198.51.100.7", "Mozilla/5.0")).await(10, TimeUnit.SECONDS))
          .setsVar(VarScope.TXN, "deny", true);
      assertFalse(client.closed().isComplete(), "the connection stayed up through both reloads");
      assertTrue(agent.isAlive());
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
