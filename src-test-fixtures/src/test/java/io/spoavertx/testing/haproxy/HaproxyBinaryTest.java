package io.spoavertx.testing.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class HaproxyBinaryTest {

  @Test
  void findsAndRunsHaproxy() {
    HaproxyBinary b = HaproxyExtension.requireBinary(HaproxyBinary.find(), System.getenv("CI"));
    assertTrue(b.versionOutput().contains("version " + b.version().major() + "." + b.version().minor()),
        b.versionOutput());
    assertEquals(b.version().isSpopMux(), b.isSpopMux());
    assertTrue(b.toString().contains(b.path().toString()));
  }

  @Test
  void explicitPropertyWinsAndIsNotReplaced() {
    String old = System.getProperty(HaproxyBinary.PROPERTY);
    try {
      System.setProperty(HaproxyBinary.PROPERTY, "/nonexistent/haproxy");
      assertEquals(Optional.empty(), HaproxyBinary.find());
      HaproxyException e = assertThrows(HaproxyException.class, HaproxyBinary::require);
      assertTrue(e.getMessage().contains("haproxy binary not found"), e.getMessage());
      assertTrue(e.getMessage().contains("/nonexistent/haproxy"), e.getMessage());
    } finally {
      if (old == null) {
        System.clearProperty(HaproxyBinary.PROPERTY);
      } else {
        System.setProperty(HaproxyBinary.PROPERTY, old);
      }
    }
  }

  @Test
  void binaryThatIsNotHaproxyIsReported() {
    HaproxyException e = assertThrows(HaproxyException.class, () -> HaproxyBinary.at(Path.of("/bin/echo")));
    assertTrue(e.getMessage().contains("no HAProxy version"), e.getMessage());
  }

  @Test
  void missingBinaryFailsOnCi() {
    HaproxyException e = assertThrows(HaproxyException.class,
        () -> HaproxyExtension.requireBinary(Optional.empty(), "true"));
    assertTrue(e.getMessage().startsWith("haproxy binary not found; CI requires it"), e.getMessage());
  }

  @Test
  void missingBinarySkipsElsewhere() {
    TestAbortedException e = assertThrows(TestAbortedException.class,
        () -> HaproxyExtension.requireBinary(Optional.empty(), null));
    assertTrue(e.getMessage().contains("haproxy binary not found"), e.getMessage());
    assertThrows(TestAbortedException.class, () -> HaproxyExtension.requireBinary(Optional.empty(), "false"));
  }

  @Test
  void presentBinaryIsReturnedEvenOnCi() {
    HaproxyBinary b = HaproxyExtension.requireBinary(HaproxyBinary.find(), System.getenv("CI"));
    assertSame(b, HaproxyExtension.requireBinary(Optional.of(b), "true"));
  }
}
