package io.spoavertx.testing.haproxy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An immutable description of a test HAProxy: one HTTP frontend on 127.0.0.1 with an optional SPOE
 * filter, its rules, a built-in default response (no real backend needed) and the agent backend.
 * {@link #render} turns it into {@code haproxy.cfg} and {@code spoe.conf} text for a given HAProxy
 * version (2.6 and 3.1+ dialects differ).
 *
 * <pre>{@code
 * HaproxyConfig config = HaproxyConfig.builder()
 *     .agent("127.0.0.1", agentPort)
 *     .message(SpoeMessageSection.onRequest("check", "ip=src", "path=path"))
 *     .httpRequest("deny deny_status 403 if { var(txn.spoa.deny) -m bool }")
 *     .exposeVar("txn.spoa.score", "X-Score")
 *     .build();
 * }</pre>
 *
 * <p>Variables the SPOE itself sets: {@code txn.<prefix>.error} ({@code option set-on-error}) and
 * {@code txn.<prefix>.process_time} ({@code option set-process-time}).
 */
public final class HaproxyConfig {

  /** Name of the agent backend in the rendered haproxy.cfg. */
  public static final String AGENT_BACKEND = "agents";
  /** Name of the HTTP frontend in the rendered haproxy.cfg. */
  public static final String FRONTEND = "fe";
  /** Name of the {@code spoe-agent} section in the rendered spoe.conf. */
  public static final String SPOE_AGENT = "agent";

  static final String DEFAULT_BACKEND = "default_response";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");
  private static final Pattern VAR =
      Pattern.compile("(proc|sess|txn|req|res)\\.[A-Za-z0-9_.]+");
  private static final Pattern HEADER = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");

  /** An agent server line of the agent backend. */
  record AgentServer(String name, String host, int port) {}

  /** A named backend answering with a fixed response, selected by {@code use_backend}. */
  record Route(String backend, String condition, int status, String body) {}

  /** A {@code spoe-group}. */
  record Group(String name, List<String> messages) {}

  /** The rendered files. */
  public record Rendered(String haproxyCfg, String spoeConf) {
    /** {@return true if the configuration uses SPOE (a spoe.conf must be written)} */
    public boolean hasSpoe() {
      return spoeConf != null;
    }
  }

  private final List<AgentServer> agents;
  private final boolean agentHealthCheck;
  private final boolean agentTls;
  private final String engine;
  private final String varPrefix;
  private final List<SpoeMessageSection> messages;
  private final List<Group> groups;
  private final List<String> registerVarNames;
  private final Duration processingTimeout;
  private final Duration helloTimeout;
  private final Duration idleTimeout;
  private final Integer maxConnRate;
  private final Integer maxWaitingFrames;
  private final List<String> agentLines;
  private final List<String> httpRequestRules;
  private final List<String> httpAfterResponseRules;
  private final List<String> frontendLines;
  private final List<Route> routes;
  private final int defaultStatus;
  private final String defaultBody;
  private final int nbthread;
  private final int frontendPort;
  private final Duration startTimeout;

  private HaproxyConfig(Builder b) {
    agents = List.copyOf(b.agents);
    agentHealthCheck = b.agentHealthCheck;
    agentTls = b.agentTls;
    engine = b.engine;
    varPrefix = b.varPrefix;
    messages = List.copyOf(b.messages);
    groups = List.copyOf(b.groups);
    registerVarNames = List.copyOf(b.registerVarNames);
    processingTimeout = b.processingTimeout;
    helloTimeout = b.helloTimeout;
    idleTimeout = b.idleTimeout;
    maxConnRate = b.maxConnRate;
    maxWaitingFrames = b.maxWaitingFrames;
    agentLines = List.copyOf(b.agentLines);
    List<String> rules = new ArrayList<>();
    for (String r : b.httpRequestRules) {
      // send-spoe-group rules were recorded with a placeholder: the engine is known only now
      rules.add(r.startsWith(GroupRule.MARK)
          ? "send-spoe-group " + b.engine + " " + r.substring(GroupRule.MARK.length())
          : r);
    }
    httpRequestRules = List.copyOf(rules);
    httpAfterResponseRules = List.copyOf(b.httpAfterResponseRules);
    frontendLines = List.copyOf(b.frontendLines);
    routes = List.copyOf(b.routes);
    defaultStatus = b.defaultStatus;
    defaultBody = b.defaultBody;
    nbthread = b.nbthread;
    frontendPort = b.frontendPort;
    startTimeout = b.startTimeout;
  }

  /** {@return a new builder with defaults: engine and var-prefix {@code spoa}, nbthread 1, answer 200 "ok"} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the fixed frontend port, or 0 if the harness picks a free one at start} */
  public int frontendPort() {
    return frontendPort;
  }

  /** {@return how long {@link HaproxyProcess#start} waits for the frontend port to accept connections} */
  public Duration startTimeout() {
    return startTimeout;
  }

  /** {@return the SPOE engine name ({@code filter spoe engine <name>})} */
  public String engine() {
    return engine;
  }

  /** {@return the agent's variable prefix: the agent's {@code score} in scope txn is {@code txn.<prefix>.score}} */
  public String varPrefix() {
    return varPrefix;
  }

  /** {@return the agent server names, in order} */
  public List<String> agentServerNames() {
    List<String> names = new ArrayList<>();
    for (AgentServer s : agents) {
      names.add(s.name());
    }
    return List.copyOf(names);
  }

  /** {@return true if the frontend has a SPOE filter (at least one message or group)} */
  public boolean hasSpoe() {
    return !messages.isEmpty() || !groups.isEmpty();
  }

  /**
   * Renders haproxy.cfg and spoe.conf.
   *
   * @param version the HAProxy version whose dialect to write
   * @param port the frontend port to bind on 127.0.0.1
   * @param workDir the directory that will hold spoe.conf and the stats socket {@code admin.sock}
   * @return the file contents
   */
  public Rendered render(HaproxyVersion version, int port, Path workDir) {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(workDir, "workDir");
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    boolean mux = version.isSpopMux();
    Path spoeConf = workDir.resolve("spoe.conf");
    Path socket = workDir.resolve("admin.sock");

    StringBuilder c = new StringBuilder();
    c.append("# generated by spoa-vertx-test-fixtures for HAProxy ").append(version).append('\n');
    c.append("global\n");
    c.append("    nbthread ").append(nbthread).append('\n');
    c.append("    maxconn 1024\n");
    c.append("    log stdout format raw local0 info\n");
    c.append("    stats socket ").append(socket).append(" mode 600 level admin\n");
    c.append("    stats timeout 10s\n");
    c.append('\n');
    c.append("defaults\n");
    c.append("    mode http\n");
    c.append("    log global\n");
    c.append("    option dontlognull\n");
    c.append("    timeout connect 5s\n");
    c.append("    timeout client 30s\n");
    c.append("    timeout server 30s\n");
    c.append("    timeout check 5s\n");
    c.append('\n');
    c.append("frontend ").append(FRONTEND).append('\n');
    c.append("    bind 127.0.0.1:").append(port).append('\n');
    c.append("    option httplog\n");
    if (hasSpoe()) {
      c.append("    filter spoe engine ").append(engine).append(" config ").append(spoeConf).append('\n');
    }
    for (String line : frontendLines) {
      c.append("    ").append(line).append('\n');
    }
    for (String rule : httpRequestRules) {
      c.append("    http-request ").append(rule).append('\n');
    }
    String defaultReturn = "return status " + defaultStatus + " content-type text/plain string "
        + quote(defaultBody);
    if (routes.isEmpty()) {
      c.append("    http-request ").append(defaultReturn).append('\n');
    } else {
      for (Route r : routes) {
        c.append("    use_backend ").append(r.backend()).append(" if ").append(r.condition()).append('\n');
      }
      c.append("    default_backend ").append(DEFAULT_BACKEND).append('\n');
    }
    for (String rule : httpAfterResponseRules) {
      c.append("    http-after-response ").append(rule).append('\n');
    }
    if (!routes.isEmpty()) {
      for (Route r : routes) {
        c.append('\n').append("backend ").append(r.backend()).append('\n');
        c.append("    http-request return status ").append(r.status())
            .append(" content-type text/plain string ").append(quote(r.body())).append('\n');
      }
      c.append('\n').append("backend ").append(DEFAULT_BACKEND).append('\n');
      c.append("    http-request ").append(defaultReturn).append('\n');
    }
    if (!agents.isEmpty()) {
      c.append('\n').append("backend ").append(AGENT_BACKEND).append('\n');
      c.append("    mode ").append(mux ? "spop" : "tcp").append('\n');
      c.append("    balance roundrobin\n");
      if (agentHealthCheck) {
        c.append("    option spop-check\n");
      }
      for (AgentServer s : agents) {
        c.append("    server ").append(s.name()).append(' ').append(hostPort(s));
        if (agentHealthCheck) {
          c.append(" check inter 500ms downinter 200ms rise 1 fall 2");
        }
        if (agentTls) {
          c.append(" ssl verify none");
        }
        c.append('\n');
      }
    }
    return new Rendered(c.toString(), hasSpoe() ? renderSpoe(mux) : null);
  }

  private String renderSpoe(boolean mux) {
    StringBuilder s = new StringBuilder();
    s.append("[").append(engine).append("]\n");
    s.append("spoe-agent ").append(SPOE_AGENT).append('\n');
    s.append("    log global\n");
    List<String> evented = new ArrayList<>();
    for (SpoeMessageSection m : messages) {
      if (m.event() != null) {
        evented.add(m.name());
      }
    }
    if (!evented.isEmpty()) {
      s.append("    messages ").append(String.join(" ", evented)).append('\n');
    }
    if (!groups.isEmpty()) {
      s.append("    groups");
      for (Group g : groups) {
        s.append(' ').append(g.name());
      }
      s.append('\n');
    }
    s.append("    option var-prefix ").append(varPrefix).append('\n');
    s.append("    option set-on-error error\n");
    s.append("    option set-process-time process_time\n");
    if (registerVarNames.isEmpty()) {
      s.append("    option force-set-var\n");
    } else {
      s.append("    register-var-names ").append(String.join(" ", registerVarNames)).append('\n');
    }
    s.append("    timeout processing ").append(millis(processingTimeout)).append('\n');
    if (!mux) {
      s.append("    timeout hello ").append(millis(helloTimeout)).append('\n');
      s.append("    timeout idle ").append(millis(idleTimeout)).append('\n');
      if (maxConnRate != null) {
        s.append("    maxconnrate ").append(maxConnRate).append('\n');
      }
      if (maxWaitingFrames != null) {
        s.append("    max-waiting-frames ").append(maxWaitingFrames).append('\n');
      }
    }
    for (String line : agentLines) {
      s.append("    ").append(line).append('\n');
    }
    s.append("    use-backend ").append(AGENT_BACKEND).append('\n');
    for (SpoeMessageSection m : messages) {
      s.append('\n').append("spoe-message ").append(m.name()).append('\n');
      if (!m.args().isEmpty()) {
        s.append("    args ").append(String.join(" ", m.args())).append('\n');
      }
      if (m.event() != null) {
        s.append("    event ").append(m.event());
        if (m.condition() != null) {
          s.append(" if ").append(m.condition());
        }
        s.append('\n');
      }
    }
    for (Group g : groups) {
      s.append('\n').append("spoe-group ").append(g.name()).append('\n');
      s.append("    messages ").append(String.join(" ", g.messages())).append('\n');
    }
    return s.toString();
  }

  private static String hostPort(AgentServer s) {
    return (s.host().indexOf(':') >= 0 ? "[" + s.host() + "]" : s.host()) + ":" + s.port();
  }

  private static String millis(Duration d) {
    return d.toMillis() + "ms";
  }

  /** Double-quotes a string for haproxy.cfg, escaping backslash, quote and dollar. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      if (ch == '\\' || ch == '"' || ch == '$') {
        b.append('\\');
      }
      b.append(ch);
    }
    return b.append('"').toString();
  }

  static String checkName(String what, String value) {
    Objects.requireNonNull(value, what);
    if (!NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " must match [A-Za-z0-9_.-]+: '" + value + "'");
    }
    return value;
  }

  static String checkLine(String what, String value) {
    Objects.requireNonNull(value, what);
    if (value.isBlank() || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      throw new IllegalArgumentException(what + " must be one non-blank line: '" + value + "'");
    }
    return value.strip();
  }

  /** Builds a {@link HaproxyConfig}. Methods that add rules keep the order of the calls. */
  public static final class Builder {
    private final List<AgentServer> agents = new ArrayList<>();
    private boolean agentHealthCheck;
    private boolean agentTls;
    private String engine = "spoa";
    private String varPrefix = "spoa";
    private final List<SpoeMessageSection> messages = new ArrayList<>();
    private final List<Group> groups = new ArrayList<>();
    private final List<String> registerVarNames = new ArrayList<>();
    private Duration processingTimeout = Duration.ofSeconds(1);
    private Duration helloTimeout = Duration.ofSeconds(2);
    private Duration idleTimeout = Duration.ofSeconds(30);
    private Integer maxConnRate;
    private Integer maxWaitingFrames;
    private final List<String> agentLines = new ArrayList<>();
    private final List<String> httpRequestRules = new ArrayList<>();
    private final List<String> httpAfterResponseRules = new ArrayList<>();
    private final List<String> frontendLines = new ArrayList<>();
    private final List<Route> routes = new ArrayList<>();
    private int defaultStatus = 200;
    private String defaultBody = "ok";
    private int nbthread = 1;
    private int frontendPort;
    private Duration startTimeout = Duration.ofSeconds(10);

    private Builder() {}

    /**
     * Adds an agent server named {@code agent1}, {@code agent2}, ... in call order.
     *
     * @param host the agent's host
     * @param port the agent's port
     * @return this builder
     */
    public Builder agent(String host, int port) {
      return agent("agent" + (agents.size() + 1), host, port);
    }

    /**
     * Adds a named agent server to the {@value HaproxyConfig#AGENT_BACKEND} backend.
     *
     * @param serverName the server name, unique
     * @param host       the agent's host
     * @param port       the agent's port
     * @return this builder
     */
    public Builder agent(String serverName, String host, int port) {
      checkName("server name", serverName);
      Objects.requireNonNull(host, "host");
      if (port <= 0 || port > 65535) {
        throw new IllegalArgumentException("agent port out of range: " + port);
      }
      for (AgentServer s : agents) {
        if (s.name().equals(serverName)) {
          throw new IllegalArgumentException("duplicate agent server name: " + serverName);
        }
      }
      agents.add(new AgentServer(serverName, host, port));
      return this;
    }

    /**
     * Health-checks the agents with {@code option spop-check} (a HELLO with {@code healthcheck}
     * true), every 500 ms, 200 ms while down; needed by {@link HaproxyProcess#awaitServerUp}. Default false.
     *
     * @param enabled true to health-check the agents
     * @return this builder
     */
    public Builder agentHealthCheck(boolean enabled) {
      this.agentHealthCheck = enabled;
      return this;
    }

    /**
     * Connects to the agents over TLS without verifying their certificate ({@code ssl verify none}). Default false.
     *
     * @param enabled true for TLS
     * @return this builder
     */
    public Builder agentTls(boolean enabled) {
      this.agentTls = enabled;
      return this;
    }

    /**
     * Sets the SPOE engine name (default {@code spoa}); used by {@code send-spoe-group}.
     *
     * @param engine the engine name
     * @return this builder
     */
    public Builder engine(String engine) {
      this.engine = checkName("engine", engine);
      return this;
    }

    /**
     * Sets the agent's {@code option var-prefix} (default {@code spoa}).
     *
     * @param prefix the prefix
     * @return this builder
     */
    public Builder varPrefix(String prefix) {
      this.varPrefix = checkName("var-prefix", prefix);
      return this;
    }

    /**
     * Adds a {@code spoe-message}; messages with an event are listed in the agent's {@code messages}.
     *
     * @param message the message section, its name unique
     * @return this builder
     */
    public Builder message(SpoeMessageSection message) {
      Objects.requireNonNull(message, "message");
      for (SpoeMessageSection m : messages) {
        if (m.name().equals(message.name())) {
          throw new IllegalArgumentException("duplicate message: " + message.name());
        }
      }
      messages.add(message);
      return this;
    }

    /**
     * Adds a {@code spoe-group} of messages (declared with {@link #message}) and, at this point
     * of the rule list, the frontend rule {@code http-request send-spoe-group <engine> <group>}.
     *
     * @param name         the group name
     * @param messageNames the messages in the group, at least one
     * @return this builder
     */
    public Builder group(String name, String... messageNames) {
      return groupWhen(name, null, messageNames);
    }

    /**
     * Like {@link #group}, but the frontend sends the group only when {@code condition} holds
     * (an ACL expression such as {@code { path_beg /api }}); null means always.
     *
     * @param name         the group name
     * @param condition    the ACL condition, or null
     * @param messageNames the messages in the group, at least one
     * @return this builder
     */
    public Builder groupWhen(String name, String condition, String... messageNames) {
      checkName("group name", name);
      if (messageNames.length == 0) {
        throw new IllegalArgumentException("group " + name + " needs at least one message");
      }
      List<String> names = new ArrayList<>();
      for (String m : messageNames) {
        names.add(checkName("message name", m));
      }
      groups.add(new Group(name, List.copyOf(names)));
      httpRequestRules.add(new GroupRule(condition == null ? name : name + " if " + condition).toString());
      return this;
    }

    /**
     * Registers the agent's variable names (without scope and prefix) with
     * {@code register-var-names}. Without any, {@code option force-set-var} lets the agent set any
     * variable.
     *
     * @param names the variable names
     * @return this builder
     */
    public Builder registerVarNames(String... names) {
      for (String n : names) {
        registerVarNames.add(checkName("variable name", n));
      }
      return this;
    }

    /**
     * Sets SPOE {@code timeout processing} (default 1 s).
     *
     * @param timeout the timeout, positive
     * @return this builder
     */
    public Builder processingTimeout(Duration timeout) {
      this.processingTimeout = positive("processingTimeout", timeout);
      return this;
    }

    /**
     * Sets SPOE {@code timeout hello} (default 2 s); written for HAProxy before 3.1 only.
     *
     * @param timeout the timeout, positive
     * @return this builder
     */
    public Builder helloTimeout(Duration timeout) {
      this.helloTimeout = positive("helloTimeout", timeout);
      return this;
    }

    /**
     * Sets SPOE {@code timeout idle} (default 30 s); written for HAProxy before 3.1 only.
     *
     * @param timeout the timeout, positive
     * @return this builder
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = positive("idleTimeout", timeout);
      return this;
    }

    /**
     * Sets SPOE {@code maxconnrate}; written for HAProxy before 3.1 only (unset by default).
     *
     * @param perSecond connections per second, positive
     * @return this builder
     */
    public Builder maxConnRate(int perSecond) {
      this.maxConnRate = positive("maxConnRate", perSecond);
      return this;
    }

    /**
     * Sets SPOE {@code max-waiting-frames}; written for HAProxy before 3.1 only (unset: HAProxy's 20).
     *
     * @param frames the number of frames, positive
     * @return this builder
     */
    public Builder maxWaitingFrames(int frames) {
      this.maxWaitingFrames = positive("maxWaitingFrames", frames);
      return this;
    }

    /**
     * Adds a raw line to the {@code spoe-agent} section, e.g. {@code option continue-on-error}.
     *
     * @param line the line
     * @return this builder
     */
    public Builder agentLine(String line) {
      agentLines.add(checkLine("agent line", line));
      return this;
    }

    /**
     * Adds a frontend {@code http-request} rule (without the keyword), e.g.
     * {@code deny deny_status 403 if { var(txn.spoa.deny) -m bool }}. Rules run in call order,
     * after the SPOE {@code on-frontend-http-request} event and before the default response.
     *
     * @param rule the rule, one line
     * @return this builder
     */
    public Builder httpRequest(String rule) {
      httpRequestRules.add(checkLine("http-request rule", rule));
      return this;
    }

    /**
     * Adds a frontend {@code http-after-response} rule (without the keyword).
     *
     * @param rule the rule, one line
     * @return this builder
     */
    public Builder httpAfterResponse(String rule) {
      httpAfterResponseRules.add(checkLine("http-after-response rule", rule));
      return this;
    }

    /**
     * Copies a variable into a response header when it is set, on every response including
     * HAProxy's own ({@code deny}, {@code return}), e.g. {@code exposeVar("txn.spoa.score", "X-Score")}.
     *
     * @param variable the variable, with scope and prefix
     * @param header   the response header name
     * @return this builder
     */
    public Builder exposeVar(String variable, String header) {
      Objects.requireNonNull(variable, "variable");
      Objects.requireNonNull(header, "header");
      if (!VAR.matcher(variable).matches()) {
        throw new IllegalArgumentException("variable must look like txn.spoa.name: '" + variable + "'");
      }
      if (!HEADER.matcher(header).matches()) {
        throw new IllegalArgumentException("invalid header name: '" + header + "'");
      }
      return httpAfterResponse("set-header " + header + " %[var(" + variable + ")] if { var("
          + variable + ") -m found }");
    }

    /**
     * Adds a raw frontend line, e.g. {@code http-request capture var(txn.spoa.score) len 8}.
     *
     * @param line the line
     * @return this builder
     */
    public Builder frontendLine(String line) {
      frontendLines.add(checkLine("frontend line", line));
      return this;
    }

    /**
     * Adds a backend {@code name} answering {@code status} with a text {@code body}, chosen by
     * {@code use_backend name if condition}, e.g. {@code route("admin", "{ path_beg /admin }", 403, "admin")}.
     * With routes, the default response comes from a {@code default_backend}.
     *
     * @param backend   the backend name, unique
     * @param condition the ACL condition selecting it
     * @param status    the HTTP status, 200..599
     * @param body      the text body, one line
     * @return this builder
     */
    public Builder route(String backend, String condition, int status, String body) {
      checkName("backend", backend);
      if (backend.equals(AGENT_BACKEND) || backend.equals(DEFAULT_BACKEND) || backend.equals(FRONTEND)) {
        throw new IllegalArgumentException("reserved backend name: " + backend);
      }
      for (Route r : routes) {
        if (r.backend().equals(backend)) {
          throw new IllegalArgumentException("duplicate route backend: " + backend);
        }
      }
      routes.add(new Route(backend, checkLine("condition", condition), status(status), body(body)));
      return this;
    }

    /**
     * Sets the response to requests no rule answered (default 200 "ok", text/plain).
     *
     * @param status the HTTP status, 200..599
     * @param body   the text body, one line
     * @return this builder
     */
    public Builder defaultResponse(int status, String body) {
      this.defaultStatus = status(status);
      this.defaultBody = body(body);
      return this;
    }

    /**
     * Sets the global {@code nbthread} (default 1).
     *
     * @param threads the number of threads, positive
     * @return this builder
     */
    public Builder nbthread(int threads) {
      this.nbthread = positive("nbthread", threads);
      return this;
    }

    /**
     * Sets a fixed frontend port; by default (0) a free port is picked at start.
     *
     * @param port the port, 0..65535
     * @return this builder
     */
    public Builder frontendPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.frontendPort = port;
      return this;
    }

    /**
     * Sets how long to wait for the frontend to accept connections at start (default 10 s).
     *
     * @param timeout the timeout, positive
     * @return this builder
     */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = positive("startTimeout", timeout);
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the configuration
     * @throws IllegalArgumentException if messages or groups are declared without an agent, or a
     *     group names an undeclared message
     */
    public HaproxyConfig build() {
      if ((!messages.isEmpty() || !groups.isEmpty()) && agents.isEmpty()) {
        throw new IllegalArgumentException("SPOE messages/groups need at least one agent(host, port)");
      }
      Set<String> declared = new LinkedHashSet<>();
      for (SpoeMessageSection m : messages) {
        declared.add(m.name());
      }
      for (Group g : groups) {
        for (String m : g.messages()) {
          if (!declared.contains(m)) {
            throw new IllegalArgumentException("group " + g.name() + " names undeclared message " + m);
          }
        }
      }
      return new HaproxyConfig(this);
    }

    private static Duration positive(String what, Duration d) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }

    private static int positive(String what, int v) {
      if (v <= 0) {
        throw new IllegalArgumentException(what + " must be positive: " + v);
      }
      return v;
    }

    private static int status(int status) {
      if (status < 200 || status > 599) {
        throw new IllegalArgumentException("status must be 200..599: " + status);
      }
      return status;
    }

    private static String body(String body) {
      Objects.requireNonNull(body, "body");
      if (body.indexOf('\n') >= 0 || body.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("body must be one line: '" + body + "'");
      }
      return body;
    }
  }

  /** Placeholder for a send-spoe-group rule whose engine is known only at build(). */
  private record GroupRule(String group) {
    static final String MARK = "\u0000group:";

    @Override
    public String toString() {
      return MARK + group;
    }
  }
}
