package io.spoavertx.config;

import static io.spoavertx.config.Check.orDefault;

/**
 * What this node does in a cluster (launcher option {@code -cluster}).
 *
 * @param role {@code both} (default): listener and handlers; {@code agent}: the listener only,
 *     handlers run on other nodes; {@code handlers}: the handler verticles only, no listener
 * @param preferLocal send a message to a handler in this JVM when there is one, else anywhere in
 *     the cluster (default true; ignored on {@code agent} nodes)
 */
public record ClusterOptions(String role, Boolean preferLocal) {

  /** All defaults. */
  public static final ClusterOptions DEFAULT = new ClusterOptions(null, null);

  /**
   * Applies the defaults to null components and validates the others.
   *
   * @param role        {@code both}, {@code agent} or {@code handlers}; null for {@code both}
   * @param preferLocal null for true
   * @throws IllegalArgumentException if the role is unknown; the message starts with its key
   */
  public ClusterOptions {
    role = orDefault(role, "both");
    if (!role.equals("both") && !role.equals("agent") && !role.equals("handlers")) {
      throw new IllegalArgumentException("role: must be one of both, agent, handlers; got '" + role + "'");
    }
    preferLocal = orDefault(preferLocal, true);
  }

  /** {@return true if this node runs the listener (role {@code both} or {@code agent})} */
  public boolean runsListener() {
    return !role.equals("handlers");
  }

  /** {@return true if this node runs the handler verticles (role {@code both} or {@code handlers})} */
  public boolean runsHandlers() {
    return !role.equals("agent");
  }
}
