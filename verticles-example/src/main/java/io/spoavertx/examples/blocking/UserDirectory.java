package io.spoavertx.examples.blocking;

/**
 * A blocking lookup: a JDBC query, an LDAP search, a call through a synchronous client library...
 * It must never run on an event loop.
 */
@FunctionalInterface
public interface UserDirectory {

  /** The plan of {@code user}, or null if the user is unknown. May block. */
  String planOf(String user) throws Exception;

  /**
   * As {@link #planOf(String)}, giving up after {@code timeoutMs}: the time left to the message's
   * deadline, after which the agent answers HAProxy without the plan. A client that can bound its
   * wait overrides it (JDBC: {@code Statement.setQueryTimeout}; an HTTP client: its request timeout).
   */
  default String planOf(String user, long timeoutMs) throws Exception {
    return planOf(user);
  }
}
