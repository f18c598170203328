package io.spoavertx.agent.impl;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;

import java.util.Collection;
import java.util.Iterator;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the agent needs to know about a Vert.x instance's event loops. */
public final class EventLoops {

  private static final Pattern LOOP_NUMBER = Pattern.compile("eventloop-thread-(\\d+)$");

  private EventLoops() {
  }

  /**
   * How many event loops {@code vertx} has: read from Vert.x's internal event loop group, or
   * Vert.x's default ({@link VertxOptions#DEFAULT_EVENT_LOOP_POOL_SIZE}) where that is not at hand.
   */
  public static int count(Vertx vertx) {
    if (vertx instanceof VertxInternal internal) {
      int n = 0;
      for (Iterator<?> it = internal.nettyEventLoopGroup().iterator(); it.hasNext(); it.next()) {
        n++;
      }
      if (n > 0) {
        return n;
      }
    }
    return VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
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
