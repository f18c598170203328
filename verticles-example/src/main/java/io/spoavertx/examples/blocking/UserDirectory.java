package io.spoavertx.examples.blocking;

/**
 * A blocking lookup: a JDBC query, an LDAP search, a call through a synchronous client library...
 * It must never run on an event loop.
 */
@FunctionalInterface
public interface UserDirectory {

  /** The plan of {@code user}, or null if the user is unknown. May block. */
  String planOf(String user) throws Exception;
}
