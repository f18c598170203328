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
}
