package io.spoavertx.testing.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Rendering only: no haproxy needed. */
class HaproxyConfigTest {

  private static final Path DIR = Path.of("/tmp/work");
  private static final HaproxyVersion V26 = HaproxyVersion.of(2, 6, 12);
  private static final HaproxyVersion V31 = HaproxyVersion.of(3, 1, 0);

  private static HaproxyConfig spoeConfig() {
    return HaproxyConfig.builder()
        .agent("127.0.0.1", 12345)
        .agent("127.0.0.1", 12346)
        .agentHealthCheck(true)
        .maxConnRate(100)
        .maxWaitingFrames(10)
        .message(SpoeMessageSection.onRequest("check", "ip=src", "path=path"))
        .httpRequest("deny deny_status 403 if { var(txn.spoa.deny) -m bool }")
        .exposeVar("txn.spoa.score", "X-Score")
        .build();
  }

  @Test
  void rendersHaproxy26Dialect() {
    HaproxyConfig.Rendered r = spoeConfig().render(V26, 8080, DIR);
    String cfg = r.haproxyCfg();
    assertTrue(cfg.contains("    bind 127.0.0.1:8080\n"), cfg);
    assertTrue(cfg.contains("    filter spoe engine spoa config /tmp/work/spoe.conf\n"), cfg);
    assertTrue(cfg.contains("    stats socket /tmp/work/admin.sock mode 600 level admin\n"), cfg);
    assertTrue(cfg.contains("    nbthread 1\n"), cfg);
    assertTrue(cfg.contains("    log stdout format raw local0"), cfg);
    assertFalse(cfg.contains("daemon"), cfg);
    assertTrue(cfg.contains("backend agents\n    mode tcp\n"), cfg);
    assertTrue(cfg.contains("    option spop-check\n"), cfg);
    assertTrue(cfg.contains("    server agent1 127.0.0.1:12345 check "), cfg);
    assertTrue(cfg.contains("    server agent2 127.0.0.1:12346 check "), cfg);

    String spoe = r.spoeConf();
    assertTrue(spoe.startsWith("[spoa]\nspoe-agent agent\n"), spoe);
    assertTrue(spoe.contains("    messages check\n"), spoe);
    assertTrue(spoe.contains("    option var-prefix spoa\n"), spoe);
    assertTrue(spoe.contains("    option set-on-error error\n"), spoe);
    assertTrue(spoe.contains("    option set-process-time process_time\n"), spoe);
    assertTrue(spoe.contains("    option force-set-var\n"), spoe);
    assertTrue(spoe.contains("    timeout processing 1000ms\n"), spoe);
    assertTrue(spoe.contains("    timeout hello 2000ms\n"), spoe);
    assertTrue(spoe.contains("    timeout idle 30000ms\n"), spoe);
    assertTrue(spoe.contains("    maxconnrate 100\n"), spoe);
    assertTrue(spoe.contains("    max-waiting-frames 10\n"), spoe);
    assertTrue(spoe.contains("    use-backend agents\n"), spoe);
    assertTrue(spoe.contains("spoe-message check\n    args ip=src path=path\n    event on-frontend-http-request\n"),
        spoe);
  }

  @Test
  void rendersHaproxy31Dialect() {
    HaproxyConfig.Rendered r = spoeConfig().render(V31, 8080, DIR);
    assertTrue(r.haproxyCfg().contains("backend agents\n    mode spop\n"), r.haproxyCfg());
    assertFalse(r.haproxyCfg().contains("mode tcp"), r.haproxyCfg());
    assertTrue(r.haproxyCfg().contains("    option spop-check\n"), r.haproxyCfg());
    String spoe = r.spoeConf();
    for (String gone : new String[] {"timeout hello", "timeout idle", "maxconnrate", "max-waiting-frames", "async"}) {
      assertFalse(spoe.contains(gone), gone + " must not be written for 3.1+:\n" + spoe);
    }
    assertTrue(spoe.contains("    timeout processing 1000ms\n"), spoe);
    assertTrue(spoe.contains("    use-backend agents\n"), spoe);
  }

  @Test
  void rulesKeepOrderAndDefaultResponseComesLast() {
    String cfg = spoeConfig().render(V26, 8080, DIR).haproxyCfg();
    int filter = cfg.indexOf("filter spoe");
    int deny = cfg.indexOf("http-request deny");
    int ret = cfg.indexOf("http-request return status 200 content-type text/plain string \"ok\"");
    int after = cfg.indexOf("http-after-response set-header X-Score %[var(txn.spoa.score)] "
        + "if { var(txn.spoa.score) -m found }");
    assertTrue(filter > 0 && filter < deny && deny < ret && ret < after, cfg);
  }

  @Test
  void groupsAddSendRuleWhereDeclared() {
    HaproxyConfig c = HaproxyConfig.builder()
        .engine("eng")
        .agent("127.0.0.1", 1)
        .message(SpoeMessageSection.forGroup("a", "x=path"))
        .message(SpoeMessageSection.forGroup("b"))
        .httpRequest("set-var(txn.first) str(1)")
        .group("g", "a", "b")
        .httpRequest("deny if { var(txn.spoa.deny) -m bool }")
        .build();
    HaproxyConfig.Rendered r = c.render(V26, 1000, DIR);
    assertTrue(r.haproxyCfg().contains("    http-request set-var(txn.first) str(1)\n"
        + "    http-request send-spoe-group eng g\n"
        + "    http-request deny if"), r.haproxyCfg());
    assertTrue(r.spoeConf().startsWith("[eng]\n"), r.spoeConf());
    assertTrue(r.spoeConf().contains("    groups g\n"), r.spoeConf());
    String agentSection = r.spoeConf().substring(0, r.spoeConf().indexOf("\nspoe-message"));
    assertFalse(agentSection.contains("messages"), "no evented message:\n" + r.spoeConf());
    assertTrue(r.spoeConf().endsWith("spoe-group g\n    messages a b\n"), r.spoeConf());
    assertTrue(r.spoeConf().contains("spoe-message b\n"), r.spoeConf());
  }

  @Test
  void registerVarNamesReplacesForceSetVar() {
    String spoe = HaproxyConfig.builder()
        .agent("127.0.0.1", 1)
        .varPrefix("waf")
        .registerVarNames("score", "deny")
        .processingTimeout(Duration.ofMillis(250))
        .message(SpoeMessageSection.onEvent("on-http-response", "resp", "status=status").when("{ status 200 }"))
        .build()
        .render(V26, 1000, DIR).spoeConf();
    assertTrue(spoe.contains("    register-var-names score deny\n"), spoe);
    assertFalse(spoe.contains("force-set-var"), spoe);
    assertTrue(spoe.contains("    option var-prefix waf\n"), spoe);
    assertTrue(spoe.contains("    timeout processing 250ms\n"), spoe);
    assertTrue(spoe.contains("    event on-http-response if { status 200 }\n"), spoe);
  }

  @Test
  void routesUseNamedBackendsAndDefaultBackend() {
    String cfg = HaproxyConfig.builder()
        .route("admin", "{ path_beg /admin }", 403, "admin area")
        .defaultResponse(201, "made")
        .build()
        .render(V26, 1000, DIR).haproxyCfg();
    assertTrue(cfg.contains("    use_backend admin if { path_beg /admin }\n    default_backend default_response\n"), cfg);
    assertTrue(cfg.contains("backend admin\n    http-request return status 403 content-type text/plain string \"admin area\"\n"),
        cfg);
    assertTrue(cfg.contains("backend default_response\n    http-request return status 201 content-type text/plain string \"made\"\n"),
        cfg);
    assertFalse(cfg.contains("filter spoe"), cfg);
    assertFalse(cfg.contains("backend agents"), cfg);
  }

  @Test
  void noAgentNoSpoe() {
    HaproxyConfig.Rendered r = HaproxyConfig.builder().nbthread(4).build().render(V26, 1000, DIR);
    assertNull(r.spoeConf());
    assertFalse(r.hasSpoe());
    assertTrue(r.haproxyCfg().contains("    nbthread 4\n"), r.haproxyCfg());
  }

  @Test
  void tlsAndIpv6Agents() {
    String cfg = HaproxyConfig.builder().agent("a", "::1", 9000).agentTls(true).build()
        .render(V31, 1000, DIR).haproxyCfg();
    assertTrue(cfg.contains("    server a [::1]:9000 ssl verify none\n"), cfg);
    assertFalse(cfg.contains("spop-check"), cfg);
  }

  @Test
  void quotesStrings() {
    assertEquals("\"a \\\"b\\\" \\$HOME \\\\ c\"", ConfigRenderer.quote("a \"b\" $HOME \\ c"));
  }

  @Test
  void rejectsInvalidInput() {
    HaproxyConfig.Builder b = HaproxyConfig.builder();
    assertThrows(IllegalArgumentException.class, () -> b.exposeVar("score", "X-Score"));
    assertThrows(IllegalArgumentException.class, () -> b.exposeVar("txn.spoa.score", "X Score"));
    assertThrows(IllegalArgumentException.class, () -> b.httpRequest("deny\nhttp-request return"));
    assertThrows(IllegalArgumentException.class, () -> b.agent("127.0.0.1", 0));
    assertThrows(IllegalArgumentException.class, () -> b.route("agents", "TRUE", 200, "x"));
    assertThrows(IllegalArgumentException.class, () -> SpoeMessageSection.onRequest("bad name"));
    assertThrows(IllegalArgumentException.class,
        () -> HaproxyConfig.builder().message(SpoeMessageSection.onRequest("m")).build());
    assertThrows(IllegalArgumentException.class,
        () -> HaproxyConfig.builder().agent("127.0.0.1", 1).group("g", "missing").build());
  }
}
