package io.spoavertx.testing.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the real haproxy without any SPOE agent. */
class HaproxyProcessTest {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private static HaproxyBinary binary;

  @BeforeAll
  static void haproxy() {
    binary = HaproxyExtension.requireBinary(HaproxyBinary.find(), System.getenv("CI"));
  }

  static HttpResponse<String> get(HaproxyProcess p, String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(p.httpUrl(path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answersWithDefaultResponseAndLogsRequests() throws Exception {
    try (HaproxyProcess p = HaproxyProcess.start(binary, HaproxyConfig.builder().build())) {
      assertTrue(p.isAlive());
      assertEquals("http://127.0.0.1:" + p.frontendPort() + "/", p.httpUrl().toString());
      HttpResponse<String> r = get(p, "/hello?x=1");
      assertEquals(200, r.statusCode());
      assertEquals("ok", r.body());
      assertEquals("text/plain", r.headers().firstValue("content-type").orElse(""));
      assertTrue(p.awaitLog("GET /hello?x=1 HTTP/1.1", Duration.ofSeconds(5)), p.log());
      assertTrue(p.log().contains("Configuration file is valid"), p.log());
    }
  }

  @Test
  void routesRulesAndHeaders() throws Exception {
    HaproxyConfig config = HaproxyConfig.builder()
        .nbthread(2)
        .httpRequest("set-var(txn.spoa.score) int(7) if { path /scored }")
        .httpRequest("deny deny_status 403 if { path_beg /denied }")
        .route("admin", "{ path_beg /admin }", 418, "admin \"area\" $HOME \\")
        .defaultResponse(202, "fallback")
        .exposeVar("txn.spoa.score", "X-Score")
        .build();
    try (HaproxyProcess p = HaproxyProcess.start(binary, config)) {
      HttpResponse<String> admin = get(p, "/admin/x");
      assertEquals(418, admin.statusCode());
      assertEquals("admin \"area\" $HOME \\", admin.body());
      assertEquals(202, get(p, "/other").statusCode());
      assertEquals("fallback", get(p, "/other").body());
      HttpResponse<String> scored = get(p, "/scored");
      assertEquals("7", scored.headers().firstValue("X-Score").orElse(null));
      assertFalse(get(p, "/other").headers().firstValue("X-Score").isPresent());
      assertEquals(403, get(p, "/denied").statusCode());
    }
  }

  @Test
  void invalidConfigIsReportedWithHaproxyMessage() throws IOException {
    HaproxyConfig config = HaproxyConfig.builder().httpRequest("frobnicate now").build();
    long tempDirsBefore = countWorkDirs();
    HaproxyException e = assertThrows(HaproxyException.class, () -> HaproxyProcess.start(binary, config));
    assertTrue(e.getMessage().startsWith("haproxy -c rejected the configuration"), e.getMessage());
    assertTrue(e.getMessage().contains("[ALERT]"), e.getMessage());
    assertTrue(e.getMessage().contains("frobnicate"), e.getMessage());
    assertTrue(e.getMessage().contains("--- haproxy.cfg ---"), e.getMessage());
    assertEquals(tempDirsBefore, countWorkDirs(), "the work directory is removed");
  }

  @Test
  void invalidSpoeConfigIsReported() {
    HaproxyConfig config = HaproxyConfig.builder()
        .agent("127.0.0.1", 9)
        .message(SpoeMessageSection.onRequest("check", "ip=src"))
        .agentLine("frobnicate yes")
        .build();
    HaproxyException e = assertThrows(HaproxyException.class, () -> HaproxyProcess.start(binary, config));
    assertTrue(e.getMessage().contains("spoe.conf"), e.getMessage());
    assertTrue(e.getMessage().contains("--- spoe.conf ---"), e.getMessage());
  }

  @Test
  void stopEndsTheProcessAndFreesThePort() throws Exception {
    HaproxyProcess p = HaproxyProcess.start(binary, HaproxyConfig.builder().build());
    long pid = p.pid();
    Path dir = p.workDir();
    assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    assertTrue(Files.exists(dir.resolve("haproxy.cfg")));
    assertTrue(Files.exists(dir.resolve("admin.sock")));
    p.stop();
    p.stop(); // idempotent
    assertFalse(p.isAlive());
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " still alive");
    assertFalse(Files.exists(dir), "work dir deleted");
    assertThrows(IOException.class, () -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", p.frontendPort()), 500);
      }
    });
  }

  @Test
  void runtimeApiAndServerStatus() throws Exception {
    HaproxyConfig config = HaproxyConfig.builder().agent("127.0.0.1", HaproxyProcess.freePort()).build();
    try (HaproxyProcess p = HaproxyProcess.start(binary, config)) {
      String info = p.runtimeCommand("show info");
      assertTrue(info.contains("Version: " + binary.version().major() + "." + binary.version().minor()), info);
      assertTrue(info.contains("Pid: " + p.pid()), info);
      assertEquals("no check", p.serverStatus("agents", "agent1"));
      assertThrows(IllegalStateException.class, () -> p.awaitServerUp("agents", "agent1", Duration.ofSeconds(1)));
      assertThrows(HaproxyException.class, () -> p.serverStatus("agents", "nope"));
    }
  }

  @Test
  void serverDownTimesOutWithLastCheck() {
    HaproxyConfig config = HaproxyConfig.builder()
        .agent("127.0.0.1", HaproxyProcess.freePort()).agentHealthCheck(true).build();
    try (HaproxyProcess p = HaproxyProcess.start(binary, config)) {
      HaproxyException e = assertThrows(HaproxyException.class, () -> p.awaitAgentsUp(Duration.ofSeconds(2)));
      assertTrue(e.getMessage().contains("agents/agent1 not UP"), e.getMessage());
      assertTrue(e.getMessage().contains("L4CON"), e.getMessage());
    }
  }

  @Test
  void fixedPortIsUsed() throws Exception {
    int port = HaproxyProcess.freePort();
    try (HaproxyProcess p = HaproxyProcess.start(binary, HaproxyConfig.builder().frontendPort(port).build())) {
      assertEquals(port, p.frontendPort());
      assertEquals(200, get(p, "/").statusCode());
    }
  }

  @Test
  void portInUseIsReported() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      HaproxyConfig config = HaproxyConfig.builder().frontendPort(taken.getLocalPort()).build();
      HaproxyException e = assertThrows(HaproxyException.class, () -> HaproxyProcess.start(binary, config));
      assertTrue(e.getMessage().contains("cannot bind socket"), e.getMessage());
    }
  }

  private static long countWorkDirs() throws IOException {
    try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return s.filter(x -> x.getFileName().toString().startsWith("spoa-haproxy-")).count();
    }
  }
}
