package io.spoavertx.testing.haproxy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * What a haproxy printed: {@code haproxy -c} output, then the process's stdout and stderr, read by a
 * daemon thread. Bounded and thread-safe: when full it drops the oldest half.
 */
final class HaproxyLog {

  private static final int TAIL = 4000;

  private final int limit;
  private final StringBuilder text = new StringBuilder();

  HaproxyLog(int limit) {
    this.limit = limit;
  }

  synchronized void append(String s) {
    text.append(s);
    if (text.length() > limit) {
      text.delete(0, text.length() - limit / 2);
      text.insert(0, "[... earlier output dropped ...]\n");
    }
  }

  synchronized boolean contains(String s) {
    return text.indexOf(s) >= 0;
  }

  /** {@return the last few thousand characters, headed for an exception message} */
  String tail() {
    String all = toString();
    return "--- haproxy log (tail) ---\n" + (all.length() > TAIL ? "..." + all.substring(all.length() - TAIL) : all);
  }

  /** Starts a daemon thread appending the process's output (stderr redirected into it) until it ends. */
  Thread pump(Process process) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[8192];
      try (InputStream in = process.getInputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
      } catch (IOException ignored) {
        // process gone
      }
    }, "haproxy-" + process.pid() + "-output");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Override
  public synchronized String toString() {
    return text.toString();
  }
}
