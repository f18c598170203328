package io.spoavertx.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The process's own meters, next to the agent's: Micrometer's JVM and process binders
 * ({@code jvm_memory_*}, {@code jvm_gc_*}, {@code jvm_threads_*}, {@code jvm_classes_*},
 * {@code process_cpu_usage}, {@code system_cpu_usage}, {@code process_uptime_seconds},
 * {@code process_files_open_files}, ...) and {@code spoa_build_info{version}} (always 1).
 *
 * <p>Each is registered once per registry: a binder whose first meter is already there (bound by
 * an embedding application, or by Vert.x's {@code MicrometerMetricsOptions.setJvmMetricsEnabled})
 * is skipped.
 */
public final class ProcessMeters implements AutoCloseable {

  /** The version of the spoa-vertx library (from the build), or {@code unknown}. */
  public static final String VERSION = readVersion();

  private final List<AutoCloseable> closeables = new ArrayList<>();

  private ProcessMeters() {
  }

  /**
   * Binds the meters to {@code registry}; close the result to stop the ones that hold resources.
   *
   * @param registry where the meters go
   * @return the bound meters
   */
  public static ProcessMeters bind(MeterRegistry registry) {
    ProcessMeters m = new ProcessMeters();
    if (registry.find("spoa.build.info").gauge() == null) {
      Gauge.builder("spoa.build.info", () -> 1).tag("version", VERSION)
          .description("The spoa-vertx version this agent runs, as a label (the value is always 1)").register(registry);
    }
    m.bindIfAbsent(registry, "jvm.memory.used", new JvmMemoryMetrics());
    m.bindIfAbsent(registry, "jvm.gc.memory.allocated", new JvmGcMetrics());
    m.bindIfAbsent(registry, "jvm.threads.live", new JvmThreadMetrics());
    m.bindIfAbsent(registry, "jvm.classes.loaded", new ClassLoaderMetrics());
    m.bindIfAbsent(registry, "system.cpu.count", new ProcessorMetrics());
    m.bindIfAbsent(registry, "process.uptime", new UptimeMetrics());
    m.bindIfAbsent(registry, "process.files.open", new FileDescriptorMetrics());
    return m;
  }

  private void bindIfAbsent(MeterRegistry registry, String firstMeter, MeterBinder binder) {
    if (registry.find(firstMeter).meter() == null) {
      binder.bindTo(registry);
      if (binder instanceof AutoCloseable c) {
        closeables.add(c);
      }
    } else if (binder instanceof AutoCloseable c) {
      closeQuietly(c);
    }
  }

  /** Stops the binders that listen to the JVM (the GC notifications). */
  @Override
  public void close() {
    for (AutoCloseable c : closeables) {
      closeQuietly(c);
    }
    closeables.clear();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // nothing to do about it at stop
    }
  }

  private static String readVersion() {
    try (InputStream in = ProcessMeters.class.getResourceAsStream("/io/spoavertx/version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "unknown");
      return v.startsWith("${") ? "unknown" : v;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
