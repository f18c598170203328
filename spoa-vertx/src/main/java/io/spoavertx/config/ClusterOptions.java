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

  public static final ClusterOptions DEFAULT = new ClusterOptions(null, null);

  public ClusterOptions {
    role = orDefault(role, "both");
    if (!role.equals("both") && !role.equals("agent") && !role.equals("handlers")) {
      throw new IllegalArgumentException("role: must be one of both, agent, handlers; got '" + role + "'");
    }
    preferLocal = orDefault(preferLocal, true);
  }

  public boolean runsListener() {
    return !role.equals("handlers");
  }

  public boolean runsHandlers() {
    return !role.equals("agent");
  }
}
