package io.spoavertx.handler.internal;

import java.util.Arrays;

/**
 * {@link LocalRequest}s the agent hands together to a handler in its JVM on another thread: those
 * of one read (or one burst of dispatch) for the same address, in one task on the handler's
 * context instead of one each ({@link LocalEndpoint#deliver}). Each request is still completed on
 * its own. Internal.
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
