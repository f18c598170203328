package io.spoavertx.launcher;

import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ConfigException;
import io.spoavertx.config.RouteOptions;
import io.spoavertx.handler.DataType;
import io.spoavertx.handler.MessageSpec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The HAProxy side of an agent, as text: {@code haproxy.cfg} (a frontend with the SPOE filter and
 * example rules on the declared variables, a demo backend, the agent backend) and the SPOE file it
 * names (the {@code spoe-agent} and one {@code spoe-message} per declaration). Knows HAProxy, not
 * Vert.x: {@link HaproxyConfigCommand} gathers the declarations.
 */
final class HaproxyConfigWriter {

  /** HAProxy writes {@code <scope>.<var-prefix>.<name>} into 63 characters (see Actions.MAX_VAR_NAME_LENGTH). */
  static final int MAX_HAPROXY_VAR_LENGTH = 63;
  static final String AGENT_BACKEND = "spoa-agents";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
  private static final Pattern VAR_PREFIX = Pattern.compile("[A-Za-z0-9._]+");
  private static final Pattern BIND = Pattern.compile("(\\*|[A-Za-z0-9.-]*|\\[[0-9A-Fa-f:.]+]):\\d{1,5}");

  /** The two ways HAProxy runs SPOE. */
  enum Dialect {
    /** SPOE as an applet over a {@code mode tcp} backend: 2.6 to 3.0. */
    TCP("HAProxy 2.6 to 3.0"),
    /** SPOE over the {@code spop} multiplexer, {@code mode spop} backend: 3.1 and later. */
    SPOP("HAProxy 3.1 and later");

    final String versions;

    Dialect(String versions) {
      this.versions = versions;
    }

    /** {@code 2.6}, {@code 3.x}, or any {@code major.minor}: before 3.1 {@link #TCP}, else {@link #SPOP}. */
    static Dialect of(String version) {
      if (version.equals("3.x") || version.equals("3")) {
        return SPOP;
      }
      String[] p = version.split("\\.");
      try {
        if (p.length == 2 && Integer.parseInt(p[0]) >= 2) {
          int major = Integer.parseInt(p[0]);
          int minor = Integer.parseInt(p[1]);
          if (major == 2 && minor < 6) {
            throw new IllegalArgumentException("--haproxy " + version + ": HAProxy 2.6 or later is needed");
          }
          return major > 3 || major == 3 && minor >= 1 ? SPOP : TCP;
        }
      } catch (NumberFormatException e) {
        // below
      }
      throw new IllegalArgumentException("--haproxy " + version + ": expected 2.6 or 3.x (or a version such as 3.2)");
    }
  }

  /**
   * What to write.
   *
   * @param dialect the HAProxy versions to write for
   * @param engine the SPOE engine name ({@code filter spoe engine <engine>}, file {@code spoe-<engine>.conf})
   * @param varPrefix the {@code option var-prefix}
   * @param bind the frontend's {@code bind} address
   */
  record Options(Dialect dialect, String engine, String varPrefix, String bind) {
    static final Options DEFAULT = new Options(Dialect.TCP, "spoa", "spoa", "127.0.0.1:8080");

    Options {
      if (!NAME.matcher(engine).matches()) {
        throw new IllegalArgumentException("--engine '" + engine + "': letters, digits, '.', '_' and '-' only");
      }
      if (!VAR_PREFIX.matcher(varPrefix).matches()) {
        throw new IllegalArgumentException("--var-prefix '" + varPrefix + "': letters, digits, '.' and '_' only");
      }
      if (!BIND.matcher(bind).matches()) {
        throw new IllegalArgumentException("--bind '" + bind + "': expected ADDRESS:PORT, e.g. 127.0.0.1:8080");
      }
    }

    String spoeFile() {
      return "spoe-" + engine + ".conf";
    }
  }

  /** The two files. */
  record Written(String haproxyCfg, String spoeFileName, String spoeConf, long processingTimeoutMs) {
  }

  private final List<MessageSpec> specs;
  private final AgentConfig config;
  private final Options options;
  private final Deadline deadline;

  private HaproxyConfigWriter(List<MessageSpec> specs, AgentConfig config, Options options) {
    this.specs = List.copyOf(specs);
    this.config = config;
    this.options = options;
    this.deadline = Deadline.longest(config);
  }

  /**
   * Writes both files.
   *
   * @throws IllegalArgumentException if there is nothing to write, two declarations share a name or
   *     a variable would be too long with the prefix
   * @throws ConfigException if the agent config cannot be reached by HAProxy (port 0)
   */
  static Written write(List<MessageSpec> specs, AgentConfig config, Options options) {
    if (specs.isEmpty()) {
      throw new IllegalArgumentException("no message is declared: nothing to write");
    }
    Set<String> names = new LinkedHashSet<>();
    for (MessageSpec s : specs) {
      if (!names.add(s.name())) {
        throw new IllegalArgumentException("message '" + s.name() + "' is declared twice, differently");
      }
      for (MessageSpec.Var v : vars(s)) {
        int length = v.haproxyName(options.varPrefix()).length();
        if (length > MAX_HAPROXY_VAR_LENGTH) {
          throw new IllegalArgumentException("--var-prefix '" + options.varPrefix() + "' is too long for " + s.name()
              + "'s variable " + v.haproxyName(options.varPrefix()) + ": " + length + " characters, HAProxy sets at most "
              + MAX_HAPROXY_VAR_LENGTH);
        }
      }
    }
    if (config.listener().port() == 0) {
      throw new ConfigException("listener.port", "0 (any free port): HAProxy needs the agent's fixed port");
    }
    HaproxyConfigWriter w = new HaproxyConfigWriter(specs, config, options);
    return new Written(w.haproxyCfg(), options.spoeFile(), w.spoeConf(), w.deadline.processingTimeoutMs());
  }

  private String haproxyCfg() {
    Text t = new Text();
    t.line("# HAProxy configuration for the SPOA agent at " + agentAddress() + ", for " + options.dialect().versions + ".")
        .line("# Written by \"java -jar spoa-agent.jar haproxy-config\" from the agent's config and the messages its")
        .line("# handlers declare: write it again rather than edit it (--haproxy " + (options.dialect() == Dialect.TCP ? "3.x" : "2.6")
            + " for " + (options.dialect() == Dialect.TCP ? Dialect.SPOP.versions : Dialect.TCP.versions) + ").")
        .line("#")
        .line("#   haproxy -f haproxy.cfg       # HTTP on " + options.bind() + "; the SPOE config is " + options.spoeFile())
        .line("#")
        .line("# The agent's variables (option var-prefix " + options.varPrefix() + "):");
    for (MessageSpec s : specs) {
      for (MessageSpec.Var v : vars(s)) {
        t.line("#   " + v.haproxyName(options.varPrefix()) + " (" + (v.type() == null ? "unset" : v.type()) + "), by " + s.name());
      }
    }
    t.line("# Without an answer (agent down or too slow) they stay unset: write rules that then let requests")
        .line("# pass, as these do.")
        .line("")
        .line("global")
        .line("    # relative paths (the SPOE config) are relative to this file's directory")
        .line("    default-path config")
        .line("    log stdout format raw local0 info")
        .line("")
        .line("defaults")
        .line("    mode http")
        .line("    log global")
        .line("    option httplog")
        .line("    timeout connect 5s")
        .line("    timeout client 30s")
        .line("    timeout server 30s")
        .line("")
        .line("frontend www")
        .line("    bind " + options.bind())
        .line("    filter spoe engine " + options.engine() + " config " + options.spoeFile());
    exampleRules(t);
    t.line("    default_backend demo")
        .line("")
        .line("# stands in for your servers")
        .line("backend demo")
        .line("    http-request return status 200 content-type text/plain string \"hello from behind the agent\"")
        .line("");
    for (MessageSpec.Var v : chosenBackends()) {
      for (String value : v.backends()) {
        t.line("# chosen when " + v.haproxyName(options.varPrefix()) + " is " + value + "; stands in for your servers too")
            .line("backend be_" + value)
            .line("    http-request return status 200 content-type text/plain string \"" + v.name() + " " + value + "\"")
            .line("");
      }
    }
    t
        .line("# the agent: " + (options.dialect() == Dialect.TCP ? "SPOP over a plain TCP backend"
            : "SPOE over the spop multiplexer (HAProxy 3.1+)"))
        .line("backend " + AGENT_BACKEND)
        .line("    mode " + (options.dialect() == Dialect.TCP ? "tcp" : "spop"))
        .line("    balance roundrobin")
        .line("    option spop-check");
    if (options.dialect() == Dialect.TCP) {
      t.line("    # longer than the SPOE \"timeout idle\", so HAProxy (not this timeout) closes idle connections");
    }
    t.line("    timeout server 3m");
    if (config.listener().tls() != null) {
      t.line("    # the agent's listener has TLS (listener.tls): \"verify none\" accepts any certificate;")
          .line("    # use \"verify required ca-file <its CA>\" outside a test");
    }
    return t.line("    server agent1 " + agentAddress() + " check inter 5s" + (config.listener().tls() != null ? " ssl verify none" : ""))
        .toString();
  }

  /** Rules only where the declarations ask for them (MessageSpec.Builder#denies, #responseHeader). */
  private void exampleRules(Text t) {
    List<String> deny = new ArrayList<>();
    List<String> headers = new ArrayList<>();
    for (MessageSpec s : specs) {
      for (MessageSpec.Var v : s.sets()) {
        String var = v.haproxyName(options.varPrefix());
        if (v.denyStatus() != 0) {
          deny.add("    http-request deny deny_status " + v.denyStatus() + " if { var(" + var + ") -m bool }");
        }
        if (v.responseHeader() != null) {
          headers.add("    http-after-response set-header " + v.responseHeader() + " %[var(" + var + ")] if { var(" + var
              + ") -m found }");
        }
      }
    }
    if (!deny.isEmpty()) {
      t.line("    # the messages are sent on their events, before these rules run");
      deny.forEach(t::line);
    }
    if (!headers.isEmpty()) {
      t.line("    # http-after-response also decorates HAProxy's own responses" + (deny.isEmpty() ? "" : " (a deny above)"));
      headers.forEach(t::line);
    }
    for (MessageSpec.Var v : chosenBackends()) {
      String var = v.haproxyName(options.varPrefix());
      t.line("    # one rule per value: \"use_backend be_%[var(" + var + ")]\" works too, but explicit rules")
          .line("    # let \"haproxy -c\" check that every backend exists; unset (no answer): default_backend");
      for (String value : v.backends()) {
        t.line("    use_backend be_" + value + " if { var(" + var + ") -m str " + value + " }");
      }
    }
  }

  /** The variables whose values name backends (MessageSpec.Builder#choosesBackend). */
  private List<MessageSpec.Var> chosenBackends() {
    List<MessageSpec.Var> all = new ArrayList<>();
    for (MessageSpec s : specs) {
      s.sets().stream().filter(v -> !v.backends().isEmpty()).forEach(all::add);
    }
    return all;
  }

  private String spoeConf() {
    Text t = new Text();
    t.line("# SPOE configuration of haproxy.cfg (\"filter spoe engine " + options.engine() + "\"), for "
            + options.dialect().versions + ".")
        .line("# Written by \"java -jar spoa-agent.jar haproxy-config\" from the messages the agent's handlers declare.")
        .line("[" + options.engine() + "]")
        .line("spoe-agent " + options.engine() + "-agent")
        .line("    messages " + specs.stream().map(MessageSpec::name).collect(Collectors.joining(" ")))
        .line("    # a handler's variable \"x\" in scope txn is txn." + options.varPrefix() + ".x here")
        .line("    option var-prefix " + options.varPrefix())
        .line("    # txn." + options.varPrefix() + ".error is set when the agent fails or is too slow; the request then goes on")
        .line("    option set-on-error error");
    if (!varNames().isEmpty()) {
      t.line("    # HAProxy sets only the variables it knows: those the handlers declare")
          .line("    register-var-names " + String.join(" ", varNames()));
    }
    t.line("    # above the agent's longest message deadline (" + deadline.key() + ", " + deadline.ms()
            + " ms), so the agent answers first")
        .line("    timeout processing " + duration(deadline.processingTimeoutMs()));
    if (options.dialect() == Dialect.TCP) {
      t.line("    # HAProxy 2.6 needs these two; 3.1+ ignores them")
          .line("    timeout hello 2s")
          .line("    timeout idle 2m");
    }
    t.line("    use-backend " + AGENT_BACKEND);
    for (MessageSpec s : specs) {
      t.line("")
          .line("# " + describe(s))
          .line("spoe-message " + s.name());
      if (!s.args().isEmpty()) {
        t.line("    args " + s.args().stream().map(a -> a.name() + "=" + a.sample()).collect(Collectors.joining(" ")));
      }
      t.line("    event " + s.event().haproxyName() + (s.condition() == null ? "" : " " + s.condition()));
    }
    return t.toString();
  }

  /** {@code check-client-ip: ip (IPV4|IPV6), ua (STRING, optional); sets txn.spoa.score (INT32)}. */
  private String describe(MessageSpec s) {
    StringBuilder sb = new StringBuilder(s.name()).append(':');
    List<String> args = new ArrayList<>();
    for (MessageSpec.Arg a : s.args()) {
      String types = a.types().isEmpty() ? "any type" : a.types().stream().map(DataType::name).collect(Collectors.joining("|"));
      args.add(a.name() + " (" + types + (a.required() ? "" : ", optional") + ")");
    }
    sb.append(args.isEmpty() ? " no arguments" : " " + String.join(", ", args));
    if (!s.sets().isEmpty()) {
      sb.append("; sets ").append(s.sets().stream().map(v -> v.haproxyName(options.varPrefix()) + " (" + v.type() + ")")
          .collect(Collectors.joining(", ")));
    }
    if (!s.unsets().isEmpty()) {
      sb.append("; unsets ").append(s.unsets().stream().map(v -> v.haproxyName(options.varPrefix()))
          .collect(Collectors.joining(", ")));
    }
    return sb.toString();
  }

  private Set<String> varNames() {
    Set<String> names = new LinkedHashSet<>();
    for (MessageSpec s : specs) {
      vars(s).forEach(v -> names.add(v.name()));
    }
    return names;
  }

  private static List<MessageSpec.Var> vars(MessageSpec s) {
    List<MessageSpec.Var> all = new ArrayList<>(s.sets());
    for (MessageSpec.Var u : s.unsets()) {
      if (s.sets().stream().noneMatch(v -> v.scope() == u.scope() && v.name().equals(u.name()))) {
        all.add(u);
      }
    }
    return all;
  }

  /** The listener's address as HAProxy reaches it: a wildcard address becomes loopback. */
  private String agentAddress() {
    String host = config.listener().host();
    host = host.equals("0.0.0.0") ? "127.0.0.1" : host.equals("::") || host.equals("[::]") ? "::1" : host;
    return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + config.listener().port();
  }

  /** {@code 1500ms}, {@code 2s}: HAProxy's time format. */
  static String duration(long ms) {
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  /**
   * The longest message deadline of the config and the key that sets it, and HAProxy's
   * {@code timeout processing} above it: the deadline plus half of it, at least 250 ms more,
   * rounded up to 100 ms. The agent answers a message at its deadline at the latest, with or
   * without the handler's actions; the margin covers the ACK's way back.
   */
  record Deadline(String key, long ms) {

    static Deadline longest(AgentConfig config) {
      Deadline longest = new Deadline("dispatch.deadlineMs", config.dispatch().deadlineMs());
      for (Map.Entry<String, RouteOptions> e : new TreeMap<>(config.dispatch().routes()).entrySet()) {
        Long ms = e.getValue().deadlineMs();
        if (ms != null && ms > longest.ms()) {
          longest = new Deadline("dispatch.routes." + e.getKey() + ".deadlineMs", ms);
        }
      }
      return longest;
    }

    long processingTimeoutMs() {
      long t = ms + Math.max(250, ms / 2);
      return (t + 99) / 100 * 100;
    }
  }

  /** Lines ending with '\n'. */
  private static final class Text {
    private final StringBuilder sb = new StringBuilder();

    Text line(String s) {
      sb.append(s).append('\n');
      return this;
    }

    @Override
    public String toString() {
      return sb.toString();
    }
  }
}
