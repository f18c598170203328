package io.spoavertx.testing.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * End to end through real haproxy and a minimal fake SPOE agent (raw Vert.x NetServer), to prove the
 * rendered configuration works: health check, NOTIFY/ACK, variables, rules, headers.
 */
class SpoeSmokeTest {

  @RegisterExtension
  static HaproxyExtension haproxy = HaproxyExtension.manual();

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private static Vertx vertx;
  private static FakeAgent agent;
  private static int agentPort;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    agent = new FakeAgent();
    NetServer server = vertx.createNetServer().connectHandler(agent::connected);
    agentPort = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
        .get(5, TimeUnit.SECONDS).actualPort();
    haproxy.start(HaproxyConfig.builder()
        .agent("127.0.0.1", agentPort)
        .agentHealthCheck(true)
        .message(SpoeMessageSection.onRequest("check", "path=path", "ip=src"))
        .message(SpoeMessageSection.forGroup("extra", "ua=req.hdr(user-agent)"))
        .group("later", "extra")
        .httpRequest("deny deny_status 403 if { var(txn.spoa.deny) -m bool }")
        .route("vip", "{ var(txn.spoa.score) -m int gt 100 }", 299, "vip")
        .exposeVar("txn.spoa.score", "X-Score")
        .exposeVar("txn.spoa.ua_seen", "X-Ua-Seen")
        .exposeVar("txn.spoa.error", "X-Spoe-Error")
        .exposeVar("txn.spoa.process_time", "X-Spoe-Time")
        .build());
  }

  @AfterAll
  static void stop() throws Exception {
    haproxy.stop();
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return send(haproxy.httpUrl(path));
  }

  private static HttpResponse<String> send(java.net.URI uri) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri).header("User-Agent", "smoke")
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthCheckBringsAgentUp() {
    haproxy.process().awaitServerUp(HaproxyConfig.AGENT_BACKEND, "agent1", Duration.ofSeconds(5));
    assertEquals("UP", haproxy.process().serverStatus("agents", "agent1"));
    assertTrue(agent.healthchecks.get() > 0, "a HELLO with healthcheck=true was received");
  }

  @Test
  void agentVariablesReachRulesAndHeaders() throws Exception {
    haproxy.process().awaitAgentsUp(Duration.ofSeconds(5));

    HttpResponse<String> ok = get("/hello");
    assertEquals(200, ok.statusCode(), haproxy.log());
    assertEquals("ok", ok.body());
    assertEquals("42", ok.headers().firstValue("X-Score").orElse(null), ok.headers().toString());
    assertTrue(ok.headers().firstValue("X-Spoe-Time").isPresent(), ok.headers().toString());
    assertFalse(ok.headers().firstValue("X-Spoe-Error").isPresent(), ok.headers().toString());
    // the group message is sent by the send-spoe-group rule
    assertEquals("smoke", ok.headers().firstValue("X-Ua-Seen").orElse(null), ok.headers().toString());

    // SPOE runs before the http-request rules: the agent's deny var triggers the deny rule,
    // and http-after-response still decorates HAProxy's own 403
    HttpResponse<String> denied = get("/blocked");
    assertEquals(403, denied.statusCode());
    assertEquals("42", denied.headers().firstValue("X-Score").orElse(null), denied.headers().toString());

    // use_backend sees the agent's variables
    HttpResponse<String> vip = get("/vip");
    assertEquals(299, vip.statusCode());
    assertEquals("vip", vip.body());
    assertEquals("1000", vip.headers().firstValue("X-Score").orElse(null));

    assertTrue(agent.notifiedPaths.containsAll(List.of("/hello", "/blocked", "/vip")), agent.notifiedPaths.toString());
    assertEquals("127.0.0.1", agent.lastIp);
  }

  @Test
  void frontendReturnRunsAfterSpoeEvent() throws Exception {
    // no routes: the default answer is "http-request return" in the frontend itself
    HaproxyConfig config = HaproxyConfig.builder()
        .agent("127.0.0.1", agentPort)
        .message(SpoeMessageSection.onRequest("check", "path=path"))
        .httpRequest("deny deny_status 403 if { var(txn.spoa.deny) -m bool }")
        .exposeVar("txn.spoa.score", "X-Score")
        .build();
    try (HaproxyProcess p = HaproxyProcess.start(haproxy.binary(), config)) {
      assertTrue(p.rendered().haproxyCfg().contains("http-request return status 200"));
      HttpResponse<String> ok = send(p.httpUrl("/plain"));
      assertEquals(200, ok.statusCode(), p.log());
      assertEquals("ok", ok.body());
      assertEquals("42", ok.headers().firstValue("X-Score").orElse(null), p.log());
      assertEquals(403, send(p.httpUrl("/blocked")).statusCode(), p.log());
      assertTrue(p.awaitLog("SPOE: [agent] <EVENT:on-frontend-http-request>", Duration.ofSeconds(5)), p.log());
    }
  }

  @Test
  void unreachableAgentSetsErrorVariable() throws Exception {
    HaproxyConfig config = HaproxyConfig.builder()
        .agent("127.0.0.1", HaproxyProcess.freePort())
        .message(SpoeMessageSection.onRequest("check", "path=path"))
        .exposeVar("txn.spoa.error", "X-Spoe-Error")
        .exposeVar("txn.spoa.score", "X-Score")
        .build();
    try (HaproxyProcess p = HaproxyProcess.start(haproxy.binary(), config)) {
      HttpResponse<String> r = send(p.httpUrl("/"));
      assertEquals(200, r.statusCode(), p.log());
      assertTrue(r.headers().firstValue("X-Spoe-Error").isPresent(), r.headers().toString());
      assertFalse(r.headers().firstValue("X-Score").isPresent(), r.headers().toString());
    }
  }

  /** Just enough SPOP v2 to answer HAProxy: HELLO, NOTIFY -> ACK, DISCONNECT. */
  static final class FakeAgent {
    final AtomicInteger healthchecks = new AtomicInteger();
    final List<String> notifiedPaths = new CopyOnWriteArrayList<>();
    volatile String lastIp;

    void connected(NetSocket socket) {
      RecordParser parser = RecordParser.newFixed(4);
      int[] frameLength = {-1};
      parser.handler(chunk -> {
        if (frameLength[0] < 0) {
          frameLength[0] = chunk.getInt(0);
          parser.fixedSizeMode(frameLength[0]);
        } else {
          frameLength[0] = -1;
          parser.fixedSizeMode(4);
          frame(socket, chunk.getBytes());
        }
      });
      socket.handler(parser);
      socket.exceptionHandler(e -> { }); // HAProxy resets health-check connections
    }

    private void frame(NetSocket socket, byte[] f) {
      Reader r = new Reader(f);
      int type = r.u8();
      r.pos += 4; // flags
      long sid = r.varint();
      long fid = r.varint();
      switch (type) {
        case 1 -> { // HAPROXY-HELLO
          Map<String, Object> kv = r.kvList();
          if (Boolean.TRUE.equals(kv.get("healthcheck"))) {
            healthchecks.incrementAndGet();
          }
          long maxFrame = ((Number) kv.getOrDefault("max-frame-size", 16380L)).longValue();
          ByteArrayOutputStream p = new ByteArrayOutputStream();
          name(p, "version");
          string(p, "2.0");
          name(p, "max-frame-size");
          p.write(3);
          varint(p, maxFrame);
          name(p, "capabilities");
          string(p, "pipelining");
          socket.write(frame(101, 0, 0, p.toByteArray()));
        }
        case 3 -> { // NOTIFY
          ByteArrayOutputStream p = new ByteArrayOutputStream();
          while (r.pos < f.length) {
            String message = r.name();
            int nbArgs = r.u8();
            for (int i = 0; i < nbArgs; i++) {
              String arg = r.name();
              Object value = r.typed();
              if (message.equals("check") && arg.equals("path")) {
                String path = (String) value;
                notifiedPaths.add(path);
                setVar(p, "score", path.equals("/vip") ? 1000 : 42);
                if (path.equals("/blocked")) {
                  p.writeBytes(new byte[] {1, 3, 2});
                  name(p, "deny");
                  p.write(0x11);
                }
              } else if (message.equals("check") && arg.equals("ip")) {
                lastIp = (String) value;
              } else if (message.equals("extra") && arg.equals("ua")) {
                p.writeBytes(new byte[] {1, 3, 2});
                name(p, "ua_seen");
                string(p, String.valueOf(value));
              }
            }
          }
          socket.write(frame(103, sid, fid, p.toByteArray()));
        }
        case 2 -> { // HAPROXY-DISCONNECT
          ByteArrayOutputStream p = new ByteArrayOutputStream();
          name(p, "status-code");
          p.write(3);
          varint(p, 0);
          name(p, "message");
          string(p, "bye");
          socket.write(frame(102, 0, 0, p.toByteArray())).onComplete(x -> socket.close());
        }
        default -> socket.close();
      }
    }

    private static void setVar(ByteArrayOutputStream p, String name, long value) {
      p.writeBytes(new byte[] {1, 3, 2}); // SET-VAR, 3 args, scope txn
      name(p, name);
      p.write(4); // INT64
      varint(p, value);
    }

    private static Buffer frame(int type, long sid, long fid, byte[] payload) {
      ByteArrayOutputStream f = new ByteArrayOutputStream();
      f.write(type);
      f.writeBytes(new byte[] {0, 0, 0, 1}); // FIN
      varint(f, sid);
      varint(f, fid);
      f.writeBytes(payload);
      return Buffer.buffer().appendInt(f.size()).appendBytes(f.toByteArray());
    }

    private static void name(ByteArrayOutputStream out, String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      varint(out, b.length);
      out.writeBytes(b);
    }

    private static void string(ByteArrayOutputStream out, String s) {
      out.write(8);
      name(out, s);
    }

    private static void varint(ByteArrayOutputStream out, long i) {
      if (Long.compareUnsigned(i, 240) < 0) {
        out.write((int) i);
        return;
      }
      out.write((int) (i & 0xFF) | 0xF0);
      i = (i - 240) >>> 4;
      while (Long.compareUnsigned(i, 128) >= 0) {
        out.write((int) (i & 0xFF) | 0x80);
        i = (i - 128) >>> 7;
      }
      out.write((int) i);
    }
  }

  private static final class Reader {
    final byte[] b;
    int pos;

    Reader(byte[] b) {
      this.b = b;
    }

    int u8() {
      return b[pos++] & 0xFF;
    }

    long varint() {
      long v = u8();
      if (v < 240) {
        return v;
      }
      int shift = 4;
      int x;
      do {
        x = u8();
        v += (long) x << shift;
        shift += 7;
      } while (x >= 128);
      return v;
    }

    String name() {
      int len = (int) varint();
      String s = new String(b, pos, len, StandardCharsets.UTF_8);
      pos += len;
      return s;
    }

    Object typed() {
      int type = u8() & 0x0F;
      return switch (type) {
        case 0 -> null;
        case 1 -> (b[pos - 1] & 0x10) != 0;
        case 2, 3, 4, 5 -> varint();
        case 6, 7 -> {
          byte[] addr = java.util.Arrays.copyOfRange(b, pos, pos + (type == 6 ? 4 : 16));
          pos += addr.length;
          try {
            yield java.net.InetAddress.getByAddress(addr).getHostAddress();
          } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
          }
        }
        case 8, 9 -> name();
        default -> throw new IllegalStateException("bad type " + type);
      };
    }

    Map<String, Object> kvList() {
      Map<String, Object> kv = new HashMap<>();
      while (pos < b.length) {
        kv.put(name(), typed());
      }
      return kv;
    }
  }
}
