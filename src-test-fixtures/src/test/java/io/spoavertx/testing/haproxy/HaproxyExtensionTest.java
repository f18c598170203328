package io.spoavertx.testing.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HaproxyExtensionTest {

  /** Static field: one haproxy for the class. */
  @RegisterExtension
  static HaproxyExtension shared = HaproxyExtension.withConfig(
      () -> HaproxyConfig.builder().defaultResponse(200, "shared").build());

  /** Instance field: a new haproxy for each test. */
  @RegisterExtension
  HaproxyExtension perTest = HaproxyExtension.withConfig(
      HaproxyConfig.builder().defaultResponse(200, "per-test").build());

  /** Started by the test itself, stopped after it. */
  @RegisterExtension
  static HaproxyExtension manual = HaproxyExtension.manual();

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static long sharedPid;
  private static long firstPerTestPid;
  private static long manualPid;

  private static String body(URI uri) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Test
  @Order(1)
  void firstTest() throws Exception {
    assertEquals("shared", body(shared.httpUrl()));
    assertEquals("per-test", body(perTest.httpUrl("/x")));
    assertNotEquals(shared.frontendPort(), perTest.frontendPort());
    sharedPid = shared.process().pid();
    firstPerTestPid = perTest.process().pid();

    assertThrows(IllegalStateException.class, manual::process);
    HaproxyProcess p = manual.start(HaproxyConfig.builder().defaultResponse(200, "manual").build());
    manualPid = p.pid();
    assertEquals("manual", body(manual.httpUrl()));
    assertTrue(manual.log().contains("Configuration file is valid"));
  }

  @Test
  @Order(2)
  void secondTest() throws Exception {
    assertEquals(sharedPid, shared.process().pid(), "class-level haproxy is reused");
    assertNotEquals(firstPerTestPid, perTest.process().pid(), "per-test haproxy is new");
    assertFalse(alive(firstPerTestPid), "previous per-test haproxy was stopped");
    assertFalse(alive(manualPid), "haproxy started during a test is stopped after it");
    assertThrows(IllegalStateException.class, manual::process);
    assertEquals("per-test", body(perTest.httpUrl()));
  }
}
