package io.spoavertx.testing.load;

import io.spoavertx.testing.SpopClientCodec;
import io.spoavertx.testing.TypedValue;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The least an agent can do, to measure the {@link LoadGenerator}'s own ceiling: a raw NetServer
 * that answers HELLO and acknowledges every NOTIFY with an empty ACK, built by copying the
 * NOTIFY's raw stream-id/frame-id bytes behind a fixed header, all ACKs of a read in one write.
 * It validates nothing beyond the frame lengths and never decodes a payload. It reads and writes
 * Netty buffers through Vert.x's internal NetSocketInternal, so its cost is close to the syscalls'.
 */
public final class TrivialAgent {

  private final Vertx vertx;
  private final List<String> deployments = new ArrayList<>();
  private int port;

  private TrivialAgent(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Listens on {@code host:port} with {@code instances} event loops; port 0 picks a free port
   * (shared by the instances: Vert.x's negative-port convention).
   *
   * @param vertx     the Vert.x instance to deploy on
   * @param host      the address to listen on
   * @param port      the port, 0 for a free one
   * @param instances the number of event loops (server verticles), at least 1 is used
   * @return the listening agent
   */
  public static Future<TrivialAgent> start(Vertx vertx, String host, int port, int instances) {
    TrivialAgent agent = new TrivialAgent(vertx);
    List<ServerVerticle> servers = new java.util.concurrent.CopyOnWriteArrayList<>();
    int listenPort = port == 0 ? -1 : port;
    return vertx.deployVerticle(() -> {
      ServerVerticle v = new ServerVerticle(host, listenPort);
      servers.add(v);
      return v;
    }, new DeploymentOptions().setInstances(Math.max(1, instances))).map(id -> {
      agent.deployments.add(id);
      agent.port = servers.get(0).server.actualPort();
      return agent;
    });
  }

  /**
   * Listens on 127.0.0.1, a free port, with one event loop.
   *
   * @param vertx the Vert.x instance to deploy on
   * @return the listening agent
   */
  public static Future<TrivialAgent> start(Vertx vertx) {
    return start(vertx, "127.0.0.1", 0, 1);
  }

  /** {@return the port it listens on} */
  public int port() {
    return port;
  }

  /**
   * Stops listening (undeploys its verticles).
   *
   * @return completes once undeployed
   */
  public Future<Void> close() {
    List<Future<Void>> f = new ArrayList<>();
    for (String id : deployments) {
      f.add(vertx.undeploy(id));
    }
    return Future.all(f).mapEmpty();
  }

  /**
   * {@code TrivialAgent [--host 127.0.0.1] [--port 12345] [--event-loops 1]}: runs until killed.
   *
   * @param args the command line
   * @throws Exception if the agent cannot start
   */
  public static void main(String[] args) throws Exception {
    String host = "127.0.0.1";
    int port = 12345;
    int loops = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--host" -> host = args[++i];
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--event-loops" -> loops = Integer.parseInt(args[++i]);
        default -> {
          System.err.println("usage: TrivialAgent [--host H] [--port P] [--event-loops N]");
          System.exit(2);
        }
      }
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
    TrivialAgent agent = start(vertx, host, port, loops).toCompletionStage().toCompletableFuture().get();
    System.out.println("TrivialAgent listening on " + host + ":" + agent.port() + " (" + loops + " event loop(s), pid "
        + ProcessHandle.current().pid() + ")");
    new CountDownLatch(1).await();
  }

  private static final class ServerVerticle extends VerticleBase {
    private final String host;
    private final int port;
    NetServer server;

    ServerVerticle(String host, int port) {
      this.host = host;
      this.port = port;
    }

    @Override
    public Future<?> start() {
      server = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(port).setTcpNoDelay(true));
      server.connectHandler(s -> new Conn(s).start());
      return server.listen();
    }
  }

  /** Works on Netty's buffers (internal {@link NetSocketInternal} API): no copy of what it reads. */
  private static final class Conn {
    private final NetSocketInternal socket;
    private ByteBuf carry;
    private boolean closing;

    Conn(NetSocket socket) {
      this.socket = (NetSocketInternal) socket;
    }

    void start() {
      socket.messageHandler(msg -> {
        if (msg instanceof ByteBuf b) {
          onData(b);
        } else {
          ReferenceCountUtil.release(msg);
        }
      });
      socket.closeHandler(v -> {
        if (carry != null) {
          carry.release();
          carry = null;
        }
      });
    }

    private void onData(ByteBuf data) {
      ByteBuf buf = data;
      if (carry != null) {
        buf = carry;
        carry = null;
        buf.writeBytes(data);
        data.release();
      }
      ByteBuf out = null;
      try {
        int len = buf.writerIndex();
        int pos = buf.readerIndex();
        while (len - pos >= 4 && !closing) {
          long flen = buf.getUnsignedInt(pos);
          if (flen < 7 || flen > 1 << 24) {
            socket.close();
            return;
          }
          if (len - pos - 4 < flen) {
            break;
          }
          int start = pos + 4;
          int end = start + (int) flen;
          pos = end;
          int type = buf.getUnsignedByte(start);
          if (out == null) {
            out = socket.channelHandlerContext().alloc().directBuffer(1024);
          }
          if (type == SpopClientCodec.TYPE_NOTIFY) {
            // stream-id and frame-id as they are on the wire: two varints after type and flags
            int ids = start + 5;
            int p = skipVarint(buf, skipVarint(buf, ids));
            int idLen = p - ids;
            out.writeInt(5 + idLen);
            out.writeByte(SpopClientCodec.TYPE_ACK);
            out.writeInt(SpopClientCodec.FLAG_FIN);
            out.writeBytes(buf, ids, idLen);
          } else {
            other(buf, start, end, type, out);
          }
        }
        if (pos < len && !closing) {
          carry = socket.channelHandlerContext().alloc().heapBuffer(Math.max(256, (len - pos) * 2));
          carry.writeBytes(buf, pos, len - pos);
        }
        if (out != null) {
          socket.writeMessage(out);
          out = null;
        }
        if (closing) {
          socket.end();
        }
      } finally {
        buf.release();
        if (out != null) {
          out.release();
        }
      }
    }

    private void other(ByteBuf buf, int start, int end, int type, ByteBuf out) {
      if (type == SpopClientCodec.TYPE_HAPROXY_HELLO) {
        Map<String, TypedValue> kv = SpopClientCodec.decodeKvList(SpopClientCodec.decodeFrame(
            Buffer.buffer(ByteBufUtil.getBytes(buf, start, end - start))).payload());
        TypedValue mfs = kv.get("max-frame-size");
        long max = Math.min(16380, mfs == null ? 16380 : mfs.asLong());
        Buffer p = Buffer.buffer();
        SpopClientCodec.writeTypedValue(SpopClientCodec.writeString(p, "version"), TypedValue.string("2.0"));
        SpopClientCodec.writeTypedValue(SpopClientCodec.writeString(p, "max-frame-size"), TypedValue.uint32(max));
        SpopClientCodec.writeTypedValue(SpopClientCodec.writeString(p, "capabilities"), TypedValue.string("pipelining"));
        out.writeBytes(SpopClientCodec.encodeFrame(SpopClientCodec.TYPE_AGENT_HELLO, SpopClientCodec.FLAG_FIN, 0, 0, p)
            .getBytes());
        TypedValue hc = kv.get("healthcheck");
        if (hc != null && hc.type() == TypedValue.Type.BOOL && hc.asBoolean()) {
          closing = true;
        }
      } else if (type == SpopClientCodec.TYPE_HAPROXY_DISCONNECT) {
        Buffer p = Buffer.buffer();
        SpopClientCodec.writeTypedValue(SpopClientCodec.writeString(p, "status-code"), TypedValue.uint32(0));
        SpopClientCodec.writeTypedValue(SpopClientCodec.writeString(p, "message"), TypedValue.string("bye"));
        out.writeBytes(SpopClientCodec.encodeFrame(SpopClientCodec.TYPE_AGENT_DISCONNECT, SpopClientCodec.FLAG_FIN, 0, 0, p)
            .getBytes());
        closing = true;
      }
      // anything else (fragments, unknown types) is ignored: this agent only measures the generator
    }

    private static int skipVarint(ByteBuf buf, int p) {
      if (buf.getUnsignedByte(p++) < 240) {
        return p;
      }
      while (buf.getUnsignedByte(p++) >= 128) {
        // continuation
      }
      return p;
    }
  }
}
