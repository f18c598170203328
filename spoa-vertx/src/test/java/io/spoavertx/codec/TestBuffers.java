package io.spoavertx.codec;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/** Empties a buffer for reuse without allocating, for the allocation pins (Vert.x 5.1+, as {@link HeapArrays#ALLOCATION_FREE}). */
public final class TestBuffers {

  private static final MethodHandle UNWRAP = lookUp();

  private TestBuffers() {
  }

  private static MethodHandle lookUp() {
    try {
      return MethodHandles.publicLookup().findVirtual(BufferInternal.class, "unwrap", MethodType.methodType(ByteBuf.class));
    } catch (ReflectiveOperationException e) {
      return null; // Vert.x 5.0: no unwrap()
    }
  }

  /** Sets {@code buf}'s length to 0, keeping its memory. */
  public static void clear(Buffer buf) {
    try {
      ((ByteBuf) UNWRAP.invokeExact((BufferInternal) buf)).clear();
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }
}
