package io.spoavertx.config;

/**
 * A configuration error, naming the key (dotted path) and what is wrong with it. The message reads
 * {@code invalid agent config: <key>: <problem>}.
 *
 * <p>Handler verticles use it too, for errors in their own {@code config()}: fail {@code start()}
 * with it, the key relative to the verticle's config, e.g.
 * {@code new ConfigException("deny[1]", "prefix out of range in '10.0.0.0/33'")}. The launcher
 * reports it under the deployment's path, {@code handlers[0].config.deny[1]: prefix out of range
 * in '10.0.0.0/33'}, and exits with status 2 (a reload is refused the same way).
 */
public final class ConfigException extends IllegalArgumentException {

  /** Dotted path of the offending key. */
  private final String key;
  /** What is wrong with it. */
  private final String problem;

  /**
   * An error in a key.
   *
   * @param key     dotted path of the key, e.g. {@code listener.port}
   * @param problem what is wrong with it
   */
  public ConfigException(String key, String problem) {
    this(key, problem, null);
  }

  /**
   * An error in a key, with its cause.
   *
   * @param key     dotted path of the key, e.g. {@code listener.port}
   * @param problem what is wrong with it
   * @param cause   the underlying error, or null
   */
  public ConfigException(String key, String problem, Throwable cause) {
    super("invalid agent config: " + key + ": " + problem, cause);
    this.key = key;
    this.problem = problem;
  }

  /** {@return the dotted path of the offending key, e.g. {@code listener.port} or {@code deny[1]}} */
  public String key() {
    return key;
  }

  /** {@return what is wrong with it, without the key} */
  public String problem() {
    return problem;
  }

  /**
   * The same error seen from a containing document: {@code new ConfigException("deny[1]", p)
   * .under("handlers[0].config")} has the key {@code handlers[0].config.deny[1]}.
   *
   * @param parent dotted path of the containing key
   * @return a new exception with the key under {@code parent}
   */
  public ConfigException under(String parent) {
    String k = key == null || key.isEmpty() || key.equals("(document)") ? parent
        : key.startsWith("[") ? parent + key : parent + "." + key;
    return new ConfigException(k, problem, getCause());
  }
}
