package io.spoavertx.examples.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.testing.AgentProcess;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.SpopTestClient;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The cost of the cluster hop, measured (not a test: it runs only with {@code -Dspoa.bench=true}).
 * Pipelined SPOP load ({@link PipelinedLoad}) at an agent whose {@code whoami} handler
 * ({@link NodeTagVerticle}) runs (1) in the agent's JVM, not clustered, (2) in the agent's JVM of
 * a clustered node (role both: prefer-local delivery), (3) on another node (agent-only node +
 * handler node). Prints one Markdown table row per case. See docs/CLUSTER.md.
 *
 * <pre>
 * mvn -q -B -pl verticles-example -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=ClusterHopBenchIT -Dspoa.bench=true [-Dspoa.bench.seconds=10 -Dspoa.bench.warmup=5 \
 *     -Dspoa.bench.connections=8 -Dspoa.bench.inflight=20]
 * </pre>
 */
@EnabledIfSystemProperty(named = "spoa.bench", matches = "true")
class ClusterHopBenchIT {

  private static final Path JAR = Path.of(System.getProperty("spoa.agent.jar", "target/spoa-agent.jar"));
  private static final List<String> NODE_JVM = List.of("-Xmx512m");
  private static final Duration START = Duration.ofSeconds(120);
  private static final int DEADLINE_MS = 500;
  private static final int CONNECTIONS = Integer.getInteger("spoa.bench.connections", 8);
  private static final int IN_FLIGHT = Integer.getInteger("spoa.bench.inflight", 20);
  private static final int SECONDS = Integer.getInteger("spoa.bench.seconds", 10);
  private static final int WARMUP = Integer.getInteger("spoa.bench.warmup", 5);

  @TempDir
  static Path dir;
  private static Vertx vertx;
  private static final List<String> rows = new ArrayList<>();

  @BeforeAll
  static void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void report() throws Exception {
    System.out.printf("%n%d connections x %d in flight, %d s warm-up, %d s measured, %d cores%n",
        CONNECTIONS, IN_FLIGHT, WARMUP, SECONDS, Runtime.getRuntime().availableProcessors());
    System.out.println("| handler | NOTIFY/s | p50 ms | p99 ms | ACKs without actions |");
    System.out.println("|---|---|---|---|---|");
    rows.forEach(System.out::println);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void sameJvmNotClustered() throws Exception {
    try (AgentProcess node = AgentProcess.start(JAR, NODE_JVM,
        List.of("-conf", LocalCluster.bothNode("local", DEADLINE_MS).encode()), Map.of("SPOA_METRICS_PORT", "0"))) {
      measure("same JVM, not clustered", node.awaitListeningPort(START), "local");
    }
  }

  @Test
  void sameJvmClustered() throws Exception {
    try (LocalCluster c = cluster("both", List.of("both"))) {
      AgentProcess node = c.start("both", LocalCluster.bothNode("local", DEADLINE_MS));
      measure("same JVM, clustered (role both, preferLocal)", node.awaitListeningPort(START), "local");
    }
  }

  @Test
  void otherNode() throws Exception {
    try (LocalCluster c = cluster("remote", List.of("agent", "h1"))) {
      AgentProcess agent = c.startAndAwaitHazelcast("agent", LocalCluster.agentNode(DEADLINE_MS), START);
      AgentProcess h1 = c.start("h1", LocalCluster.handlerNode("h1"));
      int port = agent.awaitListeningPort(START);
      h1.awaitOutput(LocalCluster.HANDLERS_UP, START);
      measure("other node (role agent + role handlers)", port, "h1");
    }
  }

  private static LocalCluster cluster(String name, List<String> members) throws Exception {
    Path d = dir.resolve(name);
    Files.createDirectories(d);
    return new LocalCluster(JAR, d, NODE_JVM, members);
  }

  private static void measure(String label, int port, String expectedNode) throws Exception {
    awaitAnswer(port, expectedNode);
    PipelinedLoad load = PipelinedLoad.start(vertx, port, CONNECTIONS, IN_FLIGHT);
    Thread.sleep(WARMUP * 1000L);
    load.reset();
    long t0 = System.nanoTime();
    long acks0 = load.snapshot().acks();
    Thread.sleep(SECONDS * 1000L);
    PipelinedLoad.Snapshot s = load.reset();
    double elapsed = (System.nanoTime() - t0) / 1e9;
    assertTrue(load.stop(Duration.ofSeconds(15)));
    long acks = s.acks() - acks0;
    String row = String.format("| %s | %.0f | %.2f | %.2f | %d |", label, acks / elapsed, s.percentileMs(50),
        s.percentileMs(99), s.count(PipelinedLoad.NO_ANSWER));
    System.out.println(row);
    rows.add(row);
    assertEquals(0, load.snapshot().failures());
  }

  private static void awaitAnswer(int port, String node) throws Exception {
    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    try {
      client.hello().await(10, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!PipelinedLoad.node(client.notify(Message.of(NodeTagVerticle.MESSAGE)).await(10, TimeUnit.SECONDS)).equals(node)) {
        assertTrue(System.nanoTime() < deadline, "no answer from " + node);
        Thread.sleep(100);
      }
    } finally {
      client.close();
    }
  }
}
