package io.spoavertx.examples.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.examples.ExampleAgents;
import io.spoavertx.testing.Ack;
import io.spoavertx.testing.AckAssert;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.VarScope;
import io.spoavertx.testing.SpopTestClient;
import io.spoavertx.testing.TypedValue;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** conf/examples/ab-routing.json through a fake HAProxy, plus the picker on its own. */
class AbRoutingVerticleTest {

  private static Vertx vertx;
  private static SpopTestClient client;
  private static VariantPicker picker;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    JsonObject config = ExampleAgents.config("ab-routing");
    picker = VariantPicker.fromJson(config.getJsonArray("handlers").getJsonObject(0).getJsonObject("config"));
    int port = ExampleAgents.deploy(vertx, config);
    client = SpopTestClient.connect(vertx, "127.0.0.1", port).await(10, TimeUnit.SECONDS);
    client.hello().await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static String variant(Message m) throws Exception {
    Ack ack = client.notify(m).await(10, TimeUnit.SECONDS);
    return AckAssert.assertThat(ack).setsVar(VarScope.TXN, "variant").value().asString();
  }

  private static Message route(String cookie, String path, String ip) {
    return Message.of("route")
        .arg("cookie", cookie == null ? TypedValue.nil() : TypedValue.string(cookie))
        .arg("path", path)
        .arg("ip", TypedValue.ipv4(ip));
  }

  @Test
  void aVisitorKeepsItsVariantWhateverItsAddress() throws Exception {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < 40; i++) {
      String first = variant(route("visitor-" + i, "/", "192.0.2.1"));
      assertEquals(first, variant(route("visitor-" + i, "/cart", "198.51.100.7")), "sticky by cookie");
      assertEquals(picker.pick("c:visitor-" + i, "/"), first);
      seen.merge(first, 1, Integer::sum);
    }
    assertEquals(2, seen.size(), "both variants are used: " + seen);
  }

  @Test
  void withoutACookieTheAddressIsTheKey() throws Exception {
    for (String ip : new String[] {"192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"}) {
      assertEquals(picker.pick("ip:" + ip, "/"), variant(route(null, "/", ip)));
      assertEquals(picker.pick("ip:" + ip, "/"), variant(route("", "/", ip)), "an empty cookie is no cookie");
    }
  }

  @Test
  void aPathOverrideWins() throws Exception {
    for (int i = 0; i < 10; i++) {
      assertEquals("b", variant(route("visitor-" + i, "/beta/new-checkout", "192.0.2.1")));
    }
  }

  @Test
  void noKeyNoVariable() throws Exception {
    Ack ack = client.notify(Message.of("route").arg("path", "/")).await(10, TimeUnit.SECONDS);
    AckAssert.assertThat(ack).hasNoActions();
  }

  @Test
  void weightsAreHonouredAndTheSaltReshuffles() {
    VariantPicker p = VariantPicker.fromJson(new JsonObject()
        .put("variants", new JsonObject().put("control", 90).put("new", 10)).put("salt", "x"));
    VariantPicker other = VariantPicker.fromJson(new JsonObject()
        .put("variants", new JsonObject().put("control", 90).put("new", 10)).put("salt", "y"));
    int fresh = 0;
    int moved = 0;
    for (int i = 0; i < 20_000; i++) {
      String v = p.pick("c:" + i, "/");
      fresh += v.equals("new") ? 1 : 0;
      moved += v.equals(other.pick("c:" + i, "/")) ? 0 : 1;
    }
    assertTrue(fresh > 1_700 && fresh < 2_300, "about 10 % on 'new': " + fresh);
    assertTrue(moved > 2_000, "another salt is another experiment: " + moved);
  }

  @Test
  void zeroWeightNeverPicked() {
    VariantPicker p = VariantPicker.fromJson(new JsonObject()
        .put("variants", new JsonObject().put("a", 1).put("off", 0)));
    for (int i = 0; i < 1000; i++) {
      assertNotEquals("off", p.pick("k" + i, "/"));
    }
  }

  @Test
  void badConfigsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> VariantPicker.fromJson(new JsonObject()));
    assertThrows(IllegalArgumentException.class, () -> VariantPicker.fromJson(new JsonObject()
        .put("variants", new JsonObject().put("a", 0))));
    assertThrows(IllegalArgumentException.class, () -> VariantPicker.fromJson(new JsonObject()
        .put("variants", new JsonObject().put("a b", 1))));
    assertThrows(IllegalArgumentException.class, () -> VariantPicker.fromJson(new JsonObject()
        .put("variants", new JsonObject().put("a", -1))));
    assertThrows(IllegalArgumentException.class, () -> VariantPicker.fromJson(new JsonObject()
        .put("variants", new JsonObject().put("a", 1))
        .put("overrides", new JsonArray().add(new JsonObject().put("pathPrefix", "/x").put("variant", "c")))));
  }
}
