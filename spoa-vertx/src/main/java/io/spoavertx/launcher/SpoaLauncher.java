package io.spoavertx.launcher;

import io.spoavertx.logging.Log;
import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ConfigException;
import io.spoavertx.config.EnvironmentOverrides;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.launcher.application.HookContext;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.LogManager;

/**
 * Entry point of an agent fat JAR: Vert.x's application launcher with {@link SpoaMainVerticle}.
 *
 * <pre>
 * java -jar agent.jar                       # the embedded default config (classpath spoa-agent.json)
 * java -jar agent.jar -conf conf/agent.json # a config file (or inline JSON)
 * java -jar agent.jar -conf ... -cluster    # clustered event bus
 * java -jar agent.jar -h                    # the options
 * java -jar agent.jar haproxy-config -conf conf/agent.json --out haproxy/   # the HAProxy side
 * </pre>
 *
 * The config is read and validated before Vert.x starts, and fails closed: a {@code -conf} file
 * that is missing or not a JSON object, a bad key, a bad environment variable or a handler
 * verticle's own config error, or TLS keys it cannot use, exit with status 2 and one line naming
 * the file or the key. A part that cannot start (a port in use, the cluster) exits with status 1
 * and one line naming it. {@code --debug} (or {@code -Dspoa.debug=true}) adds the stack trace. Every scalar config key
 * can come from the environment ({@link EnvironmentOverrides}). SIGHUP re-reads the config file
 * and redeploys the handler verticles whose config changed ({@link SpoaMainVerticle#reload}).
 *
 * <p>Logging: unless {@code -Djava.util.logging.config.file} (or {@code .class}) is given, the
 * launcher configures java.util.logging from {@code io/spoavertx/launcher/logging.properties}:
 * one line per record.
 */
public final class SpoaLauncher {

  /** The classpath resource an application JAR embeds as its default config. */
  public static final String DEFAULT_CONFIG_RESOURCE = "spoa-agent.json";

  /** Exit status of a configuration or usage error. */
  public static final int EXIT_BAD_CONFIG = 2;

  /** Exit status when a part of the agent cannot start: a port in use, the cluster. */
  public static final int EXIT_STARTUP_FAILED = 1;

  /** Options passed on to Vert.x's launcher, and whether they take a value. */
  private static final Map<String, Boolean> VERTX_OPTIONS = Map.ofEntries(
      Map.entry("-cluster", false), Map.entry("--cluster", false), Map.entry("-c", false),
      Map.entry("-cluster-host", true), Map.entry("--cluster-host", true),
      Map.entry("-cluster-port", true), Map.entry("--cluster-port", true),
      Map.entry("-cluster-public-host", true), Map.entry("--cluster-public-host", true),
      Map.entry("-cluster-public-port", true), Map.entry("--cluster-public-port", true),
      Map.entry("-options", true), Map.entry("--options", true),
      Map.entry("-vertx-options", true), Map.entry("--vertx-options", true));
  private static final Set<String> CONF = Set.of("-conf", "--conf");
  private static final Set<String> HELP = Set.of("-h", "-help", "--help");
  private static final Set<String> INSTANCES = Set.of("-instances", "--instances");
  private static final Set<String> DEBUG = Set.of("--debug", "-debug");

  /** Kept: java.util.logging holds loggers weakly, and the filter set on this one must stay. */
  private static java.util.logging.Logger vertxLauncherLogger;
  private static java.util.logging.Logger vertxStartLogger;

  private SpoaLauncher() {
  }

  /**
   * Runs the agent, or the {@code haproxy-config} command, and exits with a non-zero status on failure.
   *
   * @param args the command line, see the class comment
   */
  public static void main(String[] args) {
    configureLogging();
    if (args.length > 0 && args[0].equals(HaproxyConfigCommand.NAME)) {
      System.exit(HaproxyConfigCommand.run(Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.out, System.err));
    }
    int code = launch(args, System.getenv(), System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Parses the command line, prepares the config and runs Vert.x's launcher; returns the exit status. */
  static int launch(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    CommandLine cl;
    try {
      cl = CommandLine.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return EXIT_BAD_CONFIG;
    }
    if (cl.help) {
      out.print(usage());
      return 0;
    }
    boolean debug = cl.debug || Boolean.getBoolean("spoa.debug");
    if (!debug) {
      // Vert.x logs a startup failure with its stack trace before the hooks below print it in one
      // line: without --debug, the line is enough (Vert.x's own records come back once it runs).
      vertxLauncherLogger = java.util.logging.Logger.getLogger("io.vertx.launcher.application.VertxApplication");
      vertxLauncherLogger.setFilter(r -> r.getThrown() == null);
      vertxStartLogger = java.util.logging.Logger.getLogger("io.vertx.core.impl.VertxImpl");
      vertxStartLogger.setFilter(r -> r.getThrown() == null);
    }
    ConfigSource source = ConfigSource.of(cl.conf);
    Prepared prepared;
    try {
      prepared = prepare(source, env);
    } catch (ConfigException e) {
      err.println(e.getMessage());
      if (debug) {
        e.printStackTrace(err);
      }
      return EXIT_BAD_CONFIG;
    }
    Log log = Log.get(SpoaLauncher.class);
    log.info("SPOA agent config: " + source.describe());
    for (String unknown : EnvironmentOverrides.unknownVariables(env)) {
      log.warn("environment variable " + unknown + " sets no config key (see docs/CONFIG.md): ignored");
    }
    AgentConfig c = prepared.config();
    if (c.handlers().isEmpty() && !c.cluster().role().equals("agent")
        && c.dispatch().routes().values().stream().noneMatch(r -> r.handler() != null)) {
      log.warn(source.describe() + " deploys no handler verticles and routes no message to an in-process handler: "
          + "every message will be answered without actions");
    }
    Hooks hooks = new Hooks(source, env, prepared, debug, err);
    return new VertxApplication(cl.vertxArgs.toArray(new String[0]), hooks).launch();
  }

  /** A config ready to run: the JSON the main verticle gets, and what it parses to. */
  record Prepared(JsonObject json, AgentConfig config) {
  }

  /** Reads the source, applies the environment and checks everything that can be checked before binding. */
  static Prepared prepare(ConfigSource source, Map<String, String> env) {
    JsonObject json = EnvironmentOverrides.apply(source.read(), env);
    AgentConfig config = AgentConfig.fromJson(json);
    ConfigChecks.check(config); // fail before anything binds, naming the key
    return new Prepared(json, config);
  }

  /** java.util.logging from the shipped one-line format, unless the user configured it. */
  private static void configureLogging() {
    if (System.getProperty("java.util.logging.config.file") != null
        || System.getProperty("java.util.logging.config.class") != null) {
      return;
    }
    try (InputStream in = SpoaLauncher.class.getResourceAsStream("logging.properties")) {
      if (in != null) {
        LogManager.getLogManager().readConfiguration(in);
      }
    } catch (IOException e) {
      System.err.println("cannot read the launcher's logging.properties, logging with the JDK's defaults: " + e);
    }
  }

  static String usage() {
    return String.join(System.lineSeparator(),
        "Usage: java [-Djava.util.logging.config.file=FILE] -jar spoa-agent.jar [options]",
        "",
        "Runs an HAProxy SPOE agent (spoa-vertx): the SPOP listener, its handler verticles and the",
        "metrics/health endpoint, as the JSON config says (docs/CONFIG.md).",
        "",
        "Options:",
        "  -conf FILE|JSON         the agent config: a JSON file, or inline JSON starting with '{'.",
        "                          Without it, the config embedded in the JAR (" + DEFAULT_CONFIG_RESOURCE + ").",
        "  -cluster                join a Hazelcast cluster (cluster.xml on the classpath, or",
        "                          -Dvertx.hazelcast.config=FILE); cluster.role picks what this node runs",
        "  -cluster-host HOST      interface of the clustered event bus",
        "  -cluster-port PORT      its port (default: any free port)",
        "  -cluster-public-host HOST, -cluster-public-port PORT",
        "                          the address other nodes reach this one at (NAT)",
        "  -options FILE|JSON      Vert.x options (VertxOptions as JSON)",
        "  --debug                 print the stack trace of a startup error (or -Dspoa.debug=true)",
        "  -h, --help              this text",
        "",
        "Command:",
        "  " + HaproxyConfigCommand.NAME + " [-conf FILE|JSON] [--haproxy 2.6|3.x] [--out DIR] ...",
        "                          writes the HAProxy side of this agent (haproxy.cfg and its SPOE file)",
        "                          from the config and the messages its handlers declare, and exits;",
        "                          " + HaproxyConfigCommand.NAME + " -h lists its options",
        "",
        "The listener's instances are a config key (listener.instances), not an option: one agent",
        "per port.",
        "",
        "Environment: SPOA_ + a key's path in upper case sets that key, e.g.",
        "SPOA_LISTENER_PORT=12346, SPOA_DISPATCH_DEADLINEMS=200; NAME_FILE reads NAME's value from a",
        "file (secrets). SPOA_HOST, SPOA_PORT, SPOA_INSTANCES are aliases of listener.host/port/instances.",
        "",
        "Signals: SIGTERM stops gracefully (NOTIFYs already read are answered, then AGENT-DISCONNECT);",
        "SIGHUP re-reads the -conf file and redeploys the handler verticles whose config changed.",
        "",
        "Exit status: 0 stopped; 1 a part could not start (a port in use, the cluster);",
        "2 a bad config, environment variable, option or TLS key.",
        "");
  }

  /** The command line, split into the launcher's own options and those passed to Vert.x. */
  static final class CommandLine {
    String conf;
    boolean help;
    boolean debug;
    final List<String> vertxArgs = new ArrayList<>();

    static CommandLine parse(String[] args) {
      CommandLine cl = new CommandLine();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        String name = arg;
        String value = null;
        int eq = arg.indexOf('=');
        if (arg.startsWith("-") && eq > 0) {
          name = arg.substring(0, eq);
          value = arg.substring(eq + 1);
        }
        if (HELP.contains(name)) {
          cl.help = true;
        } else if (DEBUG.contains(name)) {
          cl.debug = true;
        } else if (INSTANCES.contains(name)) {
          throw new IllegalArgumentException("option " + name + " is not supported: it would run several agents on "
              + "one port. Set listener.instances (or SPOA_LISTENER_INSTANCES) for more listener instances.");
        } else if (CONF.contains(name)) {
          if (value == null) {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException("option " + name + " needs a value: a config file or inline JSON");
            }
            value = args[++i];
          }
          cl.conf = value;
        } else if (VERTX_OPTIONS.containsKey(name)) {
          cl.vertxArgs.add(name);
          if (VERTX_OPTIONS.get(name)) {
            if (value == null) {
              if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + name + " needs a value");
              }
              value = args[++i];
            }
            cl.vertxArgs.add(value);
          }
        } else if (arg.startsWith("-")) {
          throw new IllegalArgumentException("unknown option " + name + " (-h lists the options)");
        } else {
          throw new IllegalArgumentException("unexpected argument '" + arg + "' (-h lists the options)");
        }
      }
      return cl;
    }
  }

  private static final class Hooks implements VertxApplicationHooks {
    private final ConfigSource source;
    private final Map<String, String> env;
    private final Prepared prepared;
    private final boolean debug;
    private final PrintStream err;
    private volatile AgentConfig config;
    private volatile boolean eventLoopsGiven;
    private volatile SpoaMainVerticle main;

    Hooks(ConfigSource source, Map<String, String> env, Prepared prepared, boolean debug, PrintStream err) {
      this.source = source;
      this.env = env;
      this.prepared = prepared;
      this.debug = debug;
      this.err = err;
      this.config = prepared.config();
    }

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
    public JsonObject afterConfigParsed(JsonObject ignored) {
      return prepared.json(); // -conf is the launcher's own: Vert.x saw none
    }

    @Override
    public void afterVertxStarted(HookContext context) {
      if (vertxStartLogger != null) {
        vertxStartLogger.setFilter(null);
      }
    }

    @Override
    public void afterFailureToStartVertx(HookContext context, Throwable t) {
      exit(t == null ? new StartupException("cluster", "cannot join: timed out", null) : StartupException.cluster(t));
    }

    @Override
    public Supplier<? extends Deployable> verticleSupplier() {
      return () -> {
        SpoaMainVerticle m = new SpoaMainVerticle(config); // parsed and checked once, in prepare()
        m.printSummaryOnStop = true;
        main = m;
        return m;
      };
    }

    @Override
    public void beforeDeployingVerticle(HookContext context) {
      if (context.deploymentOptions().getInstances() > 1) {
        exit(new ConfigException("-deployment-options", "instances " + context.deploymentOptions().getInstances()
            + " would run several agents on one port: set listener.instances instead"));
      }
    }

    /** Vert.x is closing (SIGTERM): /health says so before the listener drains. */
    @Override
    public void beforeStoppingVertx(HookContext context) {
      SpoaMainVerticle m = main;
      if (m != null) {
        m.prepareToStop();
      }
    }

    @Override
    public void afterVerticleDeployed(HookContext context) {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      Reload.onSighup(() -> {
        // the JVM's signal thread: the handler classes are checked with the application's loader
        Thread.currentThread().setContextClassLoader(loader);
        reload();
      });
    }

    @Override
    public void afterFailureToDeployVerticle(HookContext context, Throwable t) {
      exit(t == null ? new StartupException("SPOA agent", "timed out while starting", null) : t);
    }

    /** SIGHUP: the config file again, the environment again, then the handler verticles that changed. */
    private void reload() {
      Log log = Log.get(SpoaLauncher.class);
      SpoaMainVerticle m = main;
      if (m == null) {
        return;
      }
      if (source.kind() != ConfigSource.Kind.FILE) {
        log.warn("SIGHUP: nothing to reload, the agent runs " + source.describe() + " (reload needs -conf FILE)");
        return;
      }
      log.info("SIGHUP: reloading " + source.describe());
      JsonObject json;
      try {
        json = prepare(source, env).json();
      } catch (ConfigException e) {
        log.warn("reload refused, the running config stays: " + e.getMessage());
        return;
      }
      m.reload(json); // logs what it did, or why it refused
    }

    /** One line (and the trace with --debug), then the exit status that says what kind of failure it was. */
    private void exit(Throwable t) {
      Throwable shown = t;
      for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
        if (c instanceof ConfigException || c instanceof StartupException) {
          shown = c;
          break;
        }
      }
      String line = shown instanceof ConfigException || shown instanceof StartupException ? shown.getMessage()
          : "SPOA agent: cannot start: " + StartupException.rootMessage(t);
      err.println(line);
      if (debug) {
        t.printStackTrace(err);
      }
      err.flush();
      boolean config = shown instanceof ConfigException || shown instanceof StartupException s && s.isConfigError();
      System.exit(config ? EXIT_BAD_CONFIG : EXIT_STARTUP_FAILED);
    }
  }
}
