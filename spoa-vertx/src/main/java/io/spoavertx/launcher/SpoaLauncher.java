package io.spoavertx.launcher;

import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ConfigException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Entry point of an agent fat JAR: Vert.x's application launcher with {@link SpoaMainVerticle}.
 *
 * <pre>
 * java -jar agent.jar                       # the embedded default config (classpath spoa-agent.json)
 * java -jar agent.jar -conf conf/agent.json # a config file (or inline JSON)
 * java -jar agent.jar -conf ... -cluster    # clustered event bus
 * </pre>
 *
 * The config is validated before Vert.x starts: a bad one exits with status 2 and a message naming
 * the key. Environment variables override a few keys for containers: {@code SPOA_HOST},
 * {@code SPOA_PORT}, {@code SPOA_INSTANCES}, {@code SPOA_METRICS_PORT}.
 */
public final class SpoaLauncher {

  /** The classpath resource an application JAR embeds as its default config. */
  public static final String DEFAULT_CONFIG_RESOURCE = "spoa-agent.json";

  /** Exit status of a configuration error. */
  public static final int EXIT_BAD_CONFIG = 2;

  private SpoaLauncher() {
  }

  public static void main(String[] args) {
    int code = new VertxApplication(args, new Hooks()).launch();
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Resolves the effective config: -conf, else the embedded default, then the environment. */
  public static JsonObject effectiveConfig(JsonObject fromCommandLine, Map<String, String> env) {
    JsonObject config = fromCommandLine == null || fromCommandLine.isEmpty() ? embeddedDefault() : fromCommandLine.copy();
    JsonObject listener = config.getValue("listener") instanceof JsonObject l ? l : null;
    if (env.containsKey("SPOA_HOST")) {
      listener = listener(config, listener);
      listener.put("host", env.get("SPOA_HOST"));
    }
    if (env.containsKey("SPOA_PORT")) {
      listener = listener(config, listener);
      listener.put("port", envInt("SPOA_PORT", env.get("SPOA_PORT"), "listener.port"));
    }
    if (env.containsKey("SPOA_INSTANCES")) {
      listener = listener(config, listener);
      listener.put("instances", envInt("SPOA_INSTANCES", env.get("SPOA_INSTANCES"), "listener.instances"));
    }
    if (env.containsKey("SPOA_METRICS_PORT")) {
      JsonObject metrics = config.getValue("metrics") instanceof JsonObject m ? m : new JsonObject();
      config.put("metrics", metrics.put("port", envInt("SPOA_METRICS_PORT", env.get("SPOA_METRICS_PORT"), "metrics.port")));
    }
    return config;
  }

  private static JsonObject listener(JsonObject config, JsonObject listener) {
    if (listener == null) {
      listener = new JsonObject();
      config.put("listener", listener);
    }
    return listener;
  }

  private static int envInt(String var, String value, String key) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "environment variable " + var + " is not an integer: '" + value + "'");
    }
  }

  private static JsonObject embeddedDefault() {
    try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(DEFAULT_CONFIG_RESOURCE)) {
      return in == null ? new JsonObject() : new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read embedded " + DEFAULT_CONFIG_RESOURCE, e);
    }
  }

  private static final class Hooks implements VertxApplicationHooks {
    private volatile AgentConfig config;
    private volatile boolean eventLoopsGiven;

    @Override
    public JsonObject afterVertxOptionsParsed(JsonObject vertxOptions) {
      eventLoopsGiven = vertxOptions != null && vertxOptions.containsKey("eventLoopPoolSize");
      return vertxOptions;
    }

    /**
     * As many event loops as listener instances (unless {@code -options} sets
     * {@code eventLoopPoolSize}): with the handlers' default of one instance per event loop, every
     * listener instance then has each handler on its own event loop. Vert.x's own Micrometer
     * metrics, on the registry the agent's /metrics endpoint serves.
     */
    @Override
    public VertxBuilder createVertxBuilder(VertxOptions options) {
      if (config != null && !eventLoopsGiven) {
        options.setEventLoopPoolSize(config.listener().instances());
      }
      if (config != null && config.listener().nativeTransport()) {
        options.setPreferNativeTransport(true);
      }
      if (config != null && config.metrics().enabled()) {
        options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true));
        return Vertx.builder().with(options)
            .withMetrics(new MicrometerMetricsFactory(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
      }
      return Vertx.builder().with(options);
    }

    @Override
    public JsonObject afterConfigParsed(JsonObject config) {
      try {
        JsonObject effective = effectiveConfig(config, System.getenv());
        AgentConfig parsed = AgentConfig.fromJson(effective);
        ConfigChecks.checkClasses(parsed); // fail before anything binds, naming the key
        this.config = parsed;
        return effective;
      } catch (ConfigException e) {
        System.err.println(e.getMessage());
        System.exit(EXIT_BAD_CONFIG);
        return null;
      }
    }

    @Override
    public Supplier<? extends Deployable> verticleSupplier() {
      return () -> {
        SpoaMainVerticle m = new SpoaMainVerticle();
        m.printSummaryOnStop = true;
        return m;
      };
    }
  }
}
