package io.spoavertx.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The library logs through a public API (java.lang.System.Logger, behind io.spoavertx.agent.impl.Log),
 * never through Vert.x's internal logging classes, whose backend choice and API can change with
 * any Vert.x release.
 */
class PublicLoggingApiTest {

  @Test
  void noLibrarySourceUsesVertxInternalLogging() throws IOException {
    Path main = Path.of("src/main/java");
    assertTrue(Files.isDirectory(main), "run from the spoa-vertx module: " + Path.of("").toAbsolutePath());
    List<Path> offenders;
    try (Stream<Path> files = Files.walk(main)) {
      offenders = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
        try {
          String s = Files.readString(p);
          return s.contains("io.vertx.core.internal.logging") || s.contains("io.vertx.core.impl.logging");
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }).toList();
    }
    assertEquals(List.of(), offenders);
  }
}
