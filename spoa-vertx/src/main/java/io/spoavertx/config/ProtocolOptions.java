package io.spoavertx.config;

import static io.spoavertx.config.Check.nonNegative;
import static io.spoavertx.config.Check.orDefault;
import static io.spoavertx.config.Check.positive;
import static io.spoavertx.config.Check.range;

/**
 * SPOP settings.
 *
 * @param maxFrameSize the largest frame we accept and announce (default 16380, HAProxy's own
 *     default; the negotiated size is min(ours, HAProxy's); at least 256)
 * @param pipelining announce the {@code pipelining} capability (default true)
 * @param fragmentation announce {@code fragmentation} and reassemble fragmented NOTIFYs (default false)
 * @param helloTimeoutMs close a connection that sends no HELLO within this time (default 10000)
 * @param idleTimeoutMs a connection that sends nothing this long, with nothing in flight, gets
 *     AGENT-DISCONNECT status 2 and is closed; 0 disables (default 0: HAProxy closes idle connections itself)
 * @param maxInFlightPerConnection NOTIFYs awaiting their ACK on one connection before the agent
 *     stops reading it (default 256; HAProxy sends at most 20 per connection by default)
 * @param maxReassembledSize largest NOTIFY payload rebuilt from fragments (default 1 MiB)
 * @param maxInFlightTotal NOTIFYs awaiting their ACK over all connections (split evenly over the
 *     listener instances); past it the agent stops reading the connection that brought the next
 *     one until ACKs drain (default 100000)
 */
public record ProtocolOptions(Integer maxFrameSize, Boolean pipelining, Boolean fragmentation, Long helloTimeoutMs,
                              Long idleTimeoutMs, Integer maxInFlightPerConnection, Integer maxReassembledSize,
                              Integer maxInFlightTotal) {

  /** All defaults. */
  public static final ProtocolOptions DEFAULT = new ProtocolOptions(null, null, null, null, null, null, null, null);

  /**
   * Applies the defaults to null components and validates the others.
   *
   * @param maxFrameSize             256..16 MiB; null for 16380
   * @param pipelining               null for true
   * @param fragmentation            null for false
   * @param helloTimeoutMs           positive; null for 10000
   * @param idleTimeoutMs            0 or more; null for 0 (disabled)
   * @param maxInFlightPerConnection null for 256
   * @param maxReassembledSize       null for 1 MiB
   * @param maxInFlightTotal         null for 100000
   * @throws IllegalArgumentException if a value is out of range; the message starts with its key
   */
  public ProtocolOptions {
    maxFrameSize = range("maxFrameSize", orDefault(maxFrameSize, 16380), 256, 16 * 1024 * 1024);
    pipelining = orDefault(pipelining, true);
    fragmentation = orDefault(fragmentation, false);
    helloTimeoutMs = positive("helloTimeoutMs", orDefault(helloTimeoutMs, 10_000L));
    idleTimeoutMs = nonNegative("idleTimeoutMs", orDefault(idleTimeoutMs, 0L));
    maxInFlightPerConnection = range("maxInFlightPerConnection", orDefault(maxInFlightPerConnection, 256), 1, 1 << 20);
    maxReassembledSize = range("maxReassembledSize", orDefault(maxReassembledSize, 1 << 20), 256, 1 << 30);
    maxInFlightTotal = range("maxInFlightTotal", orDefault(maxInFlightTotal, 100_000), 1, 1 << 30);
  }

  /**
   * {@return a copy with another max frame size}
   *
   * @param size the largest frame, 256..16 MiB
   */
  public ProtocolOptions withMaxFrameSize(int size) {
    return new ProtocolOptions(size, pipelining, fragmentation, helloTimeoutMs, idleTimeoutMs,
        maxInFlightPerConnection, maxReassembledSize, maxInFlightTotal);
  }

  /**
   * {@return a copy with fragmentation on or off}
   *
   * @param on true to announce and reassemble fragments
   */
  public ProtocolOptions withFragmentation(boolean on) {
    return new ProtocolOptions(maxFrameSize, pipelining, on, helloTimeoutMs, idleTimeoutMs,
        maxInFlightPerConnection, maxReassembledSize, maxInFlightTotal);
  }

  /**
   * {@return a copy with another HELLO timeout}
   *
   * @param ms the timeout, positive
   */
  public ProtocolOptions withHelloTimeoutMs(long ms) {
    return new ProtocolOptions(maxFrameSize, pipelining, fragmentation, ms, idleTimeoutMs,
        maxInFlightPerConnection, maxReassembledSize, maxInFlightTotal);
  }

  /**
   * {@return a copy with another limit on NOTIFYs in flight over all connections}
   *
   * @param n the limit
   */
  public ProtocolOptions withMaxInFlightTotal(int n) {
    return new ProtocolOptions(maxFrameSize, pipelining, fragmentation, helloTimeoutMs, idleTimeoutMs,
        maxInFlightPerConnection, maxReassembledSize, n);
  }

  /**
   * {@return a copy with another idle timeout}
   *
   * @param ms the timeout, 0 to disable
   */
  public ProtocolOptions withIdleTimeoutMs(long ms) {
    return new ProtocolOptions(maxFrameSize, pipelining, fragmentation, helloTimeoutMs, ms,
        maxInFlightPerConnection, maxReassembledSize, maxInFlightTotal);
  }

  /**
   * {@return a copy with another limit on reassembled NOTIFYs}
   *
   * @param n the largest payload, in bytes
   */
  public ProtocolOptions withMaxReassembledSize(int n) {
    return new ProtocolOptions(maxFrameSize, pipelining, fragmentation, helloTimeoutMs, idleTimeoutMs,
        maxInFlightPerConnection, n, maxInFlightTotal);
  }

  /**
   * {@return a copy with another limit on NOTIFYs in flight per connection}
   *
   * @param n the limit
   */
  public ProtocolOptions withMaxInFlightPerConnection(int n) {
    return new ProtocolOptions(maxFrameSize, pipelining, fragmentation, helloTimeoutMs, idleTimeoutMs,
        n, maxReassembledSize, maxInFlightTotal);
  }
}
