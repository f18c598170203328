package io.spoavertx.testing;

/** A frame that breaks SPOP, with the SPOP status code that describes it (e.g. 3 too big, 4 invalid). */
public class SpopProtocolException extends RuntimeException {

  private final int status;

  public SpopProtocolException(int status, String message) {
    super(message + " (SPOP status " + status + ")");
    this.status = status;
  }

  /** The SPOP status code. */
  public int status() {
    return status;
  }
}
