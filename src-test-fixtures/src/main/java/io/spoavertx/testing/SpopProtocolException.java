package io.spoavertx.testing;

/** A frame that breaks SPOP, with the SPOP status code that describes it (e.g. 3 too big, 4 invalid). */
public class SpopProtocolException extends RuntimeException {

  /** The SPOP status code. */
  private final int status;

  /**
   * A protocol error.
   *
   * @param status  the SPOP status code
   * @param message what is wrong with the frame; the status code is appended
   */
  public SpopProtocolException(int status, String message) {
    super(message + " (SPOP status " + status + ")");
    this.status = status;
  }

  /** {@return the SPOP status code} */
  public int status() {
    return status;
  }
}
