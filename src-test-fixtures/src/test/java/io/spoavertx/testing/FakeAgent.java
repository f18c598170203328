package io.spoavertx.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/** A tiny agent on a raw Vert.x NetServer (127.0.0.1, port 0), scriptable per test. */
final class FakeAgent implements AutoCloseable {

  record Notify(NetSocket socket, long streamId, long frameId, List<Message> messages, int fragments) {
  }

  final List<Frame> received = new CopyOnWriteArrayList<>();
  final List<Notify> notifies = new CopyOnWriteArrayList<>();
  final List<Frame> aborts = new CopyOnWriteArrayList<>();
  final List<Map<String, TypedValue>> hellos = new CopyOnWriteArrayList<>();

  /** Answers a HAPROXY-HELLO. */
  volatile BiFunction<NetSocket, Map<String, TypedValue>, Buffer> onHello =
      (s, kv) -> agentHello("2.0", 16380, "pipelining,fragmentation");
  /** Handles a (reassembled) NOTIFY; default: an empty ACK. */
  volatile BiConsumer<NetSocket, Notify> onNotify = (s, n) -> s.write(ack(n.streamId(), n.frameId()));
  /** Handles a HAPROXY-DISCONNECT; default: AGENT-DISCONNECT 0 and close. */
  volatile BiConsumer<NetSocket, Map<String, TypedValue>> onDisconnect =
      (s, kv) -> s.write(agentDisconnect(0, "bye")).onComplete(v -> s.close());

  private final NetServer server;

  private FakeAgent(NetServer server) {
    this.server = server;
  }

  static FakeAgent start(Vertx vertx) throws Exception {
    NetServer server = vertx.createNetServer();
    FakeAgent agent = new FakeAgent(server);
    server.connectHandler(agent::accept);
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    return agent;
  }

  int port() {
    return server.actualPort();
  }

  private void accept(NetSocket socket) {
    Buffer[] fragments = {null};
    int[] count = {0};
    FrameSplitter splitter = new FrameSplitter(0, f -> {
      received.add(f);
      switch (f.type()) {
        case SpopClientCodec.TYPE_HAPROXY_HELLO -> {
          Map<String, TypedValue> kv = SpopClientCodec.decodeKvList(f.payload());
          hellos.add(kv);
          socket.write(onHello.apply(socket, kv));
        }
        case SpopClientCodec.TYPE_HAPROXY_DISCONNECT -> onDisconnect.accept(socket, SpopClientCodec.decodeKvList(f.payload()));
        case SpopClientCodec.TYPE_NOTIFY -> {
          if (f.fin()) {
            deliver(socket, f, f.payload(), 1);
          } else {
            fragments[0] = f.payload().copy();
            count[0] = 1;
          }
        }
        case SpopClientCodec.TYPE_UNSET -> {
          fragments[0].appendBuffer(f.payload());
          count[0]++;
          if (f.abort()) {
            aborts.add(f);
            fragments[0] = null;
          } else if (f.fin()) {
            deliver(socket, f, fragments[0], count[0]);
            fragments[0] = null;
          }
        }
        default -> throw new IllegalStateException("unexpected " + f);
      }
    });
    socket.handler(splitter::feed);
  }

  private void deliver(NetSocket socket, Frame f, Buffer payload, int fragments) {
    Notify n = new Notify(socket, f.streamId(), f.frameId(), SpopClientCodec.decodeNotifyPayload(payload), fragments);
    notifies.add(n);
    onNotify.accept(socket, n);
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get();
  }

  // ---- agent-side encoders (hand-written, for the tests only) ----------------------------------

  static Buffer agentHello(String version, long maxFrameSize, String capabilities) {
    Buffer kv = Buffer.buffer();
    SpopClientCodec.writeTypedValue(SpopClientCodec.writeString(kv, "version"), TypedValue.string(version));
    SpopClientCodec.writeTypedValue(SpopClientCodec.writeString(kv, "max-frame-size"), TypedValue.uint32(maxFrameSize));
    SpopClientCodec.writeTypedValue(SpopClientCodec.writeString(kv, "capabilities"), TypedValue.string(capabilities));
    return SpopClientCodec.encodeFrame(SpopClientCodec.TYPE_AGENT_HELLO, 1, 0, 0, kv);
  }

  static Buffer agentDisconnect(int status, String message) {
    Buffer kv = Buffer.buffer();
    SpopClientCodec.writeTypedValue(SpopClientCodec.writeString(kv, "status-code"), TypedValue.uint32(status));
    SpopClientCodec.writeTypedValue(SpopClientCodec.writeString(kv, "message"), TypedValue.string(message));
    return SpopClientCodec.encodeFrame(SpopClientCodec.TYPE_AGENT_DISCONNECT, 1, 0, 0, kv);
  }

  static Buffer ack(long sid, long fid, AckAction... actions) {
    Buffer p = Buffer.buffer();
    for (AckAction a : actions) {
      p.appendByte((byte) a.kind().code());
      p.appendByte((byte) (a.kind() == AckAction.Kind.SET_VAR ? 3 : 2));
      p.appendByte((byte) a.scope().code());
      SpopClientCodec.writeString(p, a.name());
      if (a.value() != null) {
        SpopClientCodec.writeTypedValue(p, a.value());
      }
    }
    return SpopClientCodec.encodeFrame(SpopClientCodec.TYPE_ACK, 1, sid, fid, p);
  }
}
