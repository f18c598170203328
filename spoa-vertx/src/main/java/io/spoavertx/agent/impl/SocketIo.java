package io.spoavertx.agent.impl;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import io.spoavertx.codec.HeapArrays;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * The bytes of one connection: its reads, handed to a {@link Reader}, and the buffer its frames are
 * written into, then flushed. Two forms:
 * <ul>
 *   <li>pooled (Vert.x's internal {@code NetSocketInternal}): reads arrive as Netty's pooled heap
 *       buffers and are parsed in place, each kept (reference-counted) while a NOTIFY in it waits
 *       for its ACK; output goes into a pooled direct buffer handed to Netty as it is;</li>
 *   <li>plain (the public {@code NetSocket}): each read is a heap copy Vert.x makes, kept alive by
 *       the garbage collector; output is a heap buffer Netty copies into direct memory.</li>
 * </ul>
 * One of the three files that use Vert.x internals (with {@code handler.internal.VertxInternals} and
 * {@code codec.HeapArrays}); the plain form is their public-API fallback, taken with
 * {@code -Dspoa.vertxInternals=false}, for a socket that is not Vert.x's, or on a Vert.x where
 * these internals changed. Confined to the connection's event loop.
 */
abstract class SocketIo {

  /** Whether the pooled form is available. */
  static final boolean POOLED = probe();

  /** What the connection does with its input. */
  interface Reader {
    /** A read: valid during the call; {@link #retainRead()} keeps it longer. */
    void onRead(Buffer data);

    /** The pooled read just handled is about to be released: nothing may refer to it past this. */
    void beforeRelease();
  }

  final NetSocket socket;

  SocketIo(NetSocket socket) {
    this.socket = socket;
  }

  private static boolean probe() {
    if ("false".equals(System.getProperty("spoa.vertxInternals"))) {
      return false;
    }
    try {
      NetSocketInternal.class.getMethod("messageHandler", io.vertx.core.Handler.class);
      NetSocketInternal.class.getMethod("writeMessage", Object.class);
      NetSocketInternal.class.getMethod("channelHandlerContext");
      return HeapArrays.INTERNALS;
    } catch (NoSuchMethodException | LinkageError e) {
      return false;
    }
  }

  /** The form for {@code socket}: pooled where possible. */
  static SocketIo of(NetSocket socket) {
    return POOLED && socket instanceof NetSocketInternal raw ? new Pooled(raw) : new Plain(socket);
  }

  /** Starts handing reads to {@code reader}. */
  abstract void start(Reader reader);

  /**
   * The read being handled, retained for a NOTIFY that outlives it (the caller releases it), or
   * null when reads need no keeping (plain copies).
   */
  abstract ByteBuf retainRead();

  /** The buffer to write frames into; a new one after each {@link #flush()}. */
  abstract Buffer output();

  /** Writes what {@link #output()} holds, if anything. */
  abstract void flush();

  /** Drops unwritten output (the connection is closed). */
  abstract void discardOutput();

  private static final class Pooled extends SocketIo {
    private final NetSocketInternal raw;
    private final ByteBufAllocator alloc;
    private ByteBuf read;
    private Buffer out;
    private ByteBuf outBuf;

    Pooled(NetSocketInternal raw) {
      super(raw);
      this.raw = raw;
      this.alloc = raw.channelHandlerContext().alloc();
    }

    @Override
    void start(Reader reader) {
      // Netty's pooled read buffers, not the public NetSocket's heap copy of every read; reads are
      // heap buffers from the pooled allocator, so a handler that reads a message after its
      // deadline sees stale bytes or an error, never freed memory.
      raw.channelHandlerContext().channel().config().setAllocator(HeapReadAllocator.wrap(alloc));
      raw.messageHandler(msg -> {
        if (!(msg instanceof ByteBuf)) {
          ReferenceCountUtil.release(msg);
          return;
        }
        ByteBuf bb = (ByteBuf) msg;
        if (!bb.hasArray()) {
          // Not a heap read (TLS decrypts into direct buffers; so does the epoll transport): copied
          // into a pooled heap buffer, then handled like one.
          ByteBuf direct = bb;
          bb = HeapReadAllocator.heapCopy(direct);
          direct.release();
        }
        read = bb;
        try {
          reader.onRead(HeapArrays.wrap(bb.array(), bb.arrayOffset() + bb.readerIndex(), bb.readableBytes()));
          reader.beforeRelease();
        } finally {
          read = null;
          bb.release();
        }
      });
    }

    @Override
    ByteBuf retainRead() {
      return read == null ? null : read.retain();
    }

    @Override
    Buffer output() {
      if (out == null) {
        // a pooled direct buffer handed to Netty as is (NIO would copy a heap buffer into one)
        outBuf = alloc.directBuffer(512);
        out = BufferInternal.buffer(outBuf);
      }
      return out;
    }

    @Override
    void flush() {
      if (out != null && out.length() > 0) {
        ByteBuf bb = outBuf;
        out = null;
        outBuf = null;
        raw.writeMessage(bb); // Netty releases it once written
      }
    }

    @Override
    void discardOutput() {
      if (outBuf != null) {
        outBuf.release();
        outBuf = null;
        out = null;
      }
    }
  }

  private static final class Plain extends SocketIo {
    private Buffer out;

    Plain(NetSocket socket) {
      super(socket);
    }

    @Override
    void start(Reader reader) {
      socket.handler(reader::onRead);
    }

    @Override
    ByteBuf retainRead() {
      return null;
    }

    @Override
    Buffer output() {
      if (out == null) {
        out = Buffer.buffer(512);
      }
      return out;
    }

    @Override
    void flush() {
      if (out != null && out.length() > 0) {
        Buffer b = out;
        out = null;
        socket.write(b);
      }
    }

    @Override
    void discardOutput() {
      out = null;
    }
  }
}
