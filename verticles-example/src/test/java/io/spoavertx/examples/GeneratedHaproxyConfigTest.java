package io.spoavertx.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.launcher.HaproxyConfigCommand;
import io.spoavertx.testing.haproxy.HaproxyBinary;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The examples' HAProxy configs come from {@code haproxy-config}: generated from
 * conf/examples/NAME.json and the handlers' declarations, haproxy 2.6 accepts them, and
 * conf/haproxy/NAME/ holds exactly what the generator writes (regenerate it when this fails).
 */
class GeneratedHaproxyConfigTest {

  private static Path generate(String example, String haproxy, Path out) {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    String conf = ExampleAgents.repoRoot().resolve("conf/examples/" + example + ".json").toString();
    int status = HaproxyConfigCommand.run(new String[] {"-conf", conf, "--engine", example, "--haproxy", haproxy,
            "--out", out.toString()}, Map.of(), new PrintStream(stdout, true, StandardCharsets.UTF_8),
        new PrintStream(stderr, true, StandardCharsets.UTF_8));
    assertEquals(0, status, stderr.toString(StandardCharsets.UTF_8));
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"reputation", "rate-limit", "ab-routing", "blocking-lookup"})
  void haproxy26AcceptsTheGeneratedConfig(String example, @TempDir Path dir) throws Exception {
    Optional<HaproxyBinary> haproxy = HaproxyBinary.find();
    Assumptions.assumeTrue(haproxy.isPresent() || "true".equals(System.getenv("CI")), "no haproxy binary");
    Assumptions.assumeFalse(haproxy.orElseThrow().isSpopMux(), "the 2.6 config is for HAProxy before 3.1");
    Path cfg = generate(example, "2.6", dir).resolve("haproxy.cfg");
    Process p = new ProcessBuilder(haproxy.orElseThrow().path().toString(), "-c", "-f", cfg.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "haproxy -c did not finish");
    assertEquals(0, p.exitValue(), example + ":\n" + out);
    assertTrue(out.contains("Configuration file is valid"), out);
    assertFalse(out.contains("WARNING"), example + ":\n" + out);
  }

  @ParameterizedTest
  @ValueSource(strings = {"reputation", "rate-limit", "ab-routing", "blocking-lookup"})
  void theShippedConfigIsWhatTheGeneratorWrites(String example, @TempDir Path dir) throws Exception {
    Path generated = generate(example, "2.6", dir);
    Path shipped = ExampleAgents.repoRoot().resolve("conf/haproxy/" + example);
    String regenerate = "conf/haproxy/" + example + "/ drifted from its handlers' declarations or its agent config; "
        + "regenerate it: java -jar verticles-example/target/spoa-agent.jar haproxy-config -conf conf/examples/"
        + example + ".json --engine " + example + " --out conf/haproxy/" + example;
    for (String file : new String[] {"haproxy.cfg", "spoe-" + example + ".conf"}) {
      assertEquals(Files.readString(generated.resolve(file)), Files.readString(shipped.resolve(file)), file + ": " + regenerate);
    }
    try (var files = Files.list(shipped)) {
      assertEquals(2, files.count(), "conf/haproxy/" + example + " holds the two generated files only");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"reputation", "rate-limit", "ab-routing", "blocking-lookup"})
  void forHaproxy3TheAgentBackendIsSpop(String example, @TempDir Path dir) throws Exception {
    Path out = generate(example, "3.x", dir);
    String cfg = Files.readString(out.resolve("haproxy.cfg"));
    String spoe = Files.readString(out.resolve("spoe-" + example + ".conf"));
    assertTrue(cfg.contains("backend spoa-agents\n    mode spop\n    balance roundrobin\n    option spop-check\n"), cfg);
    assertFalse(cfg.contains("mode tcp"), cfg);
    assertFalse(spoe.contains("timeout hello") || spoe.contains("timeout idle"), spoe);
    assertTrue(spoe.contains("    use-backend spoa-agents\n"), spoe);
  }
}
