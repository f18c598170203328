package io.spoavertx.config;

import static io.spoavertx.config.Check.orDefault;
import static io.spoavertx.config.Check.range;

/**
 * The Prometheus endpoint: Vert.x's own meters (net server, event bus), the agent's
 * ({@code spoa_*}) and the JVM's; the same HTTP server answers {@value #HEALTH_PATH}.
 *
 * @param enabled serve metrics (default true)
 * @param host interface of the metrics HTTP server (default {@code 127.0.0.1})
 * @param port its port (default 9464; 0 picks a free port)
 * @param path its path (default {@code /metrics})
 */
public record MetricsOptions(Boolean enabled, String host, Integer port, String path) {

  /** All defaults. */
  public static final MetricsOptions DEFAULT = new MetricsOptions(null, null, null, null);

  /** Path of the health endpoint on the metrics server: 200 when ready, 503 otherwise. */
  public static final String HEALTH_PATH = "/health";

  /**
   * Applies the defaults to null components and validates the others.
   *
   * @param enabled null for true
   * @param host    null for {@code 127.0.0.1}
   * @param port    0..65535; null for 9464
   * @param path    starts with {@code /}, not {@value #HEALTH_PATH}; null for {@code /metrics}
   * @throws IllegalArgumentException if a value is invalid; the message starts with its key
   */
  public MetricsOptions {
    enabled = orDefault(enabled, true);
    host = orDefault(host, "127.0.0.1");
    port = range("port", orDefault(port, 9464), 0, 65535);
    path = orDefault(path, "/metrics");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path: must start with '/', got '" + path + "'");
    }
    if (path.equals(HEALTH_PATH)) {
      throw new IllegalArgumentException("path: " + HEALTH_PATH + " is the health endpoint, choose another path");
    }
  }

  /**
   * {@return a copy with another port}
   *
   * @param newPort the port, 0 for a free one
   */
  public MetricsOptions withPort(int newPort) {
    return new MetricsOptions(enabled, host, newPort, path);
  }

  /**
   * {@return a copy, enabled or not}
   *
   * @param on true to serve metrics
   */
  public MetricsOptions withEnabled(boolean on) {
    return new MetricsOptions(on, host, port, path);
  }
}
