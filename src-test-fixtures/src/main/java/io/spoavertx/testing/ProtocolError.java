package io.spoavertx.testing;

/**
 * Something the agent did that HAProxy would not accept or did not expect, recorded by
 * {@link SpopTestClient#errors()}.
 *
 * @param description what went wrong
 * @param frame       the offending frame, or null (e.g. an unparseable byte stream)
 */
public record ProtocolError(String description, Frame frame) {

  @Override
  public String toString() {
    return frame == null ? description : description + " [" + frame + "]";
  }
}
