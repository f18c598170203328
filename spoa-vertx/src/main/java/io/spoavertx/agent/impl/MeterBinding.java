package io.spoavertx.agent.impl;

import io.micrometer.core.instrument.MeterRegistry;
import io.spoavertx.metrics.SpoaMeters;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * Binds an agent's meters to a Micrometer registry. Micrometer is an optional dependency of the
 * library: this class, the only one of the agent that names its types, is loaded only when
 * {@link #MICROMETER} says it is on the class path.
 */
public final class MeterBinding {

  /** Whether Micrometer (and Vert.x's Micrometer metrics) are on the class path. */
  public static final boolean MICROMETER = present("io.micrometer.core.instrument.MeterRegistry")
      && present("io.vertx.micrometer.backends.BackendRegistries");

  private MeterBinding() {
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, MeterBinding.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * Registers {@code stats}' meters on {@code registry} (a {@code MeterRegistry}), or when null on
   * the registry of Vert.x's own Micrometer metrics if they are on; installs the latency recorder.
   * Returns whether meters were bound.
   */
  public static boolean bind(Object registry, Counters stats) {
    MeterRegistry r = registry != null ? (MeterRegistry) registry : BackendRegistries.getDefaultNow();
    if (r == null) {
      return false;
    }
    stats.latencyRecorder(SpoaMeters.bind(r, stats));
    return true;
  }
}
