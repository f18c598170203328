package io.spoavertx.handler.internal;

import io.spoavertx.handler.Actions;
import io.spoavertx.handler.SpoeMessage;

/**
 * A message for a handler in the same JVM, which completes it directly (no event bus, no reply
 * address, no timer): see {@link LocalEndpoint}. Internal: users never see it.
 */
public abstract class LocalRequest {

  /** Not final: an envelope may be reused for another message once this one is answered. */
  private SpoeMessage message;

  protected LocalRequest(SpoeMessage message) {
    this.message = message;
  }

  public SpoeMessage message() {
    return message;
  }

  /** Reuses the envelope for another message (its sender's business: after the answer came back). */
  protected void message(SpoeMessage message) {
    this.message = message;
  }

  /**
   * An empty list lent to a {@link io.spoavertx.handler.SpoeHandler#sync} handler, which fills it
   * and completes the request with it; the request's until then.
   */
  public abstract Actions actions();

  /** Called once, on the handler's thread, with the handler's actions. */
  public abstract void complete(Actions actions);

  /** Called once, on the handler's thread, when the handler failed or threw. */
  public abstract void fail(Throwable cause);
}
