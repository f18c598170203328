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
 * @param idleTimeoutMs close a connection idle this long; 0 disables (default 0: HAProxy manages idle connections)
 * @param maxInFlightPerConnection NOTIFYs awaiting their ACK on one connection before the agent
 *     stops reading it (default 256; HAProxy sends at most 20 per connection by default)
 * @param maxReassembledSize largest NOTIFY payload rebuilt from fragments (default 1 MiB)
 */
public record ProtocolOptions(Integer maxFrameSize, Boolean pipelining, Boolean fragmentation, Long helloTimeoutMs,
                              Long idleTimeoutMs, Integer maxInFlightPerConnection, Integer maxReassembledSize) {

  public static final ProtocolOptions DEFAULT = new ProtocolOptions(null, null, null, null, null, null, null);

  public ProtocolOptions {
    maxFrameSize = range("maxFrameSize", orDefault(maxFrameSize, 16380), 256, 16 * 1024 * 1024);
    pipelining = orDefault(pipelining, true);
    fragmentation = orDefault(fragmentation, false);
    helloTimeoutMs = positive("helloTimeoutMs", orDefault(helloTimeoutMs, 10_000L));
    idleTimeoutMs = nonNegative("idleTimeoutMs", orDefault(idleTimeoutMs, 0L));
    maxInFlightPerConnection = range("maxInFlightPerConnection", orDefault(maxInFlightPerConnection, 256), 1, 1 << 20);
    maxReassembledSize = range("maxReassembledSize", orDefault(maxReassembledSize, 1 << 20), 256, 1 << 30);
  }

  public ProtocolOptions withMaxFrameSize(int size) {
    return new ProtocolOptions(size, pipelining, fragmentation, helloTimeoutMs, idleTimeoutMs,
        maxInFlightPerConnection, maxReassembledSize);
  }

  public ProtocolOptions withFragmentation(boolean on) {
    return new ProtocolOptions(maxFrameSize, pipelining, on, helloTimeoutMs, idleTimeoutMs,
        maxInFlightPerConnection, maxReassembledSize);
  }

  public ProtocolOptions withHelloTimeoutMs(long ms) {
    return new ProtocolOptions(maxFrameSize, pipelining, fragmentation, ms, idleTimeoutMs,
        maxInFlightPerConnection, maxReassembledSize);
  }

  public ProtocolOptions withMaxInFlightPerConnection(int n) {
    return new ProtocolOptions(maxFrameSize, pipelining, fragmentation, helloTimeoutMs, idleTimeoutMs,
        n, maxReassembledSize);
  }
}
