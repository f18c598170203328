package io.spoavertx.agent.impl;

import io.vertx.core.Vertx;
import io.spoavertx.handler.internal.VertxInternals;

import java.util.Collection;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the agent needs to know about a Vert.x instance's event loops. */
public final class EventLoops {

  private static final Pattern LOOP_NUMBER = Pattern.compile("eventloop-thread-(\\d+)$");

  private EventLoops() {
  }

  /** How many event loops {@code vertx} has (see {@link VertxInternals#eventLoopCount}). */
  public static int count(Vertx vertx) {
    return VertxInternals.eventLoopCount(vertx);
  }

  /** Short names of the threads' event loops, for log lines: {@code "0,1,3"} (thread names if not Vert.x's). */
  public static String describe(Collection<Thread> threads) {
    TreeSet<String> names = new TreeSet<>((a, b) -> a.length() != b.length() ? a.length() - b.length() : a.compareTo(b));
    for (Thread t : threads) {
      names.add(name(t));
    }
    return String.join(",", names);
  }

  /** The number of a Vert.x event loop thread ({@code vert.x-eventloop-thread-3}: {@code "3"}), else its name. */
  public static String name(Thread t) {
    if (t == null) {
      return "?";
    }
    Matcher m = LOOP_NUMBER.matcher(t.getName());
    return m.find() ? m.group(1) : t.getName();
  }
}
