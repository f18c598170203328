package io.spoavertx.launcher;

import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ConfigException;
import io.spoavertx.config.RouteOptions;
import io.spoavertx.handler.MessageSpec;
import io.spoavertx.launcher.HaproxyConfigWriter.Dialect;
import io.spoavertx.launcher.HaproxyConfigWriter.Options;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar spoa-agent.jar haproxy-config [-conf FILE] [--haproxy 2.6|3.x] [--out DIR]}:
 * writes the HAProxy side of an agent from its own config and the messages its handler verticles
 * declare ({@link io.spoavertx.handler.MessageSpec}), so that the two cannot drift apart.
 *
 * <p>It reads the config as the agent does (failing closed, one line), deploys the configured
 * handler verticles in a Vert.x instance of its own, without the SPOP listener or the metrics
 * server, reads their declarations, writes {@code DIR/haproxy.cfg} and {@code DIR/spoe-<engine>.conf},
 * prints what it wrote, undeploys them and returns. A handler verticle that declares no message is
 * an error naming it. {@link #usage()} has the options.
 */
public final class HaproxyConfigCommand {

  /** The command's name: the first argument of the launcher. */
  public static final String NAME = "haproxy-config";

  /** Exit status when the files cannot be written. */
  public static final int EXIT_CANNOT_WRITE = 1;

  private HaproxyConfigCommand() {
  }

  /**
   * Runs the command.
   *
   * @param args the arguments after the command's name
   * @param env the environment, which overrides config keys as for the agent ({@code SPOA_...})
   * @param out where the files written are reported
   * @param err where an error goes, in one line
   * @return the exit status: 0 written; {@link SpoaLauncher#EXIT_BAD_CONFIG} for a bad config or
   *     option, or a handler verticle that declares nothing; {@link #EXIT_CANNOT_WRITE} when the
   *     files cannot be written
   */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    Arguments a;
    try {
      a = Arguments.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(NAME + ": " + e.getMessage());
      return SpoaLauncher.EXIT_BAD_CONFIG;
    }
    if (a.help) {
      out.print(usage());
      return 0;
    }
    try {
      AgentConfig config = SpoaLauncher.prepare(ConfigSource.of(a.conf), env).config();
      refuseUndeclaredDirectHandlers(config);
      List<MessageSpec> declared = HandlerDeclarations.read(config);
      HaproxyConfigWriter.Written w = HaproxyConfigWriter.write(declared, config, a.options);
      Path dir = Path.of(a.out);
      Path cfg = dir.resolve("haproxy.cfg");
      Path spoe = dir.resolve(w.spoeFileName());
      try {
        Files.createDirectories(dir);
        Files.writeString(cfg, w.haproxyCfg());
        Files.writeString(spoe, w.spoeConf());
      } catch (IOException e) {
        err.println(NAME + ": cannot write to " + dir + ": " + e);
        return EXIT_CANNOT_WRITE;
      }
      out.println("wrote " + cfg);
      out.println("wrote " + spoe);
      out.println("  for " + a.options.dialect().versions + "; engine " + a.options.engine() + ", messages "
          + String.join(" ", declared.stream().map(MessageSpec::name).toList()) + ", var-prefix " + a.options.varPrefix()
          + ", timeout processing " + HaproxyConfigWriter.duration(w.processingTimeoutMs()) + ", agent at "
          + config.listener().host() + ":" + config.listener().port());
      return 0;
    } catch (IllegalArgumentException e) {
      err.println(e instanceof ConfigException ? e.getMessage() : NAME + ": " + e.getMessage());
      if (a.debug) {
        e.printStackTrace(err);
      }
      return SpoaLauncher.EXIT_BAD_CONFIG;
    }
  }

  /** Messages answered by a handler class of the config ({@code dispatch.routes.<m>.handler}) declare nothing. */
  private static void refuseUndeclaredDirectHandlers(AgentConfig config) {
    for (Map.Entry<String, RouteOptions> e : config.dispatch().routes().entrySet()) {
      if (e.getValue().handler() != null) {
        throw new ConfigException("dispatch.routes." + e.getKey() + ".handler", "'" + e.getValue().handler()
            + "' is a direct handler class, which cannot declare its message: " + NAME + " has no spoe-message to write "
            + "for it (answer it from a handler verticle that registers with a MessageSpec)");
      }
    }
  }

  /**
   * The command's help.
   *
   * @return the text {@code haproxy-config -h} prints
   */
  public static String usage() {
    return String.join(System.lineSeparator(),
        "Usage: java -jar spoa-agent.jar " + NAME + " [-conf FILE|JSON] [--haproxy 2.6|3.x] [--out DIR]",
        "           [--engine NAME] [--var-prefix PREFIX] [--bind ADDRESS:PORT] [--debug]",
        "",
        "Writes the HAProxy side of this agent: DIR/haproxy.cfg (a frontend with the SPOE filter and example",
        "rules on the agent's variables, the agent backend " + HaproxyConfigWriter.AGENT_BACKEND
            + " at listener.host:listener.port with",
        "option spop-check) and DIR/spoe-NAME.conf (the spoe-agent, and one spoe-message per message the",
        "handler verticles declare with a MessageSpec). It reads the config as the agent does, deploys the",
        "handler verticles without the listener or the metrics server, writes the files and exits.",
        "",
        "Options:",
        "  -conf FILE|JSON         the agent config (default: the one embedded in the JAR)",
        "  --haproxy 2.6|3.x       the HAProxy to write for (default 2.6): 2.6 to 3.0 run SPOE over a",
        "                          \"mode tcp\" backend, 3.1 and later over \"mode spop\"",
        "  --out DIR               where to write (default: the current directory); the files are replaced",
        "  --engine NAME           the SPOE engine, also in the file name spoe-NAME.conf (default spoa)",
        "  --var-prefix PREFIX     HAProxy's prefix of the agent's variables: txn.PREFIX.score (default spoa)",
        "  --bind ADDRESS:PORT     the example frontend's address (default 127.0.0.1:8080)",
        "  --debug                 print the stack trace of an error",
        "  -h, --help              this text",
        "",
        "timeout processing is set above the longest message deadline (dispatch.deadlineMs and every",
        "dispatch.routes.<message>.deadlineMs): that deadline plus half of it, at least 250 ms more.",
        "",
        "Exit status: 0 written; 2 a bad config or option, or a handler verticle that declares no message",
        "(named); 1 the files could not be written.",
        "");
  }

  /** The command line. */
  private static final class Arguments {
    String conf;
    String out = ".";
    boolean help;
    boolean debug;
    Options options = Options.DEFAULT;

    static Arguments parse(String[] args) {
      Arguments a = new Arguments();
      String haproxy = "2.6";
      String engine = Options.DEFAULT.engine();
      String prefix = Options.DEFAULT.varPrefix();
      String bind = Options.DEFAULT.bind();
      for (int i = 0; i < args.length; i++) {
        String name = args[i];
        String value = null;
        int eq = name.indexOf('=');
        if (name.startsWith("-") && eq > 0) {
          value = name.substring(eq + 1);
          name = name.substring(0, eq);
        }
        switch (name) {
          case "-h", "-help", "--help" -> a.help = true;
          case "--debug", "-debug" -> a.debug = true;
          case "-conf", "--conf", "--haproxy", "--out", "--engine", "--var-prefix", "--bind" -> {
            if (value == null) {
              if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + name + " needs a value (-h lists the options)");
              }
              value = args[++i];
            }
            switch (name) {
              case "--haproxy" -> haproxy = value;
              case "--out" -> a.out = value;
              case "--engine" -> engine = value;
              case "--var-prefix" -> prefix = value;
              case "--bind" -> bind = value;
              default -> a.conf = value;
            }
          }
          default -> throw new IllegalArgumentException((name.startsWith("-") ? "unknown option " + name
              : "unexpected argument '" + name + "'") + " (-h lists the options)");
        }
      }
      a.options = new Options(Dialect.of(haproxy), engine, prefix, bind);
      return a;
    }
  }
}
