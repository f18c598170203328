package io.spoavertx.handler;

import io.vertx.core.Future;

/**
 * Answers one SPOE message with the actions (variables to set or unset) HAProxy should apply.
 * A handler that fails, throws or misses the message deadline contributes no actions; the ACK
 * still goes out with the actions of the other messages of the NOTIFY.
 */
@FunctionalInterface
public interface SpoeHandler {

  Future<Actions> handle(SpoeMessage message);

  /**
   * A handler that answers on the calling thread by adding its actions to a list the agent lends
   * it: {@code SpoeHandler.sync((m, actions) -> actions.setVar(Scope.TXN, "score", score(m)))}.
   * Registered like any handler (a direct handler, or {@link io.spoavertx.agent.SpoeHandlers#register} in this JVM),
   * it costs no allocation per message: the agent reuses the list, as it reuses the message view,
   * for a later message once this one's ACK is written. The list is the handler's only during
   * the call: keep no reference to it. Returning normally answers; throwing fails the message (no
   * actions). Where the agent cannot lend a list (a handler on another cluster node), it is called
   * through {@link #handle} with a new list.
   */
  static SpoeHandler sync(Sync handler) {
    return new SyncSpoeHandler(handler);
  }

  /** See {@link #sync}. */
  @FunctionalInterface
  interface Sync {
    void handle(SpoeMessage message, Actions actions) throws Exception;
  }
}
