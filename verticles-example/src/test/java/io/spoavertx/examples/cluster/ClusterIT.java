package io.spoavertx.examples.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.testing.AgentProcess;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.SpopTestClient;
import io.spoavertx.testing.haproxy.HaproxyConfig;
import io.spoavertx.testing.haproxy.HaproxyExtension;
import io.spoavertx.testing.haproxy.SpoeMessageSection;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Clustering end to end, from the fat JAR: an agent-only node and two handler nodes
 * ({@link NodeTagVerticle} "h1" and "h2") in three JVMs, the real HAProxy in front of the agent.
 * Messages are spread over both handler nodes; when one is killed (SIGKILL) under load, every
 * NOTIFY still gets its ACK, the messages that were lost are counted by the agent, traffic
 * continues on the survivor, and the killed node answers again once restarted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

  private static final Path JAR = Path.of(System.getProperty("spoa.agent.jar", "target/spoa-agent.jar"));
  /** Small JVMs that start fast: three of them share CI's two cores with HAProxy and the test. */
  private static final List<String> NODE_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  private static final Duration START = Duration.ofSeconds(90);
  private static final int DEADLINE_MS = 300;
  private static final String[] FAILED = {"timeout", "error", "no_handler"};

  @RegisterExtension
  static HaproxyExtension haproxy = HaproxyExtension.manual();

  @TempDir
  static Path dir;

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static Vertx vertx;
  private static LocalCluster cluster;
  private static AgentProcess agent;
  private static AgentProcess h1;
  private static AgentProcess h2;
  private static int agentPort;
  private static URI metrics;

  @BeforeAll
  static void startCluster() throws Exception {
    assertTrue(Files.exists(JAR), "fat JAR not built: " + JAR);
    vertx = Vertx.vertx();
    long t0 = System.nanoTime();
    cluster = new LocalCluster(JAR, dir, NODE_JVM, List.of("agent", "h1", "h2"));
    // The first member alone, then the others join it: members started all at once may each
    // elect themselves master on a loaded machine and form separate clusters.
    agent = cluster.startAndAwaitHazelcast("agent", LocalCluster.agentNode(DEADLINE_MS), START);
    h1 = cluster.start("h1", LocalCluster.handlerNode("h1"));
    h2 = cluster.start("h2", LocalCluster.handlerNode("h2"));
    agentPort = agent.awaitListeningPort(START);
    metrics = URI.create(agent.awaitOutput(LocalCluster.METRICS, START).group(1));
    h1.awaitOutput(LocalCluster.HANDLERS_UP, START);
    h2.awaitOutput(LocalCluster.HANDLERS_UP, START);
    Set<String> seen = awaitAnswersFrom(Set.of("h1", "h2"), Duration.ofSeconds(60));
    log("cluster of 3 JVMs up, both handler nodes answering, after %d ms (%s)", ms(System.nanoTime() - t0), seen);

    haproxy.start(HaproxyConfig.builder()
        .agent("127.0.0.1", agentPort)
        .agentHealthCheck(true)
        .processingTimeout(Duration.ofSeconds(3))
        .message(SpoeMessageSection.onRequest(NodeTagVerticle.MESSAGE, "echo=path"))
        .exposeVar("txn.spoa.node", "X-Node")
        .exposeVar("txn.spoa.echo", "X-Echo")
        .exposeVar("txn.spoa.error", "X-Spoe-Error")
        .build());
    haproxy.process().awaitAgentsUp(Duration.ofSeconds(10));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    haproxy.stop();
    if (cluster != null) {
      cluster.close();
    }
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(1)
  void haproxyRequestsAreAnsweredByBothHandlerNodes() throws Exception {
    Map<String, Integer> nodes = new TreeMap<>();
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> r = get("/hello/" + i);
      assertEquals(200, r.statusCode(), haproxy.log());
      assertEquals("/hello/" + i, r.headers().firstValue("X-Echo").orElse(null), "the argument reached the handler node");
      assertTrue(r.headers().firstValue("X-Spoe-Error").isEmpty(), "SPOE error " + r.headers().map());
      nodes.merge(r.headers().firstValue("X-Node").orElse("(none)"), 1, Integer::sum);
    }
    assertEquals(Set.of("h1", "h2"), nodes.keySet(), "answers by node: " + nodes);
    log("20 HTTP requests through HAProxy, answered by %s", nodes);
  }

  /**
   * SIGKILL of handler node h2 while pipelined SPOP load (straight at the agent) and HTTP load
   * (through HAProxy) run: nothing goes unanswered, the lost messages are counted, and once the
   * cluster has noticed, only h1 answers.
   */
  @Test
  @Order(2)
  void killingAHandlerNodeUnderLoadLeavesNoNotifyUnanswered() throws Exception {
    long failedBefore = LocalCluster.scrapeMessages(HTTP, metrics, FAILED);
    PipelinedLoad load = PipelinedLoad.start(vertx, agentPort, 4, 8);
    HttpLoad http = new HttpLoad(3);
    try {
      Thread.sleep(1500);
      PipelinedLoad.Snapshot beforeKill = load.reset();
      Map<String, Long> httpBeforeKill = http.reset();
      assertTrue(beforeKill.count("h1") > 0 && beforeKill.count("h2") > 0, "both nodes busy before the kill: " + beforeKill);
      assertTrue(httpBeforeKill.containsKey("h1") && httpBeforeKill.containsKey("h2"), "HTTP before the kill: " + httpBeforeKill);

      int membershipChanges = count(MEMBERS_2, agent.output());
      long killAt = System.nanoTime();
      h2.kill();
      long memberRemoved = 0;
      log("h2 killed (SIGKILL) at %d ACKs/s", beforeKill.acks() * 1000 / 1500);

      // Failover: two windows of 250 ms in a row answered by h1 only.
      long deadline = killAt + TimeUnit.SECONDS.toNanos(30);
      int clean = 0;
      List<String> windows = new ArrayList<>();
      while (clean < 2) {
        assertTrue(System.nanoTime() < deadline, "no clean failover within 30 s: " + windows);
        Thread.sleep(250);
        if (memberRemoved == 0 && count(MEMBERS_2, agent.output()) > membershipChanges) {
          memberRemoved = System.nanoTime();
        }
        PipelinedLoad.Snapshot w = load.reset();
        windows.add(w.byNode().toString());
        clean = w.byNode().keySet().equals(Set.of("h1")) ? clean + 1 : 0;
      }
      long lastFailed = Math.max(load.lastAnswerNanos(PipelinedLoad.NO_ANSWER), load.lastAnswerNanos("h2"));
      long lastH2 = load.lastAnswerNanos("h2");
      log("after the kill, per 250 ms: %s", windows);
      log("last answer from h2 %d ms after the kill, last empty ACK %d ms after it; Hazelcast removed h2 within %s ms",
          lastH2 > killAt ? ms(lastH2 - killAt) : -ms(killAt - lastH2),
          ms(load.lastAnswerNanos(PipelinedLoad.NO_ANSWER) - killAt),
          memberRemoved == 0 ? "?" : String.valueOf(ms(memberRemoved - killAt)));
      assertTrue(lastFailed - killAt < TimeUnit.SECONDS.toNanos(10), "failover took " + ms(lastFailed - killAt) + " ms");

      // Then the survivor takes all the traffic.
      http.reset();
      Thread.sleep(2000);
      PipelinedLoad.Snapshot after = load.reset();
      Map<String, Long> httpAfter = http.reset();
      assertEquals(Set.of("h1"), after.byNode().keySet(), "SPOP answers after failover: " + after);
      assertEquals(Set.of("h1"), httpAfter.keySet(), "HTTP answers after failover: " + httpAfter);
      log("2 s after failover: SPOP %s, HTTP %s", after, httpAfter);
    } finally {
      http.stop();
      assertTrue(load.stop(Duration.ofSeconds(15)), "NOTIFYs still unanswered 15 s after the load stopped");
    }
    PipelinedLoad.Snapshot total = load.snapshot();
    assertEquals(0, total.failures(), "NOTIFYs without ACK: " + load.failureSamples());
    assertEquals(total.sent(), total.acks());
    assertEquals(List.of(), http.errors(), "HTTP requests that failed");
    assertEquals(0, http.non200.sum(), "HTTP responses other than 200");
    assertEquals(0, http.spoeErrors.sum(), "HTTP requests whose SPOE processing failed in HAProxy");

    long failed = LocalCluster.scrapeMessages(HTTP, metrics, FAILED) - failedBefore;
    long emptyAcks = load.emptyAcks() + http.empty.sum();
    log("%d NOTIFYs (SPOP) + %d HTTP requests: %d ACKs without actions (SPOP %d, HTTP %d); agent counted %d failed messages",
        total.sent(), http.requests.sum(), emptyAcks, load.emptyAcks(), http.empty.sum(), failed);
    assertTrue(failed > 0, "the messages lost with h2 are counted");
    assertEquals(emptyAcks, failed, "every failed message counted once, and answered with an ACK without actions");
  }

  @Test
  @Order(3)
  void restartedNodeAnswersAgain() throws Exception {
    long t0 = System.nanoTime();
    h2 = cluster.start("h2", LocalCluster.handlerNode("h2"));
    h2.awaitOutput(LocalCluster.HANDLERS_UP, START);
    awaitAnswersFrom(Set.of("h1", "h2"), Duration.ofSeconds(60));
    log("restarted h2 answering %d ms after its start", ms(System.nanoTime() - t0));
    Set<String> nodes = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = get("/again/" + i);
      assertEquals(200, r.statusCode());
      r.headers().firstValue("X-Node").ifPresent(nodes::add);
    }
    assertEquals(Set.of("h1", "h2"), nodes, "HTTP through HAProxy reaches both nodes again");

    // A graceful stop of the agent: everything it read, it answered.
    haproxy.stop();
    agent.terminate(Duration.ofSeconds(30));
    Matcher m = Pattern.compile("SPOA agent stopped: (\\d+) NOTIFYs read, (\\d+) ACKs sent").matcher(agent.output());
    assertTrue(m.find(), agent.output());
    assertEquals(m.group(1), m.group(2), "NOTIFYs read vs ACKs sent: " + m.group());
    log("%s", m.group());
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** Sends {@code whoami} NOTIFYs (4 in flight) until every node in {@code nodes} has answered. */
  private static Set<String> awaitAnswersFrom(Set<String> nodes, Duration timeout) throws Exception {
    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", agentPort).await(10, TimeUnit.SECONDS);
    try {
      client.hello().await(10, TimeUnit.SECONDS);
      Set<String> seen = new HashSet<>();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!seen.containsAll(nodes)) {
        assertTrue(System.nanoTime() < deadline, () -> "only " + seen + " answered within " + timeout + cluster.describe());
        List<io.vertx.core.Future<io.spoavertx.testing.Ack>> acks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          acks.add(client.notify(Message.of(NodeTagVerticle.MESSAGE)));
        }
        for (var ack : acks) {
          seen.add(PipelinedLoad.node(ack.await(10, TimeUnit.SECONDS)));
        }
        if (!seen.containsAll(nodes)) {
          Thread.sleep(100);
        }
      }
      seen.remove(PipelinedLoad.NO_ANSWER);
      return seen;
    } finally {
      client.close();
    }
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(haproxy.httpUrl(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Hazelcast's member list after a change, as the agent logs it, with two members. */
  private static final Pattern MEMBERS_2 = Pattern.compile("Members \\{size:2,");

  private static int count(Pattern p, String text) {
    Matcher m = p.matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static void log(String format, Object... args) {
    System.out.println("[ClusterIT] " + String.format(format, args));
  }

  /** HTTP GETs through HAProxy from a few threads, back to back, counting X-Node values. */
  private static final class HttpLoad {
    final LongAdder requests = new LongAdder();
    final LongAdder non200 = new LongAdder();
    final LongAdder empty = new LongAdder();
    final LongAdder spoeErrors = new LongAdder();
    private final Map<String, LongAdder> byNode = new ConcurrentHashMap<>();
    private final List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong seq = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    HttpLoad(int threadCount) {
      for (int t = 0; t < threadCount; t++) {
        Thread thread = new Thread(this::run, "http-load-" + t);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
      }
    }

    private void run() {
      while (running.get()) {
        try {
          HttpResponse<String> r = get("/load/" + seq.incrementAndGet());
          requests.increment();
          if (r.statusCode() != 200) {
            non200.increment();
          }
          if (r.headers().firstValue("X-Spoe-Error").isPresent()) {
            spoeErrors.increment();
          }
          String node = r.headers().firstValue("X-Node").orElse(PipelinedLoad.NO_ANSWER);
          if (node.equals(PipelinedLoad.NO_ANSWER)) {
            empty.increment();
          }
          byNode.computeIfAbsent(node, k -> new LongAdder()).increment();
        } catch (Exception e) {
          errors.add(e);
          return;
        }
      }
    }

    Map<String, Long> reset() {
      Map<String, Long> m = new TreeMap<>();
      byNode.forEach((k, v) -> m.put(k, v.sum()));
      byNode.clear();
      return m;
    }

    List<Throwable> errors() {
      return List.copyOf(errors);
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread t : threads) {
        t.join(15_000);
      }
    }
  }
}
