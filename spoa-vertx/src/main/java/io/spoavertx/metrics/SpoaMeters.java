package io.spoavertx.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.spoavertx.metrics.AgentStats.CloseReason;
import io.spoavertx.metrics.AgentStats.Outcome;
import io.spoavertx.codec.DisconnectStatus;
import io.spoavertx.codec.FrameType;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Exports an agent's {@link AgentStats} to Micrometer, in Prometheus style (names below as
 * Prometheus shows them). Counters and gauges read the stats when scraped, so they cost the hot
 * path nothing; the two latency timers are recorded as frames complete.
 *
 * <ul>
 *   <li>{@code spoa_connections_active}, {@code spoa_connections_opened_total},
 *       {@code spoa_connections_closed_total{reason}}</li>
 *   <li>{@code spoa_hellos_total{kind=normal|healthcheck}}</li>
 *   <li>{@code spoa_frames_received_total{type}}, {@code spoa_frames_sent_total{type}}</li>
 *   <li>{@code spoa_notify_ack_seconds} (histogram): NOTIFY read to ACK written</li>
 *   <li>{@code spoa_message_seconds{message,outcome=ok|error|timeout|no_handler|bad_args}} (histogram):
 *       per-message handling time; its {@code _count} is the per-message outcome counter</li>
 *   <li>{@code spoa_message_drift_total{message,kind=undeclared_arg|missing_arg|wrong_type}}: messages
 *       that differed from their handler's {@link io.spoavertx.handler.MessageSpec} (registered with
 *       the message's other series)</li>
 *   <li>{@code spoa_inflight_notifies}, {@code spoa_fragmented_notifies_total},
 *       {@code spoa_aborted_notifies_total}, {@code spoa_acks_too_big_total}</li>
 *   <li>{@code spoa_disconnects_total{side=agent|haproxy,status}}</li>
 *   <li>{@code spoa_dispatch_hops_total{kind=cross_loop|worker|remote}}: messages handled on
 *       another thread than the event loop that read them</li>
 * </ul>
 *
 * Message names become label values; past {@value #MAX_MESSAGE_NAMES} distinct names the rest are
 * counted as {@code other}, so a misconfigured HAProxy cannot explode the cardinality.
 */
public final class SpoaMeters implements AgentStats.LatencyRecorder {

  static final int MAX_MESSAGE_NAMES = 256;

  private final MeterRegistry registry;
  private final AgentStats stats;
  private final Timer notifyToAck;
  private final ConcurrentHashMap<String, Timer[]> byMessage = new ConcurrentHashMap<>();

  private SpoaMeters(MeterRegistry registry, AgentStats stats) {
    this.registry = registry;
    this.stats = stats;
    this.notifyToAck = histogram(Timer.builder("spoa.notify.ack")
        .description("Time from reading a NOTIFY to writing its ACK")).register(registry);
  }

  /**
   * Registers the agent's meters on {@code registry} and starts recording latencies.
   *
   * @param registry where the meters go
   * @param s        the agent's counters, e.g. {@code SpoaAgent.stats()}
   * @return the latency recorder to give the agent
   */
  public static SpoaMeters bind(MeterRegistry registry, AgentStats s) {
    Gauge.builder("spoa.connections.active", s, AgentStats::connectionsActive)
        .description("Open connections from HAProxy").register(registry);
    FunctionCounter.builder("spoa.connections.opened", s, AgentStats::connectionsOpened)
        .description("Connections accepted").register(registry);
    FunctionCounter.builder("spoa.connections.refused", s, AgentStats::connectionsRefused)
        .description("Connections closed at accept: listener.maxConnections reached").register(registry);
    for (CloseReason reason : CloseReason.values()) {
      FunctionCounter.builder("spoa.connections.closed", s, x -> x.connectionsClosed(reason))
          .tag("reason", label(reason.name())).description("Connections closed, by reason").register(registry);
    }
    FunctionCounter.builder("spoa.hellos", s, AgentStats::hellos).tag("kind", "normal")
        .description("HELLO handshakes").register(registry);
    FunctionCounter.builder("spoa.hellos", s, AgentStats::healthchecks).tag("kind", "healthcheck")
        .description("HELLO handshakes").register(registry);
    for (int type : AgentStats.frameTypes()) {
      String name = label(FrameType.name(type));
      if (type < FrameType.AGENT_HELLO) {
        FunctionCounter.builder("spoa.frames.received", s, x -> x.framesReceived(type)).tag("type", name)
            .description("Frames received from HAProxy, by type").register(registry);
      } else {
        FunctionCounter.builder("spoa.frames.sent", s, x -> x.framesSent(type)).tag("type", name)
            .description("Frames sent to HAProxy, by type").register(registry);
      }
    }
    Gauge.builder("spoa.inflight.notifies", s, AgentStats::inflight)
        .description("NOTIFYs read and not yet answered").register(registry);
    FunctionCounter.builder("spoa.fragmented.notifies", s, AgentStats::fragmentsReassembled)
        .description("NOTIFYs reassembled from fragments").register(registry);
    FunctionCounter.builder("spoa.aborted.notifies", s, AgentStats::framesAborted)
        .description("Fragmented NOTIFYs aborted by HAProxy").register(registry);
    FunctionCounter.builder("spoa.acks.too.big", s, AgentStats::acksTooBig)
        .description("ACKs sent without their actions because they exceeded max-frame-size").register(registry);
    for (DisconnectStatus status : DisconnectStatus.values()) {
      FunctionCounter.builder("spoa.disconnects", s, x -> x.agentDisconnects(status.code()))
          .tags("side", "agent", "status", Integer.toString(status.code()))
          .description("DISCONNECT frames, by side and status code").register(registry);
      FunctionCounter.builder("spoa.disconnects", s, x -> x.haproxyDisconnects(status.code()))
          .tags("side", "haproxy", "status", Integer.toString(status.code()))
          .description("DISCONNECT frames, by side and status code").register(registry);
    }
    for (AgentStats.Hop hop : AgentStats.Hop.values()) {
      FunctionCounter.builder("spoa.dispatch.hops", s, x -> x.hops(hop)).tag("kind", label(hop.name()))
          .description("Messages handled on another thread than the event loop that read them, by kind")
          .register(registry);
    }
    return new SpoaMeters(registry, s);
  }

  @Override
  public void notifyToAck(long nanos) {
    notifyToAck.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void message(String name, Outcome outcome, long nanos) {
    Timer[] timers = byMessage.get(name);
    if (timers == null) {
      timers = byMessage.size() < MAX_MESSAGE_NAMES ? byMessage.computeIfAbsent(name, this::timers)
          : byMessage.computeIfAbsent("other", this::timers);
    }
    timers[outcome.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
  }

  private Timer[] timers(String name) {
    for (AgentStats.Drift d : AgentStats.Drift.values()) {
      FunctionCounter.builder("spoa.message.drift", stats, x -> x.drift(name, d))
          .tags("message", name, "kind", label(d.name()))
          .description("Messages that differed from their handler's declaration, by name and kind").register(registry);
    }
    Timer[] t = new Timer[Outcome.values().length];
    for (Outcome o : Outcome.values()) {
      t[o.ordinal()] = histogram(Timer.builder("spoa.message").tags("message", name, "outcome", label(o.name()))
          .description("Handling time of one message, by name and outcome")).register(registry);
    }
    return t;
  }

  private static Timer.Builder histogram(Timer.Builder b) {
    return b.publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(20_000))
        .maximumExpectedValue(Duration.ofSeconds(10));
  }

  private static String label(String name) {
    return name.toLowerCase(Locale.ROOT).replace('-', '_');
  }
}
