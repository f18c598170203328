package io.spoavertx.bench;

import io.spoavertx.codec.FrameType;
import io.spoavertx.codec.SpopWriter;
import io.spoavertx.handler.Actions;
import io.spoavertx.handler.Scope;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * ACK encode alone: an ACK frame (stream-id 1234, frame-id 1) with 2 SET-VAR actions
 * ({@code txn.score} INT64 42, {@code txn.deny} BOOL false), written into one output buffer that is
 * reused (cleared) every operation.
 *
 * <ul>
 *   <li>{@code actionsPerAck}: the handler builds {@code Actions.create().setVar(..).setVar(..)} (as a
 *       handler does per message), the agent copies its encoding into the ACK
 *       ({@link Actions#writeTo});</li>
 *   <li>{@code actionsPerAckEncoded}: the same, the agent appending {@link Actions#encoded()} (a
 *       Buffer over the actions' array: one wrapper per list);</li>
 *   <li>{@code prebuiltActions}: the same with actions built once (the frame writing alone);</li>
 *   <li>{@code writerDirect}: {@link SpopWriter} writes the actions straight into the output.</li>
 * </ul>
 */
@org.openjdk.jmh.annotations.State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class AckEncodeBenchmark {

  private Buffer out;
  private Actions prebuilt;

  @Setup(Level.Trial)
  public void setUp() {
    out = Buffer.buffer(4096);
    prebuilt = Actions.create().setVar(Scope.TXN, "score", 42L).setVar(Scope.TXN, "deny", false).freeze();
    actionsPerAck();
    if (out.length() != 4 + 1 + 4 + 2 + 1 + prebuilt.encodedLength()) {
      throw new IllegalStateException("unexpected ACK length " + out.length());
    }
    reset();
    if (out.length() != 0) {
      throw new IllegalStateException("the output buffer cannot be reused");
    }
  }

  private void reset() {
    ((BufferInternal) out).unwrap().clear();
  }

  @Benchmark
  public Buffer actionsPerAck() {
    reset();
    Actions a = Actions.create().setVar(Scope.TXN, "score", 42L).setVar(Scope.TXN, "deny", false).freeze();
    int start = SpopWriter.beginFrame(out, FrameType.ACK, 1234, 1);
    a.writeTo(out);
    SpopWriter.endFrame(out, start);
    return out;
  }

  @Benchmark
  public Buffer actionsPerAckEncoded() {
    reset();
    Actions a = Actions.create().setVar(Scope.TXN, "score", 42L).setVar(Scope.TXN, "deny", false).freeze();
    int start = SpopWriter.beginFrame(out, FrameType.ACK, 1234, 1);
    out.appendBuffer(a.encoded());
    SpopWriter.endFrame(out, start);
    return out;
  }

  @Benchmark
  public Buffer prebuiltActions() {
    reset();
    int start = SpopWriter.beginFrame(out, FrameType.ACK, 1234, 1);
    prebuilt.writeTo(out);
    SpopWriter.endFrame(out, start);
    return out;
  }

  @Benchmark
  public Buffer writerDirect() {
    reset();
    int start = SpopWriter.beginFrame(out, FrameType.ACK, 1234, 1);
    SpopWriter.beginSetVar(out, Scope.TXN.code(), "score");
    SpopWriter.writeInt64(out, 42L);
    SpopWriter.beginSetVar(out, Scope.TXN.code(), "deny");
    SpopWriter.writeBool(out, false);
    SpopWriter.endFrame(out, start);
    return out;
  }
}
