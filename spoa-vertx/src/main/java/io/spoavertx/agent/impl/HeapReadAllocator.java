package io.spoavertx.agent.impl;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * The allocator of an agent connection's channel: reads go into pooled <em>heap</em> buffers,
 * everything else is the channel's own allocator. The messages handed to handlers are views of
 * the reads, kept until their NOTIFY is answered; a handler that goes on reading a message after
 * that (past its deadline, say) must not touch memory that was given back to the operating
 * system, which a pooled direct buffer can be. A heap buffer stays a Java array.
 */
final class HeapReadAllocator implements ByteBufAllocator {

  private static final ByteBufAllocator HEAP = PooledByteBufAllocator.DEFAULT;

  private final ByteBufAllocator delegate;

  private HeapReadAllocator(ByteBufAllocator delegate) {
    this.delegate = delegate;
  }

  /** A pooled heap copy of {@code read}'s readable bytes (for reads that are not heap buffers). */
  static ByteBuf heapCopy(ByteBuf read) {
    return HEAP.heapBuffer(read.readableBytes()).writeBytes(read, read.readerIndex(), read.readableBytes());
  }

  static ByteBufAllocator wrap(ByteBufAllocator alloc) {
    return alloc instanceof HeapReadAllocator ? alloc : new HeapReadAllocator(alloc);
  }

  @Override
  public ByteBuf ioBuffer() {
    return HEAP.heapBuffer();
  }

  @Override
  public ByteBuf ioBuffer(int initialCapacity) {
    return HEAP.heapBuffer(initialCapacity);
  }

  @Override
  public ByteBuf ioBuffer(int initialCapacity, int maxCapacity) {
    return HEAP.heapBuffer(initialCapacity, maxCapacity);
  }

  @Override
  public ByteBuf buffer() {
    return delegate.buffer();
  }

  @Override
  public ByteBuf buffer(int initialCapacity) {
    return delegate.buffer(initialCapacity);
  }

  @Override
  public ByteBuf buffer(int initialCapacity, int maxCapacity) {
    return delegate.buffer(initialCapacity, maxCapacity);
  }

  @Override
  public ByteBuf heapBuffer() {
    return delegate.heapBuffer();
  }

  @Override
  public ByteBuf heapBuffer(int initialCapacity) {
    return delegate.heapBuffer(initialCapacity);
  }

  @Override
  public ByteBuf heapBuffer(int initialCapacity, int maxCapacity) {
    return delegate.heapBuffer(initialCapacity, maxCapacity);
  }

  @Override
  public ByteBuf directBuffer() {
    return delegate.directBuffer();
  }

  @Override
  public ByteBuf directBuffer(int initialCapacity) {
    return delegate.directBuffer(initialCapacity);
  }

  @Override
  public ByteBuf directBuffer(int initialCapacity, int maxCapacity) {
    return delegate.directBuffer(initialCapacity, maxCapacity);
  }

  @Override
  public CompositeByteBuf compositeBuffer() {
    return delegate.compositeBuffer();
  }

  @Override
  public CompositeByteBuf compositeBuffer(int maxNumComponents) {
    return delegate.compositeBuffer(maxNumComponents);
  }

  @Override
  public CompositeByteBuf compositeHeapBuffer() {
    return delegate.compositeHeapBuffer();
  }

  @Override
  public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
    return delegate.compositeHeapBuffer(maxNumComponents);
  }

  @Override
  public CompositeByteBuf compositeDirectBuffer() {
    return delegate.compositeDirectBuffer();
  }

  @Override
  public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
    return delegate.compositeDirectBuffer(maxNumComponents);
  }

  @Override
  public boolean isDirectBufferPooled() {
    return delegate.isDirectBufferPooled();
  }

  @Override
  public int calculateNewCapacity(int minNewCapacity, int maxCapacity) {
    return delegate.calculateNewCapacity(minNewCapacity, maxCapacity);
  }
}
