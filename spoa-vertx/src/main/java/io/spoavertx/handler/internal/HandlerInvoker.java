package io.spoavertx.handler.internal;

import io.spoavertx.handler.Actions;
import io.spoavertx.handler.BadArgumentException;
import io.spoavertx.handler.SpoeHandler;
import io.spoavertx.handler.SyncSpoeHandler;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;

/**
 * The one place a {@link SpoeHandler} is called, whoever asks: a direct handler on the connection's
 * event loop, a handler verticle in the JVM, or one on another cluster node answering a batch. The
 * {@link LocalRequest} says where the answer goes. A handler that fails for bad arguments (a
 * {@link BadArgumentException} thrown, or its failed future's cause or that cause's cause) fails
 * the request with that exception itself, which the agent counts as outcome {@code bad_args}.
 * Internal.
 */
public final class HandlerInvoker {

  private HandlerInvoker() {
  }

  /**
   * Runs {@code handler} on {@code request}'s message on the calling thread and completes the
   * request with its answer: a {@link SpoeHandler#sync} handler fills the list the request lends;
   * a future that is already complete answers at once, another when it completes (on whatever
   * thread completes it). A handler that throws, or returns null or a failed future, fails the
   * request.
   */
  public static void invoke(SpoeHandler handler, LocalRequest request) {
    if (handler instanceof SyncSpoeHandler) {
      Actions actions = request.actions(); // lent by the agent: nothing allocated per message
      try {
        ((SyncSpoeHandler) handler).sync().handle(request.message(), actions);
      } catch (Throwable t) {
        request.fail(badArguments(t));
        return;
      }
      request.complete(actions);
      return;
    }
    Future<Actions> result;
    try {
      result = handler.handle(request.message());
    } catch (Throwable t) {
      request.fail(badArguments(t));
      return;
    }
    if (result == null) {
      request.fail(new NullPointerException("handler returned a null future"));
    } else if (result.isComplete()) {
      answer(request, result); // the usual case: no completion handler to allocate and dispatch
    } else {
      result.onComplete(ar -> answer(request, ar));
    }
  }

  private static void answer(LocalRequest request, AsyncResult<Actions> ar) {
    if (ar.succeeded()) {
      Actions actions = ar.result();
      request.complete(actions == null ? Actions.none() : actions.freeze());
    } else {
      request.fail(badArguments(ar.cause()));
    }
  }

  /** The {@link BadArgumentException} {@code t} is or wraps (one or two levels deep), else {@code t}. */
  private static Throwable badArguments(Throwable t) {
    Throwable c = t;
    for (int depth = 0; c != null && depth < 3; depth++, c = c.getCause()) {
      if (c instanceof BadArgumentException) {
        return c;
      }
    }
    return t;
  }
}
