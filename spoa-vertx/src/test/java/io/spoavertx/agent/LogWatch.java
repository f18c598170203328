package io.spoavertx.agent;

import io.vertx.core.Vertx;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Watches what escapes from the agent while a test runs: every java.util.logging record that
 * carries an exception or is at WARNING or above (Vert.x and Netty log through JUL here), and
 * every exception reported to the Vert.x instance's exception handler (an exception thrown out of
 * a handler on an event loop). Protocol errors are logged at INFO without an exception: they are
 * the expected outcome of bad input, not a problem.
 */
final class LogWatch implements AutoCloseable {

  /** One record that escaped. */
  record Escape(String logger, Level level, String message, Throwable thrown) {
    @Override
    public String toString() {
      return level + " " + logger + ": " + message + (thrown == null ? "" : " [" + thrown + "]");
    }
  }

  private final List<Escape> escapes = new CopyOnWriteArrayList<>();
  private final Logger root = Logger.getLogger("");
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord r) {
      if (r.getThrown() != null || r.getLevel().intValue() >= Level.WARNING.intValue()) {
        escapes.add(new Escape(r.getLoggerName(), r.getLevel(), r.getMessage(), r.getThrown()));
      }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  private LogWatch() {
  }

  /** Starts watching the JUL root logger and {@code vertx}'s uncaught exceptions. */
  static LogWatch install(Vertx vertx) {
    LogWatch w = new LogWatch();
    w.root.addHandler(w.handler);
    vertx.exceptionHandler(t -> w.escapes.add(new Escape("vertx.exceptionHandler", Level.SEVERE,
        "uncaught exception on a Vert.x context", t)));
    return w;
  }

  List<Escape> escapes() {
    return List.copyOf(escapes);
  }

  /** The escapes that {@code allowed} does not accept. */
  List<Escape> unexpected(Predicate<Escape> allowed) {
    return escapes.stream().filter(allowed.negate()).toList();
  }

  @Override
  public void close() {
    root.removeHandler(handler);
  }
}
