package io.spoavertx.examples.blocking;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeoutException;

/**
 * Stands in for a slow database: reads a {@code user,plan} CSV file on every lookup with blocking
 * {@code java.nio.file} calls, after sleeping {@code latencyMs} to simulate a network round trip
 * (and, like a client with a timeout, gives up when that is longer than the time it is given).
 * Lines starting with {@code #} are comments.
 */
final class FileUserDirectory implements UserDirectory {

  private final Path file;
  private final long latencyMs;

  FileUserDirectory(Path file, long latencyMs) {
    this.file = file;
    this.latencyMs = latencyMs;
  }

  @Override
  public String planOf(String user) throws Exception {
    return planOf(user, Long.MAX_VALUE);
  }

  /** Waits no longer than {@code timeoutMs} for the simulated round trip. */
  @Override
  public String planOf(String user, long timeoutMs) throws Exception {
    if (latencyMs > timeoutMs) {
      Thread.sleep(timeoutMs);
      throw new TimeoutException("no answer from the directory within " + timeoutMs + " ms");
    }
    if (latencyMs > 0) {
      Thread.sleep(latencyMs);
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      int comma = l.indexOf(',');
      if (comma > 0 && l.substring(0, comma).strip().equals(user)) {
        return l.substring(comma + 1).strip();
      }
    }
    return null;
  }
}
