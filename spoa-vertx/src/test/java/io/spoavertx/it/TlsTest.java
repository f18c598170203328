package io.spoavertx.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spoavertx.agent.SpoaAgent;
import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.config.TlsOptions;
import io.spoavertx.handler.Actions;
import io.spoavertx.handler.Scope;
import io.spoavertx.testing.AckAssert;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.SpopTestClient;
import io.spoavertx.testing.SpopTestClientOptions;
import io.spoavertx.testing.haproxy.HaproxyConfig;
import io.spoavertx.testing.haproxy.HaproxyExtension;
import io.spoavertx.testing.haproxy.SpoeMessageSection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** TLS on the agent listener: the fake HAProxy over TLS, and real HAProxy with {@code ssl} on the server line. */
class TlsTest {

  @RegisterExtension
  static HaproxyExtension haproxy = HaproxyExtension.manual();

  @TempDir
  static Path dir;

  private static Vertx vertx;
  private static SpoaAgent agent;

  @BeforeAll
  static void start() throws Exception {
    Path store = dir.resolve("agent.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "agent", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", "changeit").redirectErrorStream(true).start();
    assertEquals(0, keytool.waitFor(), new String(keytool.getInputStream().readAllBytes()));
    vertx = Vertx.vertx();
    AgentConfig config = AgentConfig.DEFAULT.withListener(ListenerOptions.DEFAULT.withPort(0)
        .withTls(new TlsOptions(store.toString(), "changeit", null, null)));
    agent = SpoaAgent.create(vertx, config).directHandler("check", m ->
        Future.succeededFuture(Actions.create().setVar(Scope.TXN, "tls", "yes")));
    int port = agent.start().await(10, TimeUnit.SECONDS);
    haproxy.start(HaproxyConfig.builder()
        .agent("127.0.0.1", port)
        .agentTls(true)
        .message(SpoeMessageSection.onRequest("check", "ip=src"))
        .exposeVar("txn.spoa.tls", "X-Tls")
        .exposeVar("txn.spoa.error", "X-Spoe-Error")
        .build());
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void fakeHaproxyOverTls() throws Exception {
    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", agent.port(), new SpopTestClientOptions()
        .netClientOptions(new NetClientOptions().setSsl(true).setTrustAll(true).setHostnameVerificationAlgorithm(""))).await(10, TimeUnit.SECONDS);
    client.hello().await(10, TimeUnit.SECONDS);
    AckAssert.assertThat(client.notify(List.of(Message.of("check"))).await(10, TimeUnit.SECONDS))
        .setsVar(io.spoavertx.testing.VarScope.TXN, "tls", "yes");
  }

  @Test
  void realHaproxyWithSslOnTheAgentServerLine() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(haproxy.httpUrl("/"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertEquals("yes", r.headers().firstValue("X-Tls").orElse(null), haproxy.log());
  }
}
