package io.spoavertx.testing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fixtures' sources stay readable in a sitting: no file under {@code src/main/java} is longer
 * than 600 lines, as for the library (spoa-vertx's ArchitectureTest). Surefire runs the tests
 * in the module directory.
 */
class SourceSizeTest {

  private static final Path SOURCES = Path.of("src/main/java");

  @Test
  void noSourceFileIsLongerThan600Lines() throws IOException {
    Map<String, Integer> tooLong = new TreeMap<>();
    for (Map.Entry<Path, String> e : sources().entrySet()) {
      int lines = e.getValue().split("\n", -1).length;
      if (lines > 600) {
        tooLong.put(e.getKey().toString(), lines);
      }
    }
    assertEquals(Map.of(), tooLong);
  }

  private static Map<Path, String> sources() throws IOException {
    Map<Path, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        out.put(SOURCES.relativize(f), Files.readString(f));
      }
    }
    assertTrue(out.size() > 40, "sources read from " + SOURCES.toAbsolutePath() + ": " + out.size());
    return out;
  }
}
