package io.spoavertx.bench;

import io.spoavertx.codec.FrameHeader;
import io.spoavertx.codec.FrameParser;
import io.spoavertx.codec.NotifyScanner;
import io.spoavertx.codec.SpopException;
import io.spoavertx.codec.SpopReader;
import io.spoavertx.agent.impl.MessageViews;
import io.spoavertx.handler.SpoeMessage;
import io.spoavertx.testing.GoldenFrames;
import io.spoavertx.testing.SpopClientCodec;
import io.spoavertx.testing.load.LoadOptions;
import io.vertx.core.buffer.Buffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * NOTIFY decode alone, as the agent does it per frame: {@link FrameParser} splits the read,
 * {@link FrameHeader} reads type/flags/ids, {@link NotifyScanner} validates and indexes the
 * messages, then a {@link SpoeMessage} view per message.
 *
 * <ul>
 *   <li>{@code scan}: parser + header + scanner, no message object (the codec's own cost);</li>
 *   <li>{@code views}: + one SpoeMessage per message, handed to the Blackhole (what the agent allocates);</li>
 *   <li>{@code readArgs}: + the typical getters a handler calls on the 5 arguments
 *       (getAddress, getString ×2, getLong, getBoolean);</li>
 *   <li>{@code goldenViews}: the 154-byte NOTIFY captured from HAProxy 2.6.12 (2 messages, 10 args).</li>
 * </ul>
 * Frame: the load generator's default {@code bench} message (ip IPV4, path STRING 20 B, ua STRING
 * 63 B, port INT64, flag BOOL), stream-id 1234, frame-id 1, as HAProxy encodes it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class NotifyDecodeBenchmark {

  private Buffer bench;
  private Buffer golden;
  private Decoder decoder;
  private FrameParser parser;

  static final int SCAN = 0;
  static final int VIEWS = 1;
  static final int READ_ARGS = 2;

  @Setup(Level.Trial)
  public void setUp() {
    bench = SpopClientCodec.encodeNotify(1234, 1, List.of(LoadOptions.defaultMessage()));
    golden = GoldenFrames.load("haproxy-2.6.12-notify");
    decoder = new Decoder();
    parser = new FrameParser(16380, decoder);
  }

  @Benchmark
  public int scan(Blackhole bh) {
    return run(bench, SCAN, bh);
  }

  @Benchmark
  public int views(Blackhole bh) {
    return run(bench, VIEWS, bh);
  }

  @Benchmark
  public int readArgs(Blackhole bh) {
    return run(bench, READ_ARGS, bh);
  }

  @Benchmark
  public int goldenViews(Blackhole bh) {
    return run(golden, VIEWS, bh);
  }

  private int run(Buffer frame, int mode, Blackhole bh) {
    decoder.mode = mode;
    decoder.bh = bh;
    parser.handle(frame);
    return decoder.messages;
  }

  /** What SpopConnection does for a NOTIFY, minus dispatch. */
  static final class Decoder implements FrameParser.Handler {
    final SpopReader reader = new SpopReader();
    final FrameHeader header = new FrameHeader();
    final NotifyScanner scanner = new NotifyScanner();
    int mode;
    Blackhole bh;
    int messages;

    @Override
    public void frame(Buffer buf, int start, int end) {
      reader.reset(buf, start, end);
      header.read(reader);
      int n = scanner.scan(buf, reader.pos(), end);
      messages = n;
      bh.consume(header.streamId);
      if (mode == SCAN) {
        bh.consume(scanner.argsOffset(n - 1));
        return;
      }
      byte[] bytes = scanner.array();
      int base = scanner.arrayOffset();
      for (int i = 0; i < n; i++) {
        // the agent resolves the name to a route (and its interned name) without decoding it
        String name = SpopReader.nameEquals(bytes, base + scanner.nameOffset(i), scanner.nameLength(i), "bench") ? "bench"
            : SpopReader.nameEquals(bytes, base + scanner.nameOffset(i), scanner.nameLength(i), "check-client-ip")
                ? "check-client-ip" : "check-request-meta";
        SpoeMessage m = MessageViews.create(bytes, base + scanner.start(i), base + scanner.end(i), name, base + scanner.argsOffset(i),
            scanner.argCount(i));
        if (mode == READ_ARGS) {
          bh.consume(m.getAddress("ip"));
          bh.consume(m.getString("path"));
          bh.consume(m.getString("ua"));
          bh.consume(m.getLong("port", -1));
          bh.consume(m.getBoolean("flag"));
        } else {
          bh.consume(m);
        }
      }
    }

    @Override
    public void frameError(SpopException error) {
      throw error;
    }
  }
}
