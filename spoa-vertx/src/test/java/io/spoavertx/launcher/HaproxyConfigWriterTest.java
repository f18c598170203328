package io.spoavertx.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ConfigException;
import io.spoavertx.handler.DataType;
import io.spoavertx.handler.MessageSpec;
import io.spoavertx.handler.Scope;
import io.spoavertx.launcher.HaproxyConfigWriter.Dialect;
import io.spoavertx.launcher.HaproxyConfigWriter.Options;
import io.spoavertx.launcher.HaproxyConfigWriter.Written;
import io.spoavertx.testing.haproxy.HaproxyBinary;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The text {@code haproxy-config} writes, for HAProxy 2.6 and for 3.1+, from a small set of declarations. */
class HaproxyConfigWriterTest {

  private static final MessageSpec CHECK = MessageSpec.builder("check")
      .arg("ip", "src", DataType.IPV4, DataType.IPV6)
      .optionalArg("ua", "req.hdr(user-agent)", DataType.STRING)
      .sets(Scope.TXN, "score", DataType.INT32)
      .sets(Scope.TXN, "deny", DataType.BOOL)
      .denies("deny", 403)
      .responseHeader("score", "X-Score")
      .sets(Scope.TXN, "variant", DataType.STRING)
      .choosesBackend("variant", "a", "b")
      .build();
  private static final MessageSpec LOOKUP = MessageSpec.builder("lookup")
      .arg("user", "req.hdr(x-user)")
      .when("{ req.hdr(x-user) -m found }")
      .sets(Scope.SESS, "plan", DataType.STRING)
      .unsets(Scope.TXN, "score")
      .build();
  private static final AgentConfig CONFIG = AgentConfig.fromJson("{\"listener\":{\"host\":\"127.0.0.1\",\"port\":12345},"
      + "\"dispatch\":{\"deadlineMs\":200,\"routes\":{\"lookup\":{\"deadlineMs\":600}}}}");

  private static Written write(Dialect dialect) {
    return HaproxyConfigWriter.write(List.of(CHECK, LOOKUP), CONFIG, new Options(dialect, "demo", "spoa", "127.0.0.1:8080"));
  }

  @Test
  void haproxy26() {
    Written w = write(Dialect.TCP);
    assertEquals(TCP_CFG, w.haproxyCfg());
    assertEquals("spoe-demo.conf", w.spoeFileName());
    assertEquals(TCP_SPOE, w.spoeConf());
  }

  /**
   * HAProxy 3.1+ (no binary here): the agent backend is "mode spop" (configuration.txt, "mode":
   * mandatory for backends of SPOE engines, set automatically when missing) and the spoe-agent has
   * no "timeout hello/idle" (deprecated and ignored since the SPOE runs over the spop multiplexer,
   * doc/SPOE.txt; haproxy/haproxy#3173).
   */
  @Test
  void haproxy3() {
    Written w = write(Dialect.SPOP);
    assertEquals(SPOP_CFG, w.haproxyCfg());
    assertEquals(SPOP_SPOE, w.spoeConf());
  }

  @Test
  void haproxyChecksThe26Text(@TempDir Path dir) throws Exception {
    Optional<HaproxyBinary> haproxy = HaproxyBinary.find();
    Assumptions.assumeTrue(haproxy.isPresent() || "true".equals(System.getenv("CI")), "no haproxy binary");
    Assumptions.assumeFalse(haproxy.orElseThrow().isSpopMux(), "the 2.6 text is for HAProxy before 3.1");
    Written w = write(Dialect.TCP);
    Path cfg = Files.writeString(dir.resolve("haproxy.cfg"), w.haproxyCfg());
    Files.writeString(dir.resolve(w.spoeFileName()), w.spoeConf());
    Process p = new ProcessBuilder(haproxy.orElseThrow().path().toString(), "-c", "-f", cfg.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "haproxy -c did not finish");
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("Configuration file is valid"), out);
    assertFalse(out.contains("WARNING"), out);
  }

  private static long processingMs(String dispatch) {
    return HaproxyConfigWriter.Deadline.longest(AgentConfig.fromJson("{\"dispatch\":" + dispatch + "}")).processingTimeoutMs();
  }

  @Test
  void timeoutProcessingIsAboveTheLongestDeadlineWithAMargin() {
    assertEquals(800, processingMs("{}"), "the default deadline, 500 ms");
    assertEquals(500, processingMs("{\"deadlineMs\":200}"));
    assertEquals(300, processingMs("{\"deadlineMs\":1}"));
    assertEquals(1500, processingMs("{\"deadlineMs\":500,\"routes\":{\"a\":{\"deadlineMs\":1000},\"b\":{}}}"));
    assertEquals(new HaproxyConfigWriter.Deadline("dispatch.routes.a.deadlineMs", 1000),
        HaproxyConfigWriter.Deadline.longest(AgentConfig.fromJson("{\"dispatch\":{\"routes\":{\"a\":{\"deadlineMs\":1000}}}}")));
    assertEquals("1500ms", HaproxyConfigWriter.duration(1500));
    assertEquals("2s", HaproxyConfigWriter.duration(2000));
  }

  private static String serverLine(String listener) {
    AgentConfig c = AgentConfig.fromJson("{\"listener\":" + listener + "}");
    return HaproxyConfigWriter.write(List.of(CHECK), c, Options.DEFAULT).haproxyCfg().lines()
        .filter(l -> l.startsWith("    server ")).findFirst().orElseThrow();
  }

  @Test
  void theServerLineReachesTheListener() {
    assertEquals("    server agent1 127.0.0.1:12345 check inter 5s", serverLine("{}"));
    assertEquals("    server agent1 127.0.0.1:7000 check inter 5s", serverLine("{\"host\":\"0.0.0.0\",\"port\":7000}"));
    assertEquals("    server agent1 [::1]:7000 check inter 5s", serverLine("{\"host\":\"::\",\"port\":7000}"));
    assertEquals("    server agent1 agent.internal:7000 check inter 5s ssl verify none",
        serverLine("{\"host\":\"agent.internal\",\"port\":7000,\"tls\":{\"certPath\":\"c.pem\",\"keyPath\":\"k.pem\"}}"));
  }

  @Test
  void refusesWhatHaproxyCouldNotUse() {
    assertEquals("no message is declared: nothing to write", assertThrows(IllegalArgumentException.class,
        () -> HaproxyConfigWriter.write(List.of(), CONFIG, Options.DEFAULT)).getMessage());
    MessageSpec otherCheck = MessageSpec.builder("check").build();
    assertEquals("message 'check' is declared twice, differently", assertThrows(IllegalArgumentException.class,
        () -> HaproxyConfigWriter.write(List.of(CHECK, otherCheck), CONFIG, Options.DEFAULT)).getMessage());
    String prefix = "p".repeat(60);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> HaproxyConfigWriter.write(List.of(CHECK), CONFIG,
        new Options(Dialect.TCP, "e", prefix, "127.0.0.1:8080"))).getMessage()
        .endsWith("txn." + prefix + ".score: 70 characters, HAProxy sets at most 63"));
    assertEquals("invalid agent config: listener.port: 0 (any free port): HAProxy needs the agent's fixed port",
        assertThrows(ConfigException.class, () -> HaproxyConfigWriter.write(List.of(CHECK),
            AgentConfig.fromJson("{\"listener\":{\"port\":0}}"), Options.DEFAULT)).getMessage());
  }

  @Test
  void versionsPickTheDialect() {
    for (String v : List.of("2.6", "2.8", "3.0")) {
      assertEquals(Dialect.TCP, Dialect.of(v), v);
    }
    for (String v : List.of("3.x", "3", "3.1", "3.2", "3.4")) {
      assertEquals(Dialect.SPOP, Dialect.of(v), v);
    }
    assertEquals("--haproxy 2.4: HAProxy 2.6 or later is needed",
        assertThrows(IllegalArgumentException.class, () -> Dialect.of("2.4")).getMessage());
    assertEquals("--haproxy latest: expected 2.6 or 3.x (or a version such as 3.2)",
        assertThrows(IllegalArgumentException.class, () -> Dialect.of("latest")).getMessage());
  }

  @Test
  void optionsAreNamesHaproxyAccepts() {
    assertThrows(IllegalArgumentException.class, () -> new Options(Dialect.TCP, "my engine", "spoa", "127.0.0.1:8080"));
    assertThrows(IllegalArgumentException.class, () -> new Options(Dialect.TCP, "e", "my-prefix", "127.0.0.1:8080"));
    assertThrows(IllegalArgumentException.class, () -> new Options(Dialect.TCP, "e", "spoa", "8080"));
    new Options(Dialect.TCP, "e", "spoa", "[::1]:8080");
    new Options(Dialect.TCP, "e", "spoa", ":8080");
  }

  private static final String TCP_CFG = """
      # HAProxy configuration for the SPOA agent at 127.0.0.1:12345, for HAProxy 2.6 to 3.0.
      # Written by "java -jar spoa-agent.jar haproxy-config" from the agent's config and the messages its
      # handlers declare: write it again rather than edit it (--haproxy 3.x for HAProxy 3.1 and later).
      #
      #   haproxy -f haproxy.cfg       # HTTP on 127.0.0.1:8080; the SPOE config is spoe-demo.conf
      #
      # The agent's variables (option var-prefix spoa):
      #   txn.spoa.score (INT32), by check
      #   txn.spoa.deny (BOOL), by check
      #   txn.spoa.variant (STRING), by check
      #   sess.spoa.plan (STRING), by lookup
      #   txn.spoa.score (unset), by lookup
      # Without an answer (agent down or too slow) they stay unset: write rules that then let requests
      # pass, as these do.

      global
          # relative paths (the SPOE config) are relative to this file's directory
          default-path config
          log stdout format raw local0 info

      defaults
          mode http
          log global
          option httplog
          timeout connect 5s
          timeout client 30s
          timeout server 30s

      frontend www
          bind 127.0.0.1:8080
          filter spoe engine demo config spoe-demo.conf
          # the messages are sent on their events, before these rules run
          http-request deny deny_status 403 if { var(txn.spoa.deny) -m bool }
          # http-after-response also decorates HAProxy's own responses (a deny above)
          http-after-response set-header X-Score %[var(txn.spoa.score)] if { var(txn.spoa.score) -m found }
          # one rule per value: "use_backend be_%[var(txn.spoa.variant)]" works too, but explicit rules
          # let "haproxy -c" check that every backend exists; unset (no answer): default_backend
          use_backend be_a if { var(txn.spoa.variant) -m str a }
          use_backend be_b if { var(txn.spoa.variant) -m str b }
          default_backend demo

      # stands in for your servers
      backend demo
          http-request return status 200 content-type text/plain string "hello from behind the agent"

      # chosen when txn.spoa.variant is a; stands in for your servers too
      backend be_a
          http-request return status 200 content-type text/plain string "variant a"

      # chosen when txn.spoa.variant is b; stands in for your servers too
      backend be_b
          http-request return status 200 content-type text/plain string "variant b"

      # the agent: SPOP over a plain TCP backend
      backend spoa-agents
          mode tcp
          balance roundrobin
          option spop-check
          # longer than the SPOE "timeout idle", so HAProxy (not this timeout) closes idle connections
          timeout server 3m
          server agent1 127.0.0.1:12345 check inter 5s
      """;

  private static final String TCP_SPOE = """
      # SPOE configuration of haproxy.cfg ("filter spoe engine demo"), for HAProxy 2.6 to 3.0.
      # Written by "java -jar spoa-agent.jar haproxy-config" from the messages the agent's handlers declare.
      [demo]
      spoe-agent demo-agent
          messages check lookup
          # a handler's variable "x" in scope txn is txn.spoa.x here
          option var-prefix spoa
          # txn.spoa.error is set when the agent fails or is too slow; the request then goes on
          option set-on-error error
          # HAProxy sets only the variables it knows: those the handlers declare
          register-var-names score deny variant plan
          # above the agent's longest message deadline (dispatch.routes.lookup.deadlineMs, 600 ms), so the agent answers first
          timeout processing 900ms
          # HAProxy 2.6 needs these two; 3.1+ ignores them
          timeout hello 2s
          timeout idle 2m
          use-backend spoa-agents

      # check: ip (IPV4|IPV6), ua (STRING, optional); sets txn.spoa.score (INT32), txn.spoa.deny (BOOL), txn.spoa.variant (STRING)
      spoe-message check
          args ip=src ua=req.hdr(user-agent)
          event on-frontend-http-request

      # lookup: user (any type); sets sess.spoa.plan (STRING); unsets txn.spoa.score
      spoe-message lookup
          args user=req.hdr(x-user)
          event on-frontend-http-request if { req.hdr(x-user) -m found }
      """;

  private static final String SPOP_CFG = """
      # HAProxy configuration for the SPOA agent at 127.0.0.1:12345, for HAProxy 3.1 and later.
      # Written by "java -jar spoa-agent.jar haproxy-config" from the agent's config and the messages its
      # handlers declare: write it again rather than edit it (--haproxy 2.6 for HAProxy 2.6 to 3.0).
      #
      #   haproxy -f haproxy.cfg       # HTTP on 127.0.0.1:8080; the SPOE config is spoe-demo.conf
      #
      # The agent's variables (option var-prefix spoa):
      #   txn.spoa.score (INT32), by check
      #   txn.spoa.deny (BOOL), by check
      #   txn.spoa.variant (STRING), by check
      #   sess.spoa.plan (STRING), by lookup
      #   txn.spoa.score (unset), by lookup
      # Without an answer (agent down or too slow) they stay unset: write rules that then let requests
      # pass, as these do.

      global
          # relative paths (the SPOE config) are relative to this file's directory
          default-path config
          log stdout format raw local0 info

      defaults
          mode http
          log global
          option httplog
          timeout connect 5s
          timeout client 30s
          timeout server 30s

      frontend www
          bind 127.0.0.1:8080
          filter spoe engine demo config spoe-demo.conf
          # the messages are sent on their events, before these rules run
          http-request deny deny_status 403 if { var(txn.spoa.deny) -m bool }
          # http-after-response also decorates HAProxy's own responses (a deny above)
          http-after-response set-header X-Score %[var(txn.spoa.score)] if { var(txn.spoa.score) -m found }
          # one rule per value: "use_backend be_%[var(txn.spoa.variant)]" works too, but explicit rules
          # let "haproxy -c" check that every backend exists; unset (no answer): default_backend
          use_backend be_a if { var(txn.spoa.variant) -m str a }
          use_backend be_b if { var(txn.spoa.variant) -m str b }
          default_backend demo

      # stands in for your servers
      backend demo
          http-request return status 200 content-type text/plain string "hello from behind the agent"

      # chosen when txn.spoa.variant is a; stands in for your servers too
      backend be_a
          http-request return status 200 content-type text/plain string "variant a"

      # chosen when txn.spoa.variant is b; stands in for your servers too
      backend be_b
          http-request return status 200 content-type text/plain string "variant b"

      # the agent: SPOE over the spop multiplexer (HAProxy 3.1+)
      backend spoa-agents
          mode spop
          balance roundrobin
          option spop-check
          timeout server 3m
          server agent1 127.0.0.1:12345 check inter 5s
      """;

  private static final String SPOP_SPOE = """
      # SPOE configuration of haproxy.cfg ("filter spoe engine demo"), for HAProxy 3.1 and later.
      # Written by "java -jar spoa-agent.jar haproxy-config" from the messages the agent's handlers declare.
      [demo]
      spoe-agent demo-agent
          messages check lookup
          # a handler's variable "x" in scope txn is txn.spoa.x here
          option var-prefix spoa
          # txn.spoa.error is set when the agent fails or is too slow; the request then goes on
          option set-on-error error
          # HAProxy sets only the variables it knows: those the handlers declare
          register-var-names score deny variant plan
          # above the agent's longest message deadline (dispatch.routes.lookup.deadlineMs, 600 ms), so the agent answers first
          timeout processing 900ms
          use-backend spoa-agents

      # check: ip (IPV4|IPV6), ua (STRING, optional); sets txn.spoa.score (INT32), txn.spoa.deny (BOOL), txn.spoa.variant (STRING)
      spoe-message check
          args ip=src ua=req.hdr(user-agent)
          event on-frontend-http-request

      # lookup: user (any type); sets sess.spoa.plan (STRING); unsets txn.spoa.score
      spoe-message lookup
          args user=req.hdr(x-user)
          event on-frontend-http-request if { req.hdr(x-user) -m found }
      """;
}
