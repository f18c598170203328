package io.spoavertx.testing.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HaproxyVersionTest {

  @Test
  void parsesDebianPackageVersion() {
    String out = "HAProxy version 2.6.12-1+deb12u4 2026/10/17 - https://haproxy.org/\n"
        + "Status: long-term supported branch - will stop receiving fixes around Q2 2027.\n";
    HaproxyVersion v = HaproxyVersion.parse(out);
    assertEquals(HaproxyVersion.of(2, 6, 12), v);
    assertFalse(v.isSpopMux());
    assertEquals("2.6.12", v.toString());
  }

  @Test
  void parsesOtherForms() {
    assertEquals(HaproxyVersion.of(2, 0, 33), HaproxyVersion.parse("HA-Proxy version 2.0.33-0ubuntu0.1 2023/10/31"));
    assertEquals(HaproxyVersion.of(3, 1, 0), HaproxyVersion.parse("HAProxy version 3.1.0-f2b9791 2024/11/26"));
    assertEquals(HaproxyVersion.of(3, 2, 0), HaproxyVersion.parse("HAProxy version 3.2-dev5-1a2b3c 2025/02/07"));
  }

  @Test
  void spopMuxFrom31() {
    assertFalse(HaproxyVersion.of(3, 0, 9).isSpopMux());
    assertTrue(HaproxyVersion.of(3, 1, 0).isSpopMux());
    assertTrue(HaproxyVersion.of(3, 2, 4).isSpopMux());
    assertTrue(HaproxyVersion.of(4, 0, 0).isSpopMux());
  }

  @Test
  void ordersVersions() {
    assertTrue(HaproxyVersion.of(2, 6, 12).compareTo(HaproxyVersion.of(2, 6, 9)) > 0);
    assertTrue(HaproxyVersion.of(2, 8, 0).compareTo(HaproxyVersion.of(3, 0, 0)) < 0);
    assertTrue(HaproxyVersion.of(2, 6, 12).isAtLeast(2, 6));
    assertFalse(HaproxyVersion.of(2, 6, 12).isAtLeast(2, 8));
  }

  @Test
  void rejectsOutputWithoutVersion() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HaproxyVersion.parse("bash: haproxy: command not found"));
    assertTrue(e.getMessage().contains("command not found"), e.getMessage());
  }
}
