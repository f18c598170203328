package io.spoavertx.examples.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import io.spoavertx.handler.Actions;
import io.spoavertx.handler.Scope;
import io.spoavertx.agent.SpoeHandlers;
import io.spoavertx.handler.SpoeMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The shipped conf/cluster.xml (also the fat JAR's default) forms a cluster as it is: only its base
 * port is moved to a free one, as tests must not use 5701. Its member list and port-try count are
 * what is tested (a port range in a member entry, for one, makes Hazelcast fail at start).
 */
class ShippedClusterConfigTest {

  private final List<Vertx> nodes = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (Vertx v : nodes) {
      v.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void twoNodesJoinAndAMessageCrossesWithItsActions() throws Exception {
    Path shipped = repoRoot().resolve("conf/cluster.xml");
    assertEquals(Files.readString(shipped),
        Files.readString(repoRoot().resolve("verticles-example/src/main/resources/cluster.xml")),
        "the fat JAR embeds conf/cluster.xml as it is");
    String xml = Files.readString(shipped);
    String basePort = ">5701</port>";
    assertTrue(xml.contains(basePort), "base port element changed: update this test");
    int base = freeRange(3);
    String cluster = "test-" + UUID.randomUUID();
    xml = xml.replace(basePort, ">" + base + "</port>")
        .replace("<cluster-name>spoa-vertx</cluster-name>", "<cluster-name>" + cluster + "</cluster-name>");

    Vertx handlerNode = start(xml);
    SpoeHandlers.register(handlerNode, "whoami", m -> Future.succeededFuture(Actions.create().setVar(Scope.TXN, "node", "h1")))
        .completion().await(10, TimeUnit.SECONDS);
    Vertx agentNode = start(xml);
    io.spoavertx.handler.internal.EventBusCodecs.register(agentNode);

    SpoeMessage message = SpoeMessage.builder("whoami").arg("echo", "x").build();
    Actions actions = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (actions == null && System.nanoTime() < deadline) {
      try {
        // subscriptions propagate shortly after the join: retry until the handler is visible
        actions = agentNode.eventBus().<Actions>request(SpoeHandlers.address("whoami"), message,
            new DeliveryOptions().setSendTimeout(2000)).await(5, TimeUnit.SECONDS).body();
      } catch (Exception notYet) {
        Thread.sleep(200);
      }
    }
    assertTrue(actions != null, "no answer across the cluster within 30 s");
    assertEquals("h1", ((io.spoavertx.handler.Action.SetVar) actions.list().get(0)).value());
  }

  private Vertx start(String xml) throws Exception {
    Config config = new XmlConfigBuilder(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).build();
    Vertx v = Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0)))
        .withClusterManager(new HazelcastClusterManager(config))
        .buildClustered().await(60, TimeUnit.SECONDS);
    nodes.add(v);
    return v;
  }

  /** A base port with {@code n} free ports after it on 127.0.0.1. */
  private static int freeRange(int n) throws Exception {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20_000, 40_000);
      boolean free = true;
      for (int p = base; p < base + n && free; p++) {
        try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getByName("127.0.0.1"))) {
          s.setReuseAddress(true);
        } catch (Exception taken) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no free port range");
  }

  private static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("conf/cluster.xml"))) {
      p = p.getParent();
    }
    return p;
  }
}
