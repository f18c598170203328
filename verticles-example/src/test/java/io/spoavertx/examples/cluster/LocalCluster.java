package io.spoavertx.examples.cluster;

import io.spoavertx.testing.AgentProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cluster of agent fat-JAR processes on this host, for tests. Each member gets its own
 * Hazelcast config derived from the shipped {@code conf/cluster.xml}: a free port probed on
 * 127.0.0.1 (never the 5701+ defaults: other builds share the machine), a member list naming
 * every member, and a cluster name of its own so it can never join anything else.
 * {@link #close()} stops only the processes this cluster started.
 */
final class LocalCluster implements AutoCloseable {

  static final Pattern METRICS = Pattern.compile("metrics at (http://\\S+)");
  static final Pattern HANDLERS_UP = Pattern.compile("handler node: \\d+ handler deployment");
  static final Pattern HAZELCAST_STARTED = Pattern.compile(":\\d+ is STARTED");

  private final Path jar;
  private final Path dir;
  private final List<String> jvmArgs;
  private final String clusterName = "spoa-it-" + UUID.randomUUID().toString().substring(0, 8);
  private final Map<String, Integer> hazelcastPorts = new HashMap<>();
  private final Map<String, Path> configs = new HashMap<>();
  private final List<AgentProcess> processes = new ArrayList<>();
  private final Map<String, AgentProcess> latest = new java.util.LinkedHashMap<>();

  /**
   * @param members names of every member the cluster will have (their ports are fixed now, so a
   *     member restarted later comes back at the same address)
   */
  LocalCluster(Path jar, Path dir, List<String> jvmArgs, List<String> members) throws IOException {
    this.jar = jar;
    this.dir = dir;
    this.jvmArgs = List.copyOf(jvmArgs);
    List<Integer> ports = freePorts(members.size());
    for (int i = 0; i < members.size(); i++) {
      hazelcastPorts.put(members.get(i), ports.get(i));
    }
    String template = Files.readString(repoRoot().resolve("conf/cluster.xml"));
    StringBuilder memberList = new StringBuilder();
    for (int port : ports) {
      memberList.append("<member>127.0.0.1:").append(port).append("</member>");
    }
    for (String member : members) {
      String xml = replace(template, "<cluster-name>spoa-vertx</cluster-name>", "<cluster-name>" + clusterName + "</cluster-name>");
      xml = replace(xml, "<port auto-increment=\"true\" port-count=\"20\">5701</port>",
          "<port auto-increment=\"false\">" + hazelcastPorts.get(member) + "</port>");
      xml = replace(xml, "<member>127.0.0.1</member>", memberList.toString());
      Path file = dir.resolve("cluster-" + member + ".xml");
      Files.writeString(file, xml);
      configs.put(member, file);
    }
  }

  private static String replace(String text, String what, String with) {
    if (!text.contains(what)) {
      throw new IllegalStateException("conf/cluster.xml changed: no '" + what + "' to replace");
    }
    return text.replace(what, with);
  }

  /** Starts member {@code name} ({@code java -Dvertx.hazelcast.config=... -jar agent.jar -conf ... -cluster}). */
  AgentProcess start(String name, JsonObject agentConfig) throws IOException {
    Path conf = dir.resolve("agent-" + name + ".json");
    Files.writeString(conf, agentConfig.encodePrettily());
    List<String> jvm = new ArrayList<>(jvmArgs);
    jvm.add("-Dvertx.hazelcast.config=" + configs.get(name));
    AgentProcess p = AgentProcess.start(jar, jvm,
        List.of("-conf", conf.toString(), "-cluster", "-cluster-host", "127.0.0.1"), Map.of("SPOA_METRICS_PORT", "0"));
    processes.add(p);
    latest.put(name, p);
    return p;
  }

  /** Starts member {@code name} and waits until Hazelcast runs in it (joined, or alone as the first member). */
  AgentProcess startAndAwaitHazelcast(String name, JsonObject agentConfig, Duration timeout) throws Exception {
    AgentProcess p = start(name, agentConfig);
    p.awaitOutput(HAZELCAST_STARTED, timeout);
    return p;
  }

  /** For failure messages: each member's state, last member list and last lines of output. */
  String describe() {
    StringBuilder b = new StringBuilder();
    latest.forEach((name, p) -> {
      String out = p.output();
      b.append("\n==== ").append(name).append(p.isAlive() ? " (running)" : " (exited)").append('\n');
      int members = out.lastIndexOf("Members {");
      if (members >= 0) {
        int end = out.indexOf(']', members);
        b.append(out, members, end < 0 ? out.length() : end + 1).append('\n');
      }
      String[] lines = out.split("\n");
      for (int i = Math.max(0, lines.length - 15); i < lines.length; i++) {
        b.append("  | ").append(lines[i]).append('\n');
      }
    });
    return b.toString();
  }

  int hazelcastPort(String member) {
    return hazelcastPorts.get(member);
  }

  String clusterName() {
    return clusterName;
  }

  @Override
  public void close() throws InterruptedException {
    for (AgentProcess p : processes) {
      p.close();
    }
  }

  // ---- configs ---------------------------------------------------------------------------------

  /** An agent-only node: listener on a free port, metrics on a free port, no handlers. */
  static JsonObject agentNode(int deadlineMs) {
    return new JsonObject()
        .put("listener", new JsonObject().put("port", 0))
        .put("metrics", new JsonObject().put("port", 0))
        .put("dispatch", new JsonObject().put("deadlineMs", deadlineMs))
        .put("cluster", new JsonObject().put("role", "agent"));
  }

  /** A handlers-only node running {@link NodeTagVerticle} named {@code node}. */
  static JsonObject handlerNode(String node) {
    return new JsonObject()
        .put("cluster", new JsonObject().put("role", "handlers"))
        .put("handlers", nodeTag(node));
  }

  /** Listener and {@link NodeTagVerticle} in one JVM (role both). */
  static JsonObject bothNode(String node, int deadlineMs) {
    return agentNode(deadlineMs).put("cluster", new JsonObject().put("role", "both")).put("handlers", nodeTag(node));
  }

  private static JsonArray nodeTag(String node) {
    return new JsonArray().add(new JsonObject()
        .put("class", NodeTagVerticle.class.getName())
        .put("config", new JsonObject().put("node", node)));
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /**
   * Ports free on 127.0.0.1 right now (all held open together, so they are distinct), for the
   * Hazelcast member list, which needs its ports before the members start. Drawn at random below
   * the kernel's ephemeral range: a port from {@code bind(0)} lies inside it, where any process's
   * outgoing connection may take it as its source port before the member binds it (seen in CI:
   * "Port [36915] is already in use"); below the range only an explicit bind can.
   */
  static List<Integer> freePorts(int n) throws IOException {
    int low = 10_000;
    int high = ephemeralRangeStart() - 1;
    java.util.Random random = new java.util.Random();
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      List<Integer> ports = new ArrayList<>();
      for (int tries = 0; ports.size() < n; tries++) {
        if (tries > 1000) {
          throw new IOException("no free port between " + low + " and " + high);
        }
        int port = low + random.nextInt(high - low + 1);
        try {
          ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
          sockets.add(s);
          ports.add(port);
        } catch (IOException inUse) {
          // taken: draw another
        }
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }

  /** The first port of Linux's ephemeral range (32768 where it cannot be read). */
  private static int ephemeralRangeStart() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      int start = Integer.parseInt(range.split("\\s+")[0]);
      return start > 11_000 ? start : 32768;
    } catch (IOException | RuntimeException e) {
      return 32768;
    }
  }

  /** Sum of the agent's {@code spoa_message_seconds_count} samples with one of these outcomes. */
  static long scrapeMessages(HttpClient http, URI metrics, String... outcomes) throws IOException, InterruptedException {
    String body = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    long sum = 0;
    for (String outcome : outcomes) {
      Matcher m = Pattern.compile("^spoa_message_seconds_count\\{[^}]*outcome=\"" + outcome + "\"[^}]*} (\\d+)", Pattern.MULTILINE)
          .matcher(body);
      while (m.find()) {
        sum += Long.parseLong(m.group(1));
      }
    }
    return sum;
  }

  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("conf/cluster.xml"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("conf/cluster.xml not found above " + Path.of("").toAbsolutePath());
    }
    return p;
  }
}
