package io.spoavertx.handler;

import io.spoavertx.handler.internal.EventBusCodecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.codec.FrameHeader;
import io.spoavertx.codec.HeapArrays;
import io.spoavertx.codec.NotifyScanner;
import io.spoavertx.codec.SpopReader;
import io.spoavertx.codec.TestBuffers;
import io.spoavertx.testing.Allocations;
import io.spoavertx.testing.SpopClientCodec;
import io.spoavertx.testing.load.LoadOptions;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Pins what the handler API allocates per message (see codec's AllocationPinningTest for the
 * codec): a by-name lookup allocates nothing but the value it returns, and a list of actions costs
 * itself and one small array. Raise a limit only on purpose.
 */
class HandlerAllocationPinningTest {

  /** Where results go, so that escape analysis cannot drop what the code under test allocates. */
  static Object sink;
  static long longSink;

  @BeforeAll
  static void supported() {
    Assumptions.assumeTrue(Allocations.isSupported(), "JVM cannot count allocated bytes per thread");
    Assumptions.assumeTrue(HeapArrays.ALLOCATION_FREE, "Vert.x 5.0: a buffer's array costs a Netty duplicate per read; the pins hold from 5.1 on");
  }

  /** The agent's view of message 2 of the golden NOTIFY: port, hdrs, neg, flag, v4, v6, blob, method, absent. */
  private static SpoeMessage goldenMeta() {
    SpoeMessage m = SpoeMessageTest.messages("haproxy-2.6.12-notify")[1];
    assertEquals("check-request-meta", m.name());
    return m;
  }

  @Test
  void lookupsThatReturnNoNewObjectAllocateNothing() {
    SpoeMessage m = goldenMeta();
    long bytes = Allocations.bytesAllocatedBy(() -> {
      longSink += m.getLong("port", -1) + m.getLong("neg", -1) + m.indexOf("blob") + m.getLong("hdrs", 0);
      sink = m.getBoolean("flag");
      sink = m.typeOf("v6");
      sink = m.argType(7);
      longSink += m.contains("absent") ? 1 : 0;
      longSink += m.contains("nope") ? 1 : 0;
      sink = m.get("absent");
    });
    assertEquals(0, bytes, "by-name and by-index lookups of primitives, cached Booleans and types");
  }

  /** Five by-name reads of the golden message: only the one String ("GET") is new. */
  @Test
  void readingFiveArgumentsOfAGoldenMessageByNameAllocatesOnlyTheirValues() {
    SpoeMessage m = goldenMeta();
    Runnable read = () -> {
      longSink += m.getLong("port", -1);
      sink = m.getBoolean("flag");
      sink = m.getString("method");
      longSink += m.getLong("neg", 0);
      sink = m.get("absent");
    };
    byte[] get = "GET".getBytes(StandardCharsets.UTF_8);
    long values = Allocations.bytesAllocatedBy(() -> sink = new String(get, 0, get.length, StandardCharsets.UTF_8));
    long bytes = Allocations.bytesAllocatedBy(read);
    assertTrue(values > 0);
    assertTrue(bytes <= values, "5 reads allocated " + bytes + " B; their values take " + values + " B");
  }

  /**
   * The load generator's message (ip IPV4, path STRING 20 B, ua STRING 63 B, port INT64, flag BOOL)
   * read as a handler does, on a new view each time as the agent makes them: the view (40 B) plus
   * the InetAddress and two Strings, and nothing else.
   */
  @Test
  void aViewAndItsFiveArgumentsCostTheViewAndTheValues() throws UnknownHostException {
    Buffer frame = SpopClientCodec.encodeNotify(1234, 1, List.of(LoadOptions.defaultMessage()));
    SpopReader r = new SpopReader(frame, 4, frame.length());
    new FrameHeader().read(r);
    NotifyScanner s = new NotifyScanner();
    assertEquals(1, s.scan(frame, r.pos(), frame.length()));
    int start = s.start(0);
    int end = s.end(0);
    int argsStart = s.argsOffset(0);
    int argCount = s.argCount(0);
    Runnable read = () -> {
      SpoeMessage m = io.spoavertx.agent.impl.MessageViews.create(frame, start, end, "bench", argsStart, argCount);
      sink = m;
      sink = m.getAddress("ip");
      sink = m.getString("path");
      sink = m.getString("ua");
      longSink += m.getLong("port", -1);
      sink = m.getBoolean("flag");
    };
    byte[] ip = InetAddress.getByName("192.0.2.17").getAddress();
    byte[] path = "/api/v1/items/123456".getBytes(StandardCharsets.UTF_8);
    byte[] ua = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Fx/128".getBytes(StandardCharsets.UTF_8);
    long values = Allocations.bytesAllocatedBy(() -> {
      sink = io.spoavertx.agent.impl.MessageViews.create(frame, start, end, "bench", argsStart, argCount);
      try {
        sink = InetAddress.getByAddress(ip.clone());
      } catch (UnknownHostException e) {
        throw new AssertionError(e);
      }
      sink = new String(path, 0, path.length, StandardCharsets.UTF_8);
      sink = new String(ua, 0, ua.length, StandardCharsets.UTF_8);
    });
    long bytes = Allocations.bytesAllocatedBy(read);
    assertTrue(bytes <= values, "a view + 5 reads allocated " + bytes + " B; the view and values take " + values + " B");
    // the cursor fits in the view's padding: 40 B with compressed oops, like the fields it had before
    long view = Allocations.bytesAllocatedBy(() -> sink = io.spoavertx.agent.impl.MessageViews.create(frame, start, end, "bench", argsStart, argCount));
    long before = Allocations.bytesAllocatedBy(() -> sink = new FieldsOfTheViewBeforeTheCursor(frame, "bench"));
    assertTrue(view <= before, "a SpoeMessage takes " + view + " B, " + before + " B before the cursor");
  }

  /** The fields SpoeMessage had before its cursor (a Buffer, a String and four ints). */
  @SuppressWarnings("unused")
  private static final class FieldsOfTheViewBeforeTheCursor {
    final Buffer buf;
    final int start = 1;
    final int end = 2;
    final String name;
    final int argsStart = 3;
    final int argCount = 4;

    FieldsOfTheViewBeforeTheCursor(Buffer buf, String name) {
      this.buf = buf;
      this.name = name;
    }
  }

  /** {@code Actions.create().setVar(..).setVar(..)}: the list (32 B) and its 32-byte array (48 B). */
  @Test
  void actionsWithTwoSetVarsCostTheListAndOneSmallArray() {
    long bytes = Allocations.bytesAllocatedBy(
        () -> sink = Actions.create().setVar(Scope.TXN, "score", 42L).setVar(Scope.TXN, "deny", false).freeze());
    // 80 B with compressed oops and class pointers; 96 leaves room for other layouts (a Buffer of
    // 32 B initial capacity, as before, took 152 B)
    assertTrue(bytes <= 96, "create + 2 setVar allocated " + bytes + " B");
  }

  @Test
  void writingFrozenActionsIntoAReusedBufferAllocatesNothing() {
    Actions a = Actions.create().setVar(Scope.TXN, "score", 42L).setVar(Scope.TXN, "deny", false).freeze();
    Buffer out = Buffer.buffer(256);
    EventBusCodecs.ActionsCodecImpl codec = new EventBusCodecs.ActionsCodecImpl();
    long bytes = Allocations.bytesAllocatedBy(() -> {
      TestBuffers.clear(out);
      longSink += a.encodedLength();
      a.writeTo(out);
      codec.encodeToWire(out, a);
    });
    assertEquals(0, bytes, "Actions.writeTo and the event-bus codec into a reused buffer");
    assertEquals(a.encodedLength() * 2 + 4, out.length());
  }
  /**
   * A message the agent read, with the context it attaches: reading the context's ids, engine id,
   * peer, time left, cancellation state and siblings, and the require accessors of primitive values,
   * allocates nothing.
   */
  @Test
  void readingTheContextAndRequiredPrimitivesAllocatesNothing() {
    SpoeMessage[] both = SpoeMessageTest.messages("haproxy-2.6.12-notify");
    io.vertx.core.net.SocketAddress peer = io.vertx.core.net.SocketAddress.inetSocketAddress(40000, "127.0.0.1");
    for (int i = 0; i < 2; i++) {
      io.spoavertx.handler.internal.MessageContexts.init(io.spoavertx.handler.internal.MessageContexts.create(), both[i],
          both[i].name(), 0, 1, "engine", peer, System.nanoTime() + 500_000_000L, both, 2, i, null);
    }
    SpoeMessage m = both[1];
    long bytes = Allocations.bytesAllocatedBy(() -> {
      MessageContext c = m.context();
      longSink += c.streamId() + c.frameId() + c.timeLeftNanos() + c.timeLeftMillis() + c.messageCount() + c.index();
      longSink += c.isCancelled() ? 1 : 0;
      sink = c.engineId();
      sink = c.peer();
      sink = c.message(0);
      sink = c.message("check-client-ip");
      sink = m.name();
      longSink += m.requireLong("port") + (m.requireBoolean("flag") ? 1 : 0);
      longSink += m.argNameEquals(8, "absent") ? 1 : 0;
    });
    assertEquals(0, bytes, "context reads, require of primitives, argNameEquals");
  }
}
