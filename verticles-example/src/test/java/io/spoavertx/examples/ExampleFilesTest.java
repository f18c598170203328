package io.spoavertx.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.HandlerDeployment;
import io.spoavertx.testing.haproxy.HaproxyBinary;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The files a user copies: every agent config is valid, every HAProxy config passes {@code haproxy -c}. */
class ExampleFilesTest {

  private static List<Path> list(String dir, String suffix) throws Exception {
    try (Stream<Path> s = Files.walk(ExampleAgents.repoRoot().resolve(dir))) {
      return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }

  @Test
  void everyAgentConfigIsValidAndNamesExistingHandlerClasses() throws Exception {
    List<Path> configs = list("conf/examples", ".json");
    assertTrue(configs.size() >= 4, configs.toString());
    for (Path p : configs) {
      AgentConfig config = AgentConfig.fromJson(new JsonObject(Files.readString(p)));
      assertEquals(12345, config.listener().port(), p + ": the HAProxy examples expect 12345");
      assertFalse(config.handlers().isEmpty(), p.toString());
      for (HandlerDeployment h : config.handlers()) {
        Class.forName(h.className());
      }
    }
  }

  @Test
  void everyHaproxyConfigPassesHaproxyCheck() throws Exception {
    Optional<HaproxyBinary> haproxy = HaproxyBinary.find();
    Assumptions.assumeTrue(haproxy.isPresent() || "true".equals(System.getenv("CI")), "no haproxy binary");
    List<Path> configs = list("conf/haproxy", "haproxy.cfg");
    assertTrue(configs.size() >= 4, configs.toString());
    for (Path cfg : configs) {
      Process p = new ProcessBuilder(haproxy.orElseThrow().path().toString(), "-c", "-f", cfg.toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), cfg + ": haproxy -c did not finish");
      assertEquals(0, p.exitValue(), cfg + ":\n" + out);
    }
  }
}
