package io.spoavertx.agent.impl;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.impl.buffer.VertxByteBufAllocator;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * A Vert.x {@link Buffer} over the bytes of a pooled heap read, without copying them. Its slices
 * and copies behave like any Vert.x buffer: a copy a handler makes ({@code getBinary(..).copy()})
 * is a plain heap buffer, not memory of the pool that would have to be released. The pooled read
 * itself stays reference-counted by the connection.
 */
final class ReadView extends UnpooledHeapByteBuf {

  private ReadView(byte[] array) {
    super(VertxByteBufAllocator.DEFAULT, array, array.length);
  }

  /** The readable bytes of {@code read}, which must have an accessible array. */
  static Buffer of(ByteBuf read) {
    ByteBuf whole = new ReadView(read.array());
    return BufferInternal.buffer(whole.slice(read.arrayOffset() + read.readerIndex(), read.readableBytes()));
  }
}
