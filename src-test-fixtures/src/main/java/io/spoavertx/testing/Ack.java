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

  public Ack {
    actions = List.copyOf(actions);
  }

  /** The last SET-VAR of {@code scope.name} (the value HAProxy ends up with), if any. */
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
