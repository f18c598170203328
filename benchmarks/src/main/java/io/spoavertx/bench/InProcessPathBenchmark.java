package io.spoavertx.bench;

import io.spoavertx.codec.FrameHeader;
import io.spoavertx.codec.FrameParser;
import io.spoavertx.codec.FrameType;
import io.spoavertx.codec.NotifyScanner;
import io.spoavertx.codec.SpopException;
import io.spoavertx.codec.SpopReader;
import io.spoavertx.codec.SpopWriter;
import io.spoavertx.handler.Actions;
import io.spoavertx.handler.internal.EventBusCodecs;
import io.spoavertx.agent.SpoeHandlers;
import io.spoavertx.handler.SpoeHandler;
import io.spoavertx.agent.impl.MessageViews;
import io.spoavertx.handler.SpoeMessage;
import io.spoavertx.handler.SyncSpoeHandler;
import io.spoavertx.handler.internal.LocalBatch;
import io.spoavertx.handler.internal.LocalHandlers;
import io.spoavertx.handler.internal.LocalRequest;
import io.spoavertx.testing.SpopClientCodec;
import io.spoavertx.testing.load.LoadOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The whole in-process path, frame bytes to ACK bytes, per message, for a read of
 * {@value #BATCH} pipelined NOTIFYs of the load generator's 5-argument {@code bench} message
 * (what one read holds at 8 connections × 20 in flight), answered by {@link AgentBenchMain#HANDLER}
 * (2 arguments read, 2 variables set):
 *
 * <ul>
 *   <li>{@code direct}: parse, scan, view, handler, ACK written into a reused buffer, on the
 *       benchmark thread, as a direct handler runs on the connection's event loop;</li>
 *   <li>{@code eventBus}: the same, the messages handed as the agent hands them to a handler
 *       verticle of its JVM on another event loop (the {@code LocalRequest}s of the read in one
 *       {@code LocalBatch}, one task on the context of a handler registered with {@link SpoeHandlers};
 *       until 2026-12 this went over the event bus, hence the name); answers come back to the
 *       "connection" event loop, which writes each ACK; the benchmark thread waits for the
 *       {@value #BATCH} ACKs. A handler on the connection's own event loop is called within the
 *       read instead, with no hop (end-to-end figures: BENCHMARKS.md).</li>
 * </ul>
 * No socket and no connection state machine ({@code SpopConnection} needs a real socket: the end
 * to end figures with it are {@code AgentBenchMain} + the load generator, BENCHMARKS.md). B/op
 * from {@code -prof gc} is per message and, for {@code eventBus}, includes the event loops'
 * allocations (the benchmark thread itself allocates next to nothing there). {@code eventBus}
 * time is the wall time of a batch's round trip through two event loops divided by
 * {@value #BATCH}, thread wake-ups included: a latency, not the CPU a message costs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class InProcessPathBenchmark {

  static final int BATCH = 20;

  private Buffer read;
  private Buffer out;
  private FrameParser directParser;
  private FrameParser directSyncParser;
  private Vertx vertx;
  private Context connection;
  private FrameParser busParser;
  private BusPath bus;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    read = Buffer.buffer();
    for (int i = 0; i < BATCH; i++) {
      read.appendBuffer(SpopClientCodec.encodeNotify(2 * i + 1, 1, List.of(LoadOptions.defaultMessage())));
    }
    out = Buffer.buffer(8192);
    directParser = new FrameParser(16380, new DirectPath(out));
    directSyncParser = new FrameParser(16380, new DirectSyncPath(out));

    vertx = Vertx.vertx();
    EventBusCodecs.register(vertx);
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return SpoeHandlers.register(vertx, "bench", AgentBenchMain.HANDLER).completion();
      }
    }).await(10, TimeUnit.SECONDS);
    connection = vertx.getOrCreateContext();
    bus = new BusPath(vertx, connection, Thread.currentThread());
    busParser = new FrameParser(16380, bus);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int direct() {
    ((BufferInternal) out).unwrap().clear();
    directParser.handle(read);
    return out.length();
  }

  /** {@code direct} with {@link AgentBenchMain#SYNC_HANDLER}: a lent action list and reused views, as the agent does. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int directSync() {
    ((BufferInternal) out).unwrap().clear();
    directSyncParser.handle(read);
    return out.length();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int eventBus() {
    bus.waiter = Thread.currentThread();
    bus.acks = 0;
    connection.runOnContext(bus.start.with(busParser, read));
    while (bus.acks < BATCH) {
      LockSupport.park(bus);
    }
    return bus.out.length();
  }

  /** Header, scan, views, as SpopConnection does for a NOTIFY. */
  abstract static class Decode implements FrameParser.Handler {
    final SpopReader reader = new SpopReader();
    final FrameHeader header = new FrameHeader();
    final NotifyScanner scanner = new NotifyScanner();

    @Override
    public void frame(Buffer buf, int start, int end) {
      reader.reset(buf, start, end);
      header.read(reader);
      int n = scanner.scan(buf, reader.pos(), end);
      byte[] bytes = scanner.array();
      int base = scanner.arrayOffset();
      for (int i = 0; i < n; i++) {
        if (!SpopReader.nameEquals(bytes, base + scanner.nameOffset(i), scanner.nameLength(i), "bench")) {
          throw new IllegalStateException("unexpected message");
        }
        int from = base + scanner.start(i);
        int to = base + scanner.end(i);
        int args = base + scanner.argsOffset(i);
        SpoeMessage m = reuseViews() ? MessageViews.reset(view, bytes, from, to, "bench", args, scanner.argCount(i))
            : MessageViews.create(bytes, from, to, "bench", args, scanner.argCount(i));
        message(m, header.streamId, header.frameId);
      }
    }

    abstract void message(SpoeMessage m, long streamId, long frameId);

    /** Whether messages reuse one view (the agent reuses a view per slot once its handler has answered). */
    boolean reuseViews() {
      return false;
    }

    private final SpoeMessage view = MessageViews.create(new byte[0], 0, 0, "", 0, 0);

    @Override
    public void frameError(SpopException error) {
      throw error;
    }
  }

  static void writeAck(Buffer out, long streamId, long frameId, Actions actions) {
    int start = SpopWriter.beginFrame(out, FrameType.ACK, streamId, frameId);
    actions.writeTo(out);
    SpopWriter.endFrame(out, start);
  }

  static final class DirectPath extends Decode {
    private final Buffer out;

    DirectPath(Buffer out) {
      this.out = out;
    }

    @Override
    void message(SpoeMessage m, long streamId, long frameId) {
      Future<Actions> f = AgentBenchMain.HANDLER.handle(m);
      writeAck(out, streamId, frameId, f.result());
    }
  }

  /** As the agent runs a {@code SpoeHandler.sync} direct handler: one reused view and list per slot. */
  static final class DirectSyncPath extends Decode {
    private final Buffer out;
    private final SpoeHandler.Sync handler = ((SyncSpoeHandler) AgentBenchMain.SYNC_HANDLER).sync();
    private final Actions actions = Actions.create();

    DirectSyncPath(Buffer out) {
      this.out = out;
    }

    @Override
    boolean reuseViews() {
      return true;
    }

    @Override
    void message(SpoeMessage m, long streamId, long frameId) {
      try {
        handler.handle(m, actions.clear());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      writeAck(out, streamId, frameId, actions);
    }
  }

  /** The event-bus path: sends from the connection's context, ACKs written back on it. */
  static final class BusPath extends Decode {
    final Buffer out = Buffer.buffer(8192);
    final Start start = new Start();
    final Context connection;
    final Vertx vertx;
    volatile Thread waiter;
    volatile int acks;

    BusPath(Vertx vertx, Context connection, Thread waiter) {
      this.vertx = vertx;
      this.connection = connection;
      this.waiter = waiter;
    }

    /** As the agent does since its local batches: the requests of one read go in one delivery. */
    LocalBatch batch;

    @Override
    void message(SpoeMessage m, long streamId, long frameId) {
      batch.add(new Request(m, streamId, frameId));
    }

    final class Start implements Handler<Void> {
      FrameParser parser;
      Buffer read;

      Start with(FrameParser parser, Buffer read) {
        this.parser = parser;
        this.read = read;
        return this;
      }

      @Override
      public void handle(Void v) {
        ((BufferInternal) out).unwrap().clear();
        batch = new LocalBatch();
        parser.handle(read);
        LocalHandlers.of(vertx).endpoints(SpoeHandlers.address("bench"))[0].deliver(batch);
      }
    }

    /** As SpopConnection's envelope: the answer hops back to the connection's event loop. */
    final class Request extends LocalRequest implements Handler<Void> {
      final long streamId;
      final long frameId;
      Actions actions;

      Request(SpoeMessage m, long streamId, long frameId) {
        super(m);
        this.streamId = streamId;
        this.frameId = frameId;
      }

      @Override
      public Actions actions() {
        return Actions.create(); // only a SpoeHandler.sync handler asks; this benchmark's does not
      }

      @Override
      public void complete(Actions actions) {
        this.actions = actions;
        connection.runOnContext(this);
      }

      @Override
      public void fail(Throwable cause) {
        throw new IllegalStateException(cause);
      }

      @Override
      public void handle(Void v) {
        writeAck(out, streamId, frameId, actions);
        acks = acks + 1; // only this event loop writes it
        if (acks == BATCH) {
          LockSupport.unpark(waiter);
        }
      }
    }
  }
}
