package io.spoavertx.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A request of a {@link SpopTestClient} waiting for the agent's answer (an AGENT-HELLO or an ACK):
 * the promise the caller holds and the timer failing it after the client's request timeout.
 *
 * @param <T> the answer's type
 */
final class PendingReply<T> {

  private final Vertx vertx;
  private final Promise<T> promise = Promise.promise();
  private long timerId = -1;

  PendingReply(Vertx vertx) {
    this.vertx = vertx;
  }

  /** {@return the caller's future} */
  Future<T> future() {
    return promise.future();
  }

  /**
   * Starts the timer unless {@code timeout} is zero: when it fires, it runs {@code onTimeout}
   * (to forget the request), then fails the future with a {@link TimeoutException} naming {@code what}.
   */
  void armTimer(Duration timeout, String what, Runnable onTimeout) {
    long ms = timeout.toMillis();
    if (ms > 0) {
      timerId = vertx.setTimer(ms, id -> {
        onTimeout.run();
        promise.tryFail(new TimeoutException("no " + what + " within " + ms + " ms"));
      });
    }
  }

  /** Completes the future with the answer, unless it is already done, and cancels the timer. */
  void complete(T value) {
    cancelTimer();
    promise.tryComplete(value);
  }

  /** Fails the future, unless it is already done, and cancels the timer. */
  void fail(Throwable failure) {
    cancelTimer();
    promise.tryFail(failure);
  }

  private void cancelTimer() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
  }
}
