package io.spoavertx.agent.impl;

import io.spoavertx.codec.HeapArrays;
import io.spoavertx.handler.SpoeMessage;
import io.vertx.core.buffer.Buffer;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Creates and re-points {@link SpoeMessage} views over validated bytes: what the agent does for
 * every message it reads, and which handlers must not do (a view re-pointed under a handler would
 * show it another message). So that the handler API does not offer it, {@code SpoeMessage}'s view
 * constructor and {@code reset} are package-private, reached from here through method handles,
 * which the JIT inlines like direct calls. Internal (also used by the benchmarks).
 */
public final class MessageViews {

  private static final MethodHandle NEW;
  private static final MethodHandle RESET;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(SpoeMessage.class, MethodHandles.lookup());
      MethodType args = MethodType.methodType(void.class, byte[].class, int.class, int.class, String.class, int.class,
          int.class);
      NEW = lookup.findConstructor(SpoeMessage.class, args);
      RESET = lookup.findVirtual(SpoeMessage.class, "reset", args.changeReturnType(SpoeMessage.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private MessageViews() {
  }

  /**
   * A view of the message whose encoding is {@code [start, end)} of {@code array}, named
   * {@code name}, its {@code argCount} arguments from index {@code argsStart} (bytes validated by
   * {@link io.spoavertx.codec.NotifyScanner}). The view shares the array.
   */
  public static SpoeMessage create(byte[] array, int start, int end, String name, int argsStart, int argCount) {
    try {
      return (SpoeMessage) NEW.invokeExact(array, start, end, name, argsStart, argCount);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** As {@link #create(byte[], int, int, String, int, int)}, with offsets in a Buffer. */
  public static SpoeMessage create(Buffer buf, int start, int end, String name, int argsStart, int argCount) {
    int base = HeapArrays.offset(buf);
    return create(HeapArrays.array(buf), base + start, base + end, name, base + argsStart, argCount);
  }

  /** Re-points {@code view} at another message, as {@link #create} would show it; returns it. */
  public static SpoeMessage reset(SpoeMessage view, byte[] array, int start, int end, String name, int argsStart,
                                  int argCount) {
    try {
      return (SpoeMessage) RESET.invokeExact(view, array, start, end, name, argsStart, argCount);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }
}
