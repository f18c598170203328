package io.spoavertx.testing;

import java.util.List;
import java.util.Optional;

/**
 * A decoded ACK frame.
 *
 * @param streamId the stream-id, equal to the NOTIFY's
 * @param frameId  the frame-id, equal to the NOTIFY's
 * @param actions  the actions in wire order (possibly empty)
 */
public record Ack(long streamId, long frameId, List<AckAction> actions) {

  /**
   * Copies {@code actions} into an unmodifiable list.
   *
   * @param streamId the stream-id
   * @param frameId  the frame-id
   * @param actions  the actions in wire order
   */
  public Ack {
    actions = List.copyOf(actions);
  }

  /**
   * The last SET-VAR of {@code scope.name} (the value HAProxy ends up with), if any.
   *
   * @param scope the variable scope
   * @param name  the variable name as sent by the agent
   * @return the value of the last SET-VAR of that variable, or empty if none sets it
   */
  public Optional<TypedValue> var(VarScope scope, String name) {
    TypedValue found = null;
    for (AckAction a : actions) {
      if (a.scope() == scope && a.name().equals(name)) {
        found = a.value();
      }
    }
    return Optional.ofNullable(found);
  }

  @Override
  public String toString() {
    return "ACK(sid=" + streamId + ", fid=" + frameId + ", " + actions + ")";
  }
}
