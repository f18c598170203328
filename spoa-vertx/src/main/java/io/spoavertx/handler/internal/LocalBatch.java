package io.spoavertx.handler.internal;

import java.util.Arrays;

/**
 * {@link LocalRequest}s the agent sends together to a handler address in its JVM: those of one read
 * (or one burst of dispatch) for the same address, in one event-bus delivery instead of one each,
 * so Vert.x's per-message work (its message objects, a duplicated context, the dispatch to the
 * handler's event loop) is paid once per batch. Each request is still completed on its own.
 * Internal: handlers registered with {@link io.spoavertx.handler.SpoeHandlers} see the messages
 * one by one.
 */
public final class LocalBatch {

  private LocalRequest[] requests = new LocalRequest[8];
  private int count;

  public LocalBatch add(LocalRequest request) {
    if (count == requests.length) {
      requests = Arrays.copyOf(requests, 2 * count);
    }
    requests[count++] = request;
    return this;
  }

  public int count() {
    return count;
  }

  public LocalRequest get(int i) {
    return requests[i];
  }
}
