package io.spoavertx.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The launcher's command line and config sources: SPOA's own help, no -instances, -conf fails closed. */
class LauncherTest {

  private record Run(int status, String out, String err) {
  }

  /** Only runs that end before Vert.x starts (help, usage and config errors). */
  private static Run launch(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = SpoaLauncher.launch(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-h", "-help", "--help"})
  void helpIsTheAgentsOwn(String flag) {
    Run r = launch(Map.of(), flag);
    assertEquals(0, r.status());
    assertTrue(r.out().startsWith("Usage: java [-Djava.util.logging.config.file=FILE] -jar spoa-agent.jar [options]"), r.out());
    assertTrue(r.out().contains("-conf FILE|JSON"), r.out());
    assertTrue(r.out().contains("SIGHUP"), r.out());
    assertTrue(r.out().contains("listener.instances"), r.out());
    assertFalse(r.out().contains("<mainVerticle>"), "not Vert.x's generic usage: " + r.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {"-instances", "--instances"})
  void instancesIsRefusedPointingAtTheConfigKey(String flag) {
    for (String[] args : List.of(new String[] {flag, "2"}, new String[] {flag + "=2"})) {
      Run r = launch(Map.of(), args);
      assertEquals(SpoaLauncher.EXIT_BAD_CONFIG, r.status());
      assertEquals(1, r.err().lines().count(), r.err());
      assertTrue(r.err().contains("listener.instances"), r.err());
      assertTrue(r.err().contains("several agents on one port"), r.err());
    }
  }

  @Test
  void unknownOptionsAndArgumentsAreRefused() {
    Run r = launch(Map.of(), "-confg", "x.json");
    assertEquals(2, r.status());
    assertEquals("unknown option -confg (-h lists the options)", r.err().strip());
    r = launch(Map.of(), "io.example.MainVerticle");
    assertEquals(2, r.status());
    assertTrue(r.err().startsWith("unexpected argument 'io.example.MainVerticle'"), r.err());
    r = launch(Map.of(), "-conf");
    assertEquals(2, r.status());
    assertTrue(r.err().contains("-conf needs a value"), r.err());
  }

  @Test
  void theCommandLineSplitsTheLaunchersOptionsFromVertxs() {
    SpoaLauncher.CommandLine cl = SpoaLauncher.CommandLine.parse(new String[] {
        "-conf=a.json", "-cluster", "-cluster-host", "127.0.0.1", "--cluster-port=5000", "--debug"});
    assertEquals("a.json", cl.conf);
    assertTrue(cl.debug);
    assertEquals(List.of("-cluster", "-cluster-host", "127.0.0.1", "--cluster-port", "5000"), cl.vertxArgs);
  }

  @Test
  void aMissingConfigFileExitsWithOneLineNamingIt(@TempDir Path dir) {
    String missing = dir.resolve("typo.json").toString();
    Run r = launch(Map.of(), "-conf", missing);
    assertEquals(SpoaLauncher.EXIT_BAD_CONFIG, r.status());
    assertEquals("invalid agent config: " + missing + ": no such file", r.err().strip());
  }

  @Test
  void aBadEnvironmentVariableExitsWithOneLineNamingItAndTheKey() {
    Run r = launch(Map.of("SPOA_DISPATCH_DEADLINEMS", "fast"), "-conf", "{}");
    assertEquals(SpoaLauncher.EXIT_BAD_CONFIG, r.status());
    assertEquals("invalid agent config: dispatch.deadlineMs: environment variable SPOA_DISPATCH_DEADLINEMS: "
        + "expected an integer, got \"fast\"", r.err().strip());
  }

  @Test
  void debugAddsTheStackTrace(@TempDir Path dir) {
    Run r = launch(Map.of(), "--debug", "-conf", dir.resolve("nope.json").toString());
    assertEquals(2, r.status());
    assertTrue(r.err().lines().count() > 2, r.err());
    assertTrue(r.err().contains("\tat io.spoavertx.launcher.ConfigSource"), r.err());
  }

  @Test
  void configFilesFailClosed(@TempDir Path dir) throws Exception {
    Path yaml = Files.writeString(dir.resolve("agent.yaml"), "listener:\n  port: 1\n");
    Path truncated = Files.writeString(dir.resolve("truncated.json"), "{\"listener\": {\"port\": 0");
    Path empty = Files.writeString(dir.resolve("empty.json"), "\n");
    Path array = Files.writeString(dir.resolve("array.json"), "[{}]");
    Path trailing = Files.writeString(dir.resolve("trailing.json"), "{} {}");
    assertProblem(yaml.toString(), "not a JSON object: Unrecognized token 'listener'");
    assertProblem(truncated.toString(), "not a JSON object: Unexpected end-of-input: expected close marker for Object at line 1, column 24");
    assertProblem(empty.toString(), "empty, expected a JSON object");
    assertProblem(array.toString(), "not a JSON object: the document is an array");
    assertProblem(trailing.toString(), "not a JSON object: ");
    assertProblem(dir.toString(), "is a directory, not a config file");
    assertProblem(dir.resolve("missing.json").toString(), "no such file");
    Path unreadable = Files.writeString(dir.resolve("unreadable.json"), "{}");
    if (unreadable.toFile().setReadable(false) && !Files.isReadable(unreadable)) { // not when running as root
      assertProblem(unreadable.toString(), "permission denied");
    }
  }

  private static void assertProblem(String file, String problem) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigSource.of(file).read());
    assertEquals(file, e.key());
    assertTrue(e.problem().startsWith(problem), e.getMessage());
    assertFalse(e.getMessage().contains("[Source:"), e.getMessage());
  }

  @Test
  void inlineJsonIsTheConfigItselfAndAFileIsReadAsIs(@TempDir Path dir) throws Exception {
    assertEquals(ConfigSource.Kind.INLINE, ConfigSource.of(" {\"listener\":{}}").kind());
    Path f = Files.writeString(dir.resolve("agent.json"), "{\"listener\":{\"port\":7}}");
    ConfigSource file = ConfigSource.of(f.toString());
    assertEquals(ConfigSource.Kind.FILE, file.kind());
    assertEquals(7, file.read().getJsonObject("listener").getInteger("port"));
    assertTrue(file.describe().startsWith("config file /"), file.describe());
  }

  @Test
  void withoutConfTheEmbeddedDefaultRunsOnlyIfThereIsOne() {
    ConfigSource none = ConfigSource.of(null);
    // this module embeds no spoa-agent.json: the defaults, and the log line says why
    assertEquals(ConfigSource.Kind.NONE, none.kind());
    assertTrue(none.describe().contains("no -conf was given"), none.describe());
    assertEquals(0, none.read().size());
  }

  @Test
  void prepareAppliesTheEnvironmentAndChecksTlsFiles(@TempDir Path dir) {
    SpoaLauncher.Prepared p = SpoaLauncher.prepare(ConfigSource.of("{\"listener\":{\"port\":5}}"),
        Map.of("SPOA_PROTOCOL_MAXFRAMESIZE", "4096"));
    assertEquals(4096, p.config().protocol().maxFrameSize());
    assertEquals(5, p.config().listener().port());
    assertEquals(4096, p.json().getJsonObject("protocol").getInteger("maxFrameSize"), "the verticle gets the same");
    String missing = dir.resolve("agent.p12").toString();
    ConfigException e = assertThrows(ConfigException.class, () -> SpoaLauncher.prepare(ConfigSource.of("{}"),
        Map.of("SPOA_LISTENER_TLS_KEYSTORE", missing, "SPOA_LISTENER_TLS_KEYSTOREPASSWORD", "x")));
    assertEquals("invalid agent config: listener.tls.keyStore: cannot read '" + missing + "': no such file", e.getMessage());
  }
}
