package io.spoavertx.testing.haproxy;

/** Thrown when the haproxy binary is missing, a configuration is rejected, or haproxy fails to start. */
public class HaproxyException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what failed
   */
  public HaproxyException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and a cause.
   *
   * @param message what failed
   * @param cause   the underlying failure
   */
  public HaproxyException(String message, Throwable cause) {
    super(message, cause);
  }
}
