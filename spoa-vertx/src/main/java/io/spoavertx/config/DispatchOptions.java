package io.spoavertx.config;

import static io.spoavertx.config.Check.orDefault;
import static io.spoavertx.config.Check.positive;

import java.util.Map;

/**
 * How messages reach handlers.
 *
 * @param deadlineMs a message unanswered after this long contributes no actions and the ACK goes
 *     out without it (default 500; keep it below HAProxy's {@code timeout processing})
 * @param addressPrefix event-bus address prefix of messages without a route (default {@code spoa.message.})
 * @param routes per message name: address and deadline overrides
 */
public record DispatchOptions(Long deadlineMs, String addressPrefix, Map<String, RouteOptions> routes) {

  /** All defaults. */
  public static final DispatchOptions DEFAULT = new DispatchOptions(null, null, null);

  /**
   * Applies the defaults to null components and validates the others.
   *
   * @param deadlineMs    null for 500
   * @param addressPrefix null for {@code spoa.message.}
   * @param routes        per message name; null for none
   * @throws IllegalArgumentException if the deadline is not positive or a route is null; the message starts with its key
   */
  public DispatchOptions {
    deadlineMs = positive("deadlineMs", orDefault(deadlineMs, 500L));
    addressPrefix = orDefault(addressPrefix, "spoa.message.");
    routes = routes == null ? Map.of() : Map.copyOf(routes);
    for (Map.Entry<String, RouteOptions> e : routes.entrySet()) {
      if (e.getValue() == null) {
        throw new IllegalArgumentException("routes." + e.getKey() + ": must be an object");
      }
    }
  }

  /**
   * {@return a copy with another deadline}
   *
   * @param ms the deadline, positive
   */
  public DispatchOptions withDeadlineMs(long ms) {
    return new DispatchOptions(ms, addressPrefix, routes);
  }
}
