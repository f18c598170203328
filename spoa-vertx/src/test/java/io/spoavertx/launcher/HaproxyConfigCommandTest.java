package io.spoavertx.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.agent.SpoeHandlers;
import io.spoavertx.handler.Actions;
import io.spoavertx.handler.DataType;
import io.spoavertx.handler.MessageSpec;
import io.spoavertx.handler.Scope;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code haproxy-config}: the declarations of the config's handler verticles, or one line saying which declares nothing. */
class HaproxyConfigCommandTest {

  /** Declares {@code tag} (or the message its config names). */
  public static final class TagVerticle extends VerticleBase {
    @Override
    public Future<?> start() {
      MessageSpec spec = MessageSpec.builder(config().getString("message", "tag"))
          .arg("path", config().getString("sample", "path"), DataType.STRING)
          .sets(Scope.TXN, "tag", DataType.STRING)
          .build();
      return SpoeHandlers.register(vertx, spec, m -> Future.succeededFuture(Actions.none())).completion();
    }
  }

  /** Registers a handler without declaring its message. */
  public static final class UndeclaredVerticle extends VerticleBase {
    @Override
    public Future<?> start() {
      return SpoeHandlers.register(vertx, "old-style", m -> Future.succeededFuture(Actions.none())).completion();
    }
  }

  /** Registers nothing. */
  public static final class SilentVerticle extends VerticleBase {
  }

  private record Run(int status, String out, String err) {
  }

  private static Run run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = HaproxyConfigCommand.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static String handlers(String... classes) {
    StringBuilder sb = new StringBuilder("{\"handlers\":[");
    for (int i = 0; i < classes.length; i++) {
      sb.append(i == 0 ? "" : ",").append(classes[i].startsWith("{") ? classes[i] : "{\"class\":\"" + classes[i] + "\"}");
    }
    return sb.append("]}").toString();
  }

  private static final String TAG = TagVerticle.class.getName();

  @Test
  void writesBothFilesFromTheDeclarationsAndSaysSo(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("haproxy");
    Run r = run(Map.of(), "-conf", handlers(TAG), "--out", out.toString(), "--engine", "tags", "--haproxy", "3.x");
    assertEquals(0, r.status(), r.err());
    assertEquals("", r.err());
    assertEquals(List.of("wrote " + out.resolve("haproxy.cfg"), "wrote " + out.resolve("spoe-tags.conf"),
        "  for HAProxy 3.1 and later; engine tags, messages tag, var-prefix spoa, timeout processing 800ms, "
            + "agent at 127.0.0.1:12345"), r.out().lines().toList());
    String spoe = Files.readString(out.resolve("spoe-tags.conf"));
    assertTrue(spoe.contains("spoe-message tag\n    args path=path\n    event on-frontend-http-request\n"), spoe);
    assertTrue(Files.readString(out.resolve("haproxy.cfg")).contains("    mode spop\n"));
  }

  @Test
  void theEnvironmentOverridesTheConfigAsForTheAgent(@TempDir Path dir) throws Exception {
    Run r = run(Map.of("SPOA_LISTENER_PORT", "7000"), "-conf", handlers(TAG), "--out", dir.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(Files.readString(dir.resolve("haproxy.cfg")).contains("    server agent1 127.0.0.1:7000 check inter 5s\n"));
  }

  private static void assertOneLine(Run r, String expected) {
    assertEquals(SpoaLauncher.EXIT_BAD_CONFIG, r.status(), r.out());
    assertEquals(expected, r.err().strip());
    assertEquals(1, r.err().lines().count(), r.err());
  }

  @Test
  void aHandlerVerticleThatDeclaresNothingIsNamed(@TempDir Path dir) {
    assertOneLine(run(Map.of(), "-conf", handlers(TAG, SilentVerticle.class.getName()), "--out", dir.toString()),
        "invalid agent config: handlers[1]: '" + SilentVerticle.class.getName()
            + "' declares no message (it registers no handler): nothing to write for it");
    assertOneLine(run(Map.of(), "-conf", handlers(UndeclaredVerticle.class.getName()), "--out", dir.toString()),
        "invalid agent config: handlers[0]: '" + UndeclaredVerticle.class.getName() + "' registers a handler at "
            + "spoa.message.old-style without declaring its message: register it with a MessageSpec "
            + "(SpoeHandlers.register(vertx, spec, handler))");
    assertOneLine(run(Map.of(), "-conf", "{}", "--out", dir.toString()),
        "invalid agent config: handlers: the config deploys no handler verticles: no message is declared, nothing to write");
    assertTrue(!Files.exists(dir.resolve("haproxy.cfg")), "nothing written");
  }

  @Test
  void declarationsMustAgreeWithTheConfigAndWithEachOther(@TempDir Path dir) {
    String routed = "{\"handlers\":[{\"class\":\"" + TAG + "\"}],\"dispatch\":{\"routes\":{\"tag\":{\"address\":\"tags\"}}}}";
    assertOneLine(run(Map.of(), "-conf", routed, "--out", dir.toString()),
        "invalid agent config: handlers[0]: '" + TAG + "' declares message 'tag' at address spoa.message.tag, but the "
            + "agent sends it to tags (dispatch.routes.tag.address, dispatch.addressPrefix)");
    String twice = handlers(TAG, "{\"class\":\"" + TAG + "\",\"config\":{\"sample\":\"url\"}}");
    Run r = run(Map.of(), "-conf", twice, "--out", dir.toString());
    assertEquals(SpoaLauncher.EXIT_BAD_CONFIG, r.status());
    assertTrue(r.err().startsWith("invalid agent config: handlers[1]: '" + TAG + "' declares message 'tag' differently "
        + "from handlers[0]: "), r.err());
    String direct = "{\"handlers\":[{\"class\":\"" + TAG + "\"}],\"dispatch\":{\"routes\":{\"x\":{\"handler\":\""
        + NoopHandler.class.getName() + "\"}}}}";
    r = run(Map.of(), "-conf", direct, "--out", dir.toString());
    assertEquals(SpoaLauncher.EXIT_BAD_CONFIG, r.status());
    assertTrue(r.err().startsWith("invalid agent config: dispatch.routes.x.handler: '" + NoopHandler.class.getName()
        + "' is a direct handler class, which cannot declare its message"), r.err());
  }

  /** A direct handler class of the config ({@code dispatch.routes.<m>.handler}). */
  public static final class NoopHandler implements io.spoavertx.handler.SpoeHandler {
    @Override
    public Future<Actions> handle(io.spoavertx.handler.SpoeMessage message) {
      return Future.succeededFuture(Actions.none());
    }
  }

  @Test
  void badConfigsAndOptionsAreOneLine(@TempDir Path dir) {
    assertOneLine(run(Map.of(), "-conf", dir.resolve("typo.json").toString()),
        "invalid agent config: " + dir.resolve("typo.json") + ": no such file");
    assertOneLine(run(Map.of(), "--haproxy", "2.4"), "haproxy-config: --haproxy 2.4: HAProxy 2.6 or later is needed");
    assertOneLine(run(Map.of(), "--out"), "haproxy-config: option --out needs a value (-h lists the options)");
    assertOneLine(run(Map.of(), "-cluster"), "haproxy-config: unknown option -cluster (-h lists the options)");
    assertOneLine(run(Map.of(), "-conf", "{\"listener\":{\"port\":0},\"handlers\":[{\"class\":\"" + TAG + "\"}]}",
        "--out", dir.toString()), "invalid agent config: listener.port: 0 (any free port): HAProxy needs the agent's fixed port");
  }

  @Test
  void helpListsTheOptions() {
    Run r = run(Map.of(), "-h");
    assertEquals(0, r.status());
    assertTrue(r.out().startsWith("Usage: java -jar spoa-agent.jar haproxy-config [-conf FILE|JSON] [--haproxy 2.6|3.x] [--out DIR]"), r.out());
    for (String option : List.of("--engine", "--var-prefix", "--bind", "timeout processing", "Exit status")) {
      assertTrue(r.out().contains(option), option);
    }
    assertTrue(SpoaLauncher.usage().contains("haproxy-config -h lists its options"), "the agent's own -h points at it");
  }
}
