package io.spoavertx.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** conf/systemd/spoa-agent.service: locked down, restarted on failure, reloaded with SIGHUP, and systemd parses it. */
class SystemdUnitTest {

  private static final Path UNIT = ExampleAgents.repoRoot().resolve("conf/systemd/spoa-agent.service");

  private static Map<String, List<String>> directives() throws Exception {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(UNIT)) {
      String l = line.strip();
      int eq = l.indexOf('=');
      if (l.isEmpty() || l.startsWith("#") || l.startsWith("[") || eq < 0) {
        continue;
      }
      out.computeIfAbsent(l.substring(0, eq), k -> new ArrayList<>()).add(l.substring(eq + 1));
    }
    return out;
  }

  @Test
  void theUnitIsLockedDownRestartsOnFailureAndReloadsWithSighup() throws Exception {
    Map<String, List<String>> d = directives();
    assertEquals(List.of("yes"), d.get("DynamicUser"));
    assertEquals(List.of("yes"), d.get("NoNewPrivileges"));
    assertEquals(List.of("strict"), d.get("ProtectSystem"));
    assertEquals(List.of("on-failure"), d.get("Restart"));
    assertEquals(List.of("/bin/kill -HUP $MAINPID"), d.get("ExecReload"));
    assertEquals(List.of("2"), d.get("RestartPreventExitStatus"), "a bad config is not retried");
    assertEquals(List.of("143"), d.get("SuccessExitStatus"), "the JVM's status after a graceful SIGTERM");
    String exec = d.get("ExecStart").get(0);
    assertTrue(exec.matches("/usr/bin/java -jar /opt/spoa-agent/spoa-agent\\.jar -conf /etc/spoa-agent/agent\\.json"), exec);
    String readme = Files.readString(ExampleAgents.repoRoot().resolve("README.md"));
    for (String path : List.of("/opt/spoa-agent/spoa-agent.jar", "/etc/spoa-agent/agent.json",
        "/etc/systemd/system/spoa-agent.service", "systemctl reload spoa-agent")) {
      assertTrue(readme.contains(path), "README shows how to install it: " + path);
    }
  }

  @Test
  void systemdParsesItWithoutComplaint() throws Exception {
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(analyze) && Files.isExecutable(Path.of("/usr/bin/java")),
        "needs systemd-analyze and /usr/bin/java");
    Process p = new ProcessBuilder(analyze.toString(), "verify", UNIT.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    List<String> complaints = out.lines().filter(l -> l.contains(UNIT.getFileName().toString())).toList();
    assertEquals(List.of(), complaints, out);
  }
}
