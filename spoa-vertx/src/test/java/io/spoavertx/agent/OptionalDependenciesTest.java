package io.spoavertx.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.handler.Scope;
import io.spoavertx.handler.SpoeHandler;
import io.spoavertx.testing.AckAssert;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.SpopTestClient;
import io.spoavertx.testing.VarScope;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The library runs with its required dependencies only (Vert.x core, Jackson, Netty): an agent
 * embedded in a JVM without Micrometer, Vert.x's Micrometer metrics, the Prometheus registry,
 * Vert.x's launcher or Hazelcast answers NOTIFYs, and says once that its meters are not exported.
 */
class OptionalDependenciesTest {

  /** Jars of this test's class path that the library must run without. */
  private static final Pattern OPTIONAL = Pattern.compile("micrometer|prometheus|launcher-application|hazelcast|HdrHistogram");

  /** Runs in the child JVM: an agent with a direct handler, metrics left at their default (on). */
  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    SpoaAgent agent = SpoaAgent.create(vertx, AgentConfig.DEFAULT
            .withListener(ListenerOptions.DEFAULT.withHost("127.0.0.1").withPort(0).withInstances(1)))
        .directHandler("ping", SpoeHandler.sync((m, a) -> a.setVar(Scope.TXN, "pong", m.getLong("n", -1) + 1)));
    int port = agent.start().await(20, TimeUnit.SECONDS);
    System.out.println("child listening on port " + port);
    System.out.flush();
    System.in.read(); // until the test closes our input
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void anAgentRunsWithoutTheOptionalDependencies() throws Exception {
    List<String> classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !OPTIONAL.matcher(e).find()).toList();
    assertTrue(classPath.stream().anyMatch(e -> e.contains("vertx-core")), classPath.toString());
    assertTrue(System.getProperty("java.class.path").contains("micrometer-core"), "nothing would be left out");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", String.join(File.pathSeparator, classPath), OptionalDependenciesTest.class.getName())
        .redirectErrorStream(true).start();
    StringBuilder output = new StringBuilder();
    Vertx client = Vertx.vertx();
    try {
      BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      int port = -1;
      for (String line; port < 0 && (line = lines.readLine()) != null; ) {
        output.append(line).append('\n');
        Matcher m = Pattern.compile("child listening on port (\\d+)").matcher(line);
        if (m.find()) {
          port = Integer.parseInt(m.group(1));
        }
      }
      assertTrue(port > 0, "the child did not start:\n" + output);
      SpopTestClient spop = SpopTestClient.connect(client, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
      spop.hello().await(10, TimeUnit.SECONDS);
      AckAssert.assertThat(spop.notify(Message.of("ping").arg("n", 41)).await(10, TimeUnit.SECONDS))
          .setsVar(VarScope.TXN, "pong", 42L);
      spop.close();
      assertTrue(output.toString().contains("Micrometer is not on the class path"), output.toString());
    } finally {
      child.getOutputStream().close();
      if (!child.waitFor(10, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
      client.close().await(10, TimeUnit.SECONDS);
    }
  }
}
