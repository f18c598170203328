package io.spoavertx.config;

/** A configuration error, naming the key (dotted path) and what is wrong with it. */
public final class ConfigException extends IllegalArgumentException {

  private final String key;

  public ConfigException(String key, String problem) {
    super("invalid agent config: " + key + ": " + problem);
    this.key = key;
  }

  /** Dotted path of the offending key, e.g. {@code listener.port}. */
  public String key() {
    return key;
  }
}
