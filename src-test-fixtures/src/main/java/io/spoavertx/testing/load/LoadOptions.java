package io.spoavertx.testing.load;

import io.spoavertx.testing.Message;
import io.spoavertx.testing.TypedValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link LoadGenerator} run does: where to connect, how many connections and NOTIFYs in
 * flight, how long, closed loop or fixed rate, which HELLO and stream-id style, and which NOTIFYs.
 *
 * <p>Defaults: 127.0.0.1, 8 connections × 20 in flight, 3 s warm-up, 10 s measured, closed loop,
 * HAProxy 2.6 HELLO and ids, 1 event loop, each NOTIFY holding the {@link #defaultMessage() bench}
 * message.
 */
public final class LoadOptions {

  /** How HAProxy numbers its NOTIFYs and what its HELLO says. */
  public enum HelloStyle {
    /**
     * HAProxy 2.6: capabilities {@code pipelining,async}, one engine-id per connection; stream-id
     * is a global stream counter from 0 (shared by all connections), frame-id is always 1.
     */
    HAPROXY_2_6,
    /** HAProxy 3.1+: capabilities {@code pipelining}; odd stream-ids per connection (1, 3, 5…), frame-id 1. */
    HAPROXY_3;

    /**
     * Parses a style: {@code "2.6"} (or {@code "2"}) or {@code "3"} (also {@code "3.x"}, {@code "3.2"}…).
     *
     * @param s the style
     * @return the style
     * @throws IllegalArgumentException if it is neither
     */
    public static HelloStyle parse(String s) {
      if (s.equals("2.6") || s.equals("2")) {
        return HAPROXY_2_6;
      }
      if (s.equals("3") || s.startsWith("3.")) {
        return HAPROXY_3;
      }
      throw new IllegalArgumentException("--hello must be 2.6 or 3, not " + s);
    }
  }

  /** One kind of NOTIFY: the messages it holds and its weight in the mix. */
  public record NotifyTemplate(List<Message> messages, int weight) {
    /**
     * Copies {@code messages}.
     *
     * @param messages the messages travelling together in one NOTIFY
     * @param weight   its weight in the mix, at least 1
     * @throws IllegalArgumentException if the weight is below 1
     */
    public NotifyTemplate {
      messages = List.copyOf(messages);
      if (weight < 1) {
        throw new IllegalArgumentException("weight must be >= 1");
      }
    }
  }

  private String host = "127.0.0.1";
  private int port = -1;
  private int connections = 8;
  private int inflight = 20;
  private Duration duration = Duration.ofSeconds(10);
  private Duration warmup = Duration.ofSeconds(3);
  private Duration drainTimeout = Duration.ofSeconds(2);
  private double rate;
  private HelloStyle helloStyle = HelloStyle.HAPROXY_2_6;
  private int eventLoops = 1;
  private long maxFrameSize = 16380;
  private final List<NotifyTemplate> notifies = new ArrayList<>();

  /**
   * The default message, like a typical request-inspection {@code spoe-message}: {@code bench} with
   * 5 arguments: ip IPV4, path STRING (20 B), ua STRING (63 B), port INT64, flag BOOL.
   *
   * @return the message
   */
  public static Message defaultMessage() {
    return Message.of("bench")
        .arg("ip", TypedValue.ipv4("192.0.2.17"))
        .arg("path", "/api/v1/items/123456")
        .arg("ua", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Fx/128")
        .arg("port", 44321L)
        .arg("flag", true);
  }

  /** {@return the agent's host; default 127.0.0.1} */
  public String host() {
    return host;
  }

  /**
   * Sets the agent's host; default 127.0.0.1.
   *
   * @param host the host
   * @return these options
   */
  public LoadOptions host(String host) {
    this.host = Objects.requireNonNull(host);
    return this;
  }

  /** {@return the agent's port; -1 until set} */
  public int port() {
    return port;
  }

  /**
   * Sets the agent's port (required).
   *
   * @param port the port
   * @return these options
   */
  public LoadOptions port(int port) {
    this.port = port;
    return this;
  }

  /** {@return the number of connections; default 8} */
  public int connections() {
    return connections;
  }

  /**
   * Sets the number of connections; default 8.
   *
   * @param connections at least 1
   * @return these options
   */
  public LoadOptions connections(int connections) {
    if (connections < 1) {
      throw new IllegalArgumentException("connections must be >= 1");
    }
    this.connections = connections;
    return this;
  }

  /** {@return the NOTIFYs in flight per connection (HAProxy's max-waiting-frames, 20 by default)} */
  public int inflight() {
    return inflight;
  }

  /**
   * Sets the NOTIFYs in flight per connection; default 20.
   *
   * @param inflight at least 1
   * @return these options
   */
  public LoadOptions inflight(int inflight) {
    if (inflight < 1) {
      throw new IllegalArgumentException("inflight must be >= 1");
    }
    this.inflight = inflight;
    return this;
  }

  /** {@return the measured time, after the warm-up; default 10 s} */
  public Duration duration() {
    return duration;
  }

  /**
   * Sets the measured time, after the warm-up; default 10 s.
   *
   * @param duration positive
   * @return these options
   */
  public LoadOptions duration(Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be > 0");
    }
    this.duration = duration;
    return this;
  }

  /** {@return how long load is applied before measuring (JIT, pools, TCP windows); nothing from it is reported} */
  public Duration warmup() {
    return warmup;
  }

  /**
   * Sets how long load is applied before measuring; default 3 s.
   *
   * @param warmup zero or more
   * @return these options
   */
  public LoadOptions warmup(Duration warmup) {
    if (warmup.isNegative()) {
      throw new IllegalArgumentException("warmup must be >= 0");
    }
    this.warmup = warmup;
    return this;
  }

  /** {@return how long to wait, after the measured time, for ACKs still in flight before closing} */
  public Duration drainTimeout() {
    return drainTimeout;
  }

  /**
   * Sets how long to wait for ACKs still in flight after the measured time; default 2 s.
   *
   * @param drainTimeout the timeout
   * @return these options
   */
  public LoadOptions drainTimeout(Duration drainTimeout) {
    this.drainTimeout = drainTimeout;
    return this;
  }

  /** {@return the target NOTIFYs per second over all connections; 0 (default) for closed loop} */
  public double rate() {
    return rate;
  }

  /**
   * Fixed-rate mode: NOTIFYs are due at a constant pace (spread evenly over the connections) and
   * latency is measured from when each was due, not from when it could be sent, so a slow agent
   * shows up in the latency (no coordinated omission). A due NOTIFY waits if its connection
   * already has {@link #inflight()} NOTIFYs in flight, as in HAProxy. 0 switches back to closed loop.
   *
   * @param notifiesPerSecond the target rate over all connections, 0 for closed loop
   * @return these options
   */
  public LoadOptions rate(double notifiesPerSecond) {
    if (notifiesPerSecond < 0) {
      throw new IllegalArgumentException("rate must be >= 0");
    }
    this.rate = notifiesPerSecond;
    return this;
  }

  /** {@return the HELLO and id style; default HAProxy 2.6} */
  public HelloStyle helloStyle() {
    return helloStyle;
  }

  /**
   * Sets the HELLO and id style; default {@link HelloStyle#HAPROXY_2_6}.
   *
   * @param helloStyle the style
   * @return these options
   */
  public LoadOptions helloStyle(HelloStyle helloStyle) {
    this.helloStyle = Objects.requireNonNull(helloStyle);
    return this;
  }

  /** {@return the event loops the generator's connections are spread over (its own verticle per loop)} */
  public int eventLoops() {
    return eventLoops;
  }

  /**
   * Sets the event loops the connections are spread over; default 1.
   *
   * @param eventLoops at least 1
   * @return these options
   */
  public LoadOptions eventLoops(int eventLoops) {
    if (eventLoops < 1) {
      throw new IllegalArgumentException("eventLoops must be >= 1");
    }
    this.eventLoops = eventLoops;
    return this;
  }

  /** {@return the max-frame-size offered in HELLO (16380 like HAProxy with the default tune.bufsize)} */
  public long maxFrameSize() {
    return maxFrameSize;
  }

  /**
   * Sets the max-frame-size offered in HELLO; default 16380.
   *
   * @param maxFrameSize the size
   * @return these options
   */
  public LoadOptions maxFrameSize(long maxFrameSize) {
    this.maxFrameSize = maxFrameSize;
    return this;
  }

  /**
   * Adds a kind of NOTIFY to the mix: {@code messages} travel together in one frame (like a
   * {@code spoe-group}); kinds are sent in weighted round-robin order. Without any, each NOTIFY
   * holds {@link #defaultMessage()}.
   *
   * @param messages the messages of this kind of NOTIFY
   * @param weight   its weight in the mix, at least 1
   * @return these options
   */
  public LoadOptions addNotify(List<Message> messages, int weight) {
    notifies.add(new NotifyTemplate(messages, weight));
    return this;
  }

  /**
   * Adds a NOTIFY holding one message, weight 1.
   *
   * @param message the message
   * @return these options
   */
  public LoadOptions addNotify(Message message) {
    return addNotify(List.of(message), 1);
  }

  /** {@return the NOTIFY mix (the default one if none was added)} */
  public List<NotifyTemplate> notifies() {
    return notifies.isEmpty() ? List.of(new NotifyTemplate(List.of(defaultMessage()), 1)) : List.copyOf(notifies);
  }

  @Override
  public String toString() {
    return host + ":" + port + " connections=" + connections + " inflight=" + inflight + " duration=" + duration
        + " warmup=" + warmup + " " + (rate > 0 ? "rate=" + rate + "/s" : "closed-loop") + " hello=" + helloStyle
        + " event-loops=" + eventLoops;
  }
}
