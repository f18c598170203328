package io.spoavertx.config;

import static io.spoavertx.config.Check.positive;

/**
 * Where one message name goes.
 *
 * @param address event-bus address (default {@code <addressPrefix><message name>})
 * @param deadlineMs deadline of this message (default: the dispatch deadline)
 * @param handler class name of an in-process {@link io.spoavertx.handler.SpoeHandler} (public
 *     no-arg constructor) that answers this message on the connection's event loop, with no
 *     event-bus hop; exclusive with {@code address}
 */
public record RouteOptions(String address, Long deadlineMs, String handler) {

  /**
   * Validates the route.
   *
   * @param address    event-bus address, or null for the default
   * @param deadlineMs deadline, or null for the dispatch deadline
   * @param handler    class name of an in-process handler, or null
   * @throws IllegalArgumentException if a value is blank or not positive, or both address and handler are given
   */
  public RouteOptions {
    if (address != null && address.isBlank()) {
      throw new IllegalArgumentException("address: must not be blank");
    }
    if (handler != null && handler.isBlank()) {
      throw new IllegalArgumentException("handler: must not be blank");
    }
    if (handler != null && address != null) {
      throw new IllegalArgumentException("handler: a route has either an address or a handler, not both");
    }
    if (deadlineMs != null) {
      positive("deadlineMs", deadlineMs);
    }
  }

  /**
   * An event-bus route.
   *
   * @param address    event-bus address, or null for the default
   * @param deadlineMs deadline, or null for the dispatch deadline
   */
  public RouteOptions(String address, Long deadlineMs) {
    this(address, deadlineMs, null);
  }
}
