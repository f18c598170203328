package io.spoavertx.config;

import static io.spoavertx.config.Check.positive;

/**
 * Where one message name goes.
 *
 * @param address event-bus address (default {@code <addressPrefix><message name>})
 * @param deadlineMs deadline of this message (default: the dispatch deadline)
 */
public record RouteOptions(String address, Long deadlineMs) {

  public RouteOptions {
    if (address != null && address.isBlank()) {
      throw new IllegalArgumentException("address: must not be blank");
    }
    if (deadlineMs != null) {
      positive("deadlineMs", deadlineMs);
    }
  }
}
