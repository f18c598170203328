package io.spoavertx.agent.impl;

import io.spoavertx.logging.Log;
import io.spoavertx.logging.PerKeyLog;

/**
 * The agent's WARN lines about messages, limited per message name so that one bad message does not
 * hide another: arguments a handler found bad ({@code bad_args}), and messages that differ from
 * their handler's declaration (drift). One per agent, shared by its listener instances.
 */
public final class MessageLogs {

  /** One line per message name and minute at most, for each kind. */
  static final long INTERVAL_MS = 60_000;

  final PerKeyLog badArgs;
  final PerKeyLog drift;

  public MessageLogs() {
    Log log = Log.get("io.spoavertx.handler");
    this.badArgs = new PerKeyLog(log, INTERVAL_MS, Counters.MAX_DRIFT_NAMES);
    this.drift = new PerKeyLog(log, INTERVAL_MS, Counters.MAX_DRIFT_NAMES);
  }
}
