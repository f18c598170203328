package io.spoavertx.testing.haproxy;

import static io.spoavertx.testing.haproxy.ConfigChecks.body;
import static io.spoavertx.testing.haproxy.ConfigChecks.checkHeader;
import static io.spoavertx.testing.haproxy.ConfigChecks.checkLine;
import static io.spoavertx.testing.haproxy.ConfigChecks.checkName;
import static io.spoavertx.testing.haproxy.ConfigChecks.checkVariable;
import static io.spoavertx.testing.haproxy.ConfigChecks.positive;
import static io.spoavertx.testing.haproxy.ConfigChecks.status;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

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

  // package-private: ConfigRenderer writes them out
  final List<AgentServer> agents;
  final boolean agentHealthCheck;
  final boolean agentTls;
  final String engine;
  final String varPrefix;
  final List<SpoeMessageSection> messages;
  final List<Group> groups;
  final List<String> registerVarNames;
  final Duration processingTimeout;
  final Duration helloTimeout;
  final Duration idleTimeout;
  final Integer maxConnRate;
  final Integer maxWaitingFrames;
  final List<String> agentLines;
  final List<String> httpRequestRules;
  final List<String> httpAfterResponseRules;
  final List<String> frontendLines;
  final List<Route> routes;
  final int defaultStatus;
  final String defaultBody;
  final int nbthread;
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
    // send-spoe-group rules name the engine, known only now
    httpRequestRules = b.httpRequestRules.stream().map(rule -> rule.apply(b.engine)).toList();
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
    return agents.stream().map(AgentServer::name).toList();
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
    return new ConfigRenderer(this).render(version, port, workDir);
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
    private final List<Function<String, String>> httpRequestRules = new ArrayList<>(); // engine -> rule
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
      String rule = condition == null ? name : name + " if " + condition;
      httpRequestRules.add(engineName -> "send-spoe-group " + engineName + " " + rule);
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
      String line = checkLine("http-request rule", rule);
      httpRequestRules.add(engineName -> line);
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
      checkVariable(variable);
      checkHeader(header);
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
  }
}
