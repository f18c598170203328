package io.spoavertx.examples.blocking;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A directory whose lookups block until the test releases them: "slow" without any wall-clock
 * assumption. Records the thread the lookup ran on.
 */
final class GatedDirectory implements UserDirectory {

  final CountDownLatch entered = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);
  volatile String thread;
  private final UserDirectory delegate;

  GatedDirectory(UserDirectory delegate) {
    this.delegate = delegate;
  }

  @Override
  public String planOf(String user) throws Exception {
    thread = Thread.currentThread().getName();
    entered.countDown();
    if (!release.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("never released");
    }
    return delegate.planOf(user);
  }

  void awaitEntered() throws InterruptedException {
    if (!entered.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("the lookup never started");
    }
  }
}
