package io.spoavertx.testing.load;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.Locale;

/**
 * What a {@link LoadGenerator} run measured, after its warm-up.
 *
 * <p>{@link #acks()} counts the valid ACKs received during the measured time; the latency
 * {@link #histogram()} (nanoseconds) holds exactly one value per such ACK. In closed-loop mode
 * latency runs from the NOTIFY's send to its ACK; in fixed-rate mode from when the NOTIFY was due.
 *
 * @param measuredNanos   length of the measured time
 * @param notifiesSent    NOTIFYs sent during the measured time
 * @param acks            valid ACKs received during the measured time
 * @param messages        SPOE messages those ACKs answered (acks × messages per NOTIFY)
 * @param actions         actions (SET-VAR/UNSET-VAR) in those ACKs
 * @param histogram       latency of those ACKs, in nanoseconds
 * @param unknownIds      ACKs (whole run) whose stream-id/frame-id matches no NOTIFY in flight
 * @param malformedAcks   frames (whole run) that are not valid ACKs, or unexpected frame types
 * @param agentDisconnects AGENT-DISCONNECT frames received (whole run)
 * @param connectionCloses connections closed by the agent before the end of the run
 * @param connectFailures connections that could not be opened or failed the HELLO
 * @param reads           socket reads during the measured time (ACKs per read shows the batching)
 * @param writes          socket writes during the measured time
 * @param cpuNanos        CPU time of this whole JVM during the measured time (-1 if unknown): the
 *                        generator's own cost when nothing else runs in its JVM
 * @param targetRate      fixed-rate target (NOTIFYs/s), 0 for closed loop
 * @param firstError      description of the first error seen, or null
 */
public record LoadReport(long measuredNanos, long notifiesSent, long acks, long messages, long actions,
    Histogram histogram, long unknownIds, long malformedAcks, long agentDisconnects, long connectionCloses,
    long connectFailures, long reads, long writes, long cpuNanos, double targetRate, String firstError) {

  /** {@return all errors together} */
  public long errors() {
    return unknownIds + malformedAcks + agentDisconnects + connectionCloses + connectFailures;
  }

  /** {@return the SPOE messages answered per second} */
  public double messagesPerSecond() {
    return messages * 1e9 / measuredNanos;
  }

  /** {@return the ACKs (NOTIFYs answered) per second} */
  public double acksPerSecond() {
    return acks * 1e9 / measuredNanos;
  }

  /**
   * A latency percentile.
   *
   * @param percentile the percentile, e.g. 99.9
   * @return the latency in microseconds; 0 if nothing was measured
   */
  public double percentileMicros(double percentile) {
    return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
  }

  /** {@return the median latency in microseconds} */
  public double p50Micros() {
    return percentileMicros(50);
  }

  /** {@return the 99th percentile latency in microseconds} */
  public double p99Micros() {
    return percentileMicros(99);
  }

  /** {@return the 99.9th percentile latency in microseconds} */
  public double p999Micros() {
    return percentileMicros(99.9);
  }

  /** {@return the largest latency in microseconds; 0 if nothing was measured} */
  public double maxMicros() {
    return histogram.getTotalCount() == 0 ? 0 : histogram.getMaxValue() / 1000.0;
  }

  /** {@return one line, e.g. {@code 2,410,000 msgs/s (acks 2,410,000/s) p50 61 us p99 180 us ... errors 0}} */
  public String summary() {
    return String.format(Locale.ROOT,
        "%,.0f msgs/s (%,.0f ACKs/s%s) latency p50 %.1f us p99 %.1f us p99.9 %.1f us max %.1f us; "
            + "%,d ACKs in %.2f s, errors %d (unknown-ids %d, malformed %d, agent-disconnects %d, closes %d, "
            + "connect-failures %d); %.1f ACKs/read, %.1f NOTIFYs/write, generator JVM CPU %.0f%% = %.2f us/ACK",
        messagesPerSecond(), acksPerSecond(), targetRate > 0 ? String.format(Locale.ROOT, ", target %,.0f/s", targetRate) : "",
        p50Micros(), p99Micros(), p999Micros(), maxMicros(), acks, measuredNanos / 1e9, errors(), unknownIds,
        malformedAcks, agentDisconnects, connectionCloses, connectFailures, reads == 0 ? 0.0 : (double) acks / reads,
        writes == 0 ? 0.0 : (double) notifiesSent / writes, cpuNanos * 100.0 / measuredNanos,
        acks == 0 ? 0.0 : cpuNanos / 1000.0 / acks);
  }

  /** {@return the report as JSON: rates, counts, latency percentiles in microseconds and errors} */
  public JsonObject toJson() {
    return new JsonObject()
        .put("messagesPerSecond", messagesPerSecond())
        .put("acksPerSecond", acksPerSecond())
        .put("targetRate", targetRate)
        .put("measuredSeconds", measuredNanos / 1e9)
        .put("notifiesSent", notifiesSent)
        .put("acks", acks)
        .put("messages", messages)
        .put("actions", actions)
        .put("reads", reads)
        .put("cpuMicrosPerAck", acks == 0 || cpuNanos < 0 ? null : cpuNanos / 1000.0 / acks)
        .put("cpuPercent", cpuNanos < 0 ? null : cpuNanos * 100.0 / measuredNanos)
        .put("writes", writes)
        .put("latencyMicros", new JsonObject()
            .put("p50", p50Micros())
            .put("p90", percentileMicros(90))
            .put("p99", p99Micros())
            .put("p99.9", p999Micros())
            .put("max", maxMicros())
            .put("mean", histogram.getTotalCount() == 0 ? 0 : histogram.getMean() / 1000.0)
            .put("count", histogram.getTotalCount()))
        .put("errors", new JsonObject()
            .put("total", errors())
            .put("unknownIds", unknownIds)
            .put("malformedAcks", malformedAcks)
            .put("agentDisconnects", agentDisconnects)
            .put("connectionCloses", connectionCloses)
            .put("connectFailures", connectFailures)
            .put("first", firstError));
  }

  @Override
  public String toString() {
    return summary();
  }
}
