package io.spoavertx.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.impl.buffer.VertxByteBufAllocator;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * The {@code byte[]} behind a heap {@link Buffer}, so that the codec's per-byte loops index an
 * array instead of going through the Buffer, its ByteBuf, slices and their bounds and liveness
 * checks for every byte. Index {@code i} of the buffer is {@code array(buf)[i + offset(buf)]}. A
 * buffer with no accessible array (direct memory) is copied whole, with offset 0: the agent's own
 * reads are heap arrays, so only rare inputs take that path.
 *
 * <p>{@link #wrap} goes the other way: a Buffer over part of an array, without copying it.
 */
public final class HeapArrays {

  private HeapArrays() {
  }

  public static byte[] array(Buffer buf) {
    ByteBuf bb = byteBuf(buf);
    return bb != null && bb.hasArray() ? bb.array() : buf.getBytes();
  }

  public static int offset(Buffer buf) {
    ByteBuf bb = byteBuf(buf);
    return bb != null && bb.hasArray() ? bb.arrayOffset() : 0;
  }

  /**
   * A Vert.x buffer over {@code len} bytes of {@code array} at {@code off}, sharing them (no copy).
   * Its slices and copies behave like any Vert.x heap buffer's: a copy is a plain heap buffer, even
   * when the array belongs to a pooled read that the agent will release.
   */
  public static Buffer wrap(byte[] array, int off, int len) {
    return BufferInternal.buffer(new Whole(array).slice(off, len));
  }

  /** The whole array as an unpooled heap ByteBuf of Vert.x's allocator (the constructor is protected). */
  private static final class Whole extends UnpooledHeapByteBuf {
    Whole(byte[] array) {
      super(VertxByteBufAllocator.DEFAULT, array, array.length);
    }
  }

  private static ByteBuf byteBuf(Buffer buf) {
    return buf instanceof BufferInternal ? ((BufferInternal) buf).unwrap() : null;
  }
}
