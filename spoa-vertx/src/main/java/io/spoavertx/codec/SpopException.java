package io.spoavertx.codec;

/**
 * A protocol error: the connection must be ended with an AGENT-DISCONNECT carrying {@link #status()}.
 * Thrown on the hot path for malformed input, so it carries no stack trace.
 */
public final class SpopException extends RuntimeException {

  private final DisconnectStatus status;

  public SpopException(DisconnectStatus status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public DisconnectStatus status() {
    return status;
  }
}
