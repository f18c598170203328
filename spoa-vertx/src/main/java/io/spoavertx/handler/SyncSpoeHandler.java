package io.spoavertx.handler;

import io.vertx.core.Future;

import java.util.Objects;

/**
 * What {@link SpoeHandler#sync} returns: a {@link SpoeHandler} that the agent calls through
 * {@link #sync()} with a list it lends, or, where it cannot, through {@link #handle} with a new one.
 */
public final class SyncSpoeHandler implements SpoeHandler {

  private final Sync sync;

  SyncSpoeHandler(Sync sync) {
    this.sync = Objects.requireNonNull(sync, "handler");
  }

  /**
   * The handler itself: adds its actions to the list it is given.
   *
   * @return the function given to {@link SpoeHandler#sync}
   */
  public Sync sync() {
    return sync;
  }

  @Override
  public Future<Actions> handle(SpoeMessage message) {
    Actions actions = Actions.create();
    try {
      sync.handle(message, actions);
    } catch (Throwable t) {
      return Future.failedFuture(t);
    }
    return Future.succeededFuture(actions);
  }
}
