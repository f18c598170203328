package io.spoavertx.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The {@code byte[]} behind a heap {@link Buffer}, so that the codec's per-byte loops index an
 * array instead of going through the Buffer, its ByteBuf, slices and their bounds and liveness
 * checks for every byte. Index {@code i} of the buffer is {@code array(buf)[i + offset(buf)]}. A
 * buffer with no accessible array (direct memory) is copied whole, with offset 0: the agent's own
 * reads are heap arrays, so only rare inputs take that path.
 *
 * <p>{@link #wrap} goes the other way: a Buffer over part of an array, without copying it.
 *
 * <p>One of the three files that use Vert.x internals ({@code BufferInternal}: the Netty buffer
 * behind a Buffer, and a Buffer over a Netty buffer), with {@code handler.internal.VertxInternals}
 * and {@code agent.impl.SocketIo}. Without them ({@code -Dspoa.vertxInternals=false}, or a Vert.x
 * where they changed) every array is a copy and {@link #wrap} copies too: slower, same results.
 */
public final class HeapArrays {

  /**
   * The Netty buffer behind a Vert.x one: {@code BufferInternal.unwrap()} (Vert.x 5.1 and later),
   * else {@code getByteBuf()} (5.0, which makes a duplicate per call: same array, one small object).
   * Looked up rather than called, so that the library compiles against 5.0 too; a static final
   * handle is inlined like a direct call.
   */
  private static final MethodHandle UNWRAP = lookUp("unwrap");
  private static final MethodHandle NETTY_BUFFER = UNWRAP != null ? UNWRAP : lookUp("getByteBuf");

  /** Whether {@code BufferInternal} is used (see the class comment). */
  public static final boolean INTERNALS = NETTY_BUFFER != null;

  /** Whether {@link #array} and {@link #offset} allocate nothing (Vert.x 5.1 and later). */
  public static final boolean ALLOCATION_FREE = UNWRAP != null;

  private HeapArrays() {
  }

  private static MethodHandle lookUp(String method) {
    if ("false".equals(System.getProperty("spoa.vertxInternals"))) {
      return null;
    }
    try {
      BufferInternal.class.getMethod("buffer", ByteBuf.class);
      return MethodHandles.publicLookup().findVirtual(BufferInternal.class, method, MethodType.methodType(ByteBuf.class));
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }

  /** The array with {@code buf}'s bytes: its own when it is a heap buffer, else a copy. */
  public static byte[] array(Buffer buf) {
    ByteBuf bb = heap(buf);
    return bb != null ? bb.array() : buf.getBytes();
  }

  /** Where {@code buf}'s index 0 is in {@link #array(Buffer)}. */
  public static int offset(Buffer buf) {
    ByteBuf bb = heap(buf);
    return bb != null ? bb.arrayOffset() : 0;
  }

  /** Whether {@link #array(Buffer)} is {@code buf}'s own array (no copy). */
  public static boolean hasArray(Buffer buf) {
    return heap(buf) != null;
  }

  /**
   * A Vert.x buffer over {@code len} bytes of {@code array} at {@code off}, sharing them (no copy).
   * Its slices and copies behave like any Vert.x heap buffer's: a copy is a plain heap buffer, even
   * when the array belongs to a pooled read that the agent will release.
   */
  public static Buffer wrap(byte[] array, int off, int len) {
    if (INTERNALS) {
      return BufferInternal.buffer(Unpooled.wrappedBuffer(array).slice(off, len));
    }
    Buffer copy = Buffer.buffer(len);
    return copy.appendBytes(array, off, len);
  }

  private static ByteBuf heap(Buffer buf) {
    if (INTERNALS && buf instanceof BufferInternal internal) {
      ByteBuf bb;
      try {
        bb = (ByteBuf) NETTY_BUFFER.invokeExact(internal);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
      return bb.hasArray() ? bb : null;
    }
    return null;
  }
}
