package io.spoavertx.handler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a handler expects from HAProxy and gives back: the {@code spoe-message} it answers (name,
 * arguments with their HAProxy sample expressions, the event that sends it, an optional condition)
 * and the variables it sets or unsets. Immutable; checked when built.
 *
 * <pre>{@code
 * MessageSpec spec = MessageSpec.builder("check-client-ip")
 *     .arg("ip", "src", DataType.IPV4, DataType.IPV6)     // required, HAProxy sends src as IPV4/IPV6
 *     .optionalArg("ua", "req.hdr(user-agent)", DataType.STRING)
 *     .event(SpoeEvent.ON_FRONTEND_HTTP_REQUEST)           // the default
 *     .sets(Scope.TXN, "score", DataType.INT32)
 *     .sets(Scope.TXN, "deny", DataType.BOOL)
 *     .build();
 * SpoeHandlers.register(vertx, spec, handler);             // at spoa.message.check-client-ip
 * }</pre>
 *
 * The agent keeps the declarations of its handlers ({@code SpoeHandlers.declaredMessages},
 * {@code SpoaAgent.declaredMessages}); {@code java -jar spoa-agent.jar haproxy-config} writes the
 * HAProxy side from them, so the {@code spoe-message} sections and the handlers cannot drift apart.
 *
 * <p>Three hints only shape the example rules {@code haproxy-config} writes into haproxy.cfg; the
 * agent does not use them: {@link Builder#responseHeader} (copy a variable into a response header),
 * {@link Builder#denies} (deny the request when a BOOL variable is true) and
 * {@link Builder#choosesBackend} (a STRING variable whose values name backends).
 */
public final class MessageSpec {

  /** Characters HAProxy accepts in section names such as {@code spoe-message <name>}. */
  private static final Pattern SECTION_NAME = Pattern.compile("[A-Za-z0-9._:-]+");
  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9-]+");

  private final String name;
  private final List<Arg> args;
  private final SpoeEvent event;
  private final String condition;
  private final List<Var> sets;
  private final List<Var> unsets;

  private MessageSpec(String name, List<Arg> args, SpoeEvent event, String condition, List<Var> sets, List<Var> unsets) {
    this.name = name;
    this.args = List.copyOf(args);
    this.event = event;
    this.condition = condition;
    this.sets = List.copyOf(sets);
    this.unsets = List.copyOf(unsets);
  }

  /**
   * Starts the declaration of the message {@code name}.
   *
   * @param name the message name, as in {@code spoe-message <name>}: letters, digits, '.', '_', ':' and '-'
   * @return a builder
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * The message name ({@code spoe-message <name>}); the default event-bus address of its handler
   * is {@code spoa.message.<name>}.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The arguments in the order HAProxy sends them ({@code args name=sample ...}).
   *
   * @return the arguments, unmodifiable
   */
  public List<Arg> args() {
    return args;
  }

  /**
   * The argument named {@code argName}.
   *
   * @param argName an argument name
   * @return the argument, or null if this message declares none of that name
   */
  public Arg arg(String argName) {
    for (Arg a : args) {
      if (a.name().equals(argName)) {
        return a;
      }
    }
    return null;
  }

  /**
   * The event that sends the message.
   *
   * @return the event ({@link SpoeEvent#ON_FRONTEND_HTTP_REQUEST} unless the builder set another)
   */
  public SpoeEvent event() {
    return event;
  }

  /**
   * The condition of the {@code event} line, keyword included, e.g. {@code if { req.hdr(x-user) -m found }}.
   *
   * @return the condition, or null when the message is sent on every occurrence of its event
   */
  public String condition() {
    return condition;
  }

  /**
   * The variables the handler sets, in declaration order.
   *
   * @return the variables, unmodifiable
   */
  public List<Var> sets() {
    return sets;
  }

  /**
   * The variables the handler unsets, in declaration order.
   *
   * @return the variables (their {@link Var#type()} is null), unmodifiable
   */
  public List<Var> unsets() {
    return unsets;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MessageSpec m && name.equals(m.name) && args.equals(m.args) && event == m.event
        && Objects.equals(condition, m.condition) && sets.equals(m.sets) && unsets.equals(m.unsets);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, args, event, condition, sets, unsets);
  }

  /** The declaration in HAProxy's words, e.g. {@code spoe-message check-client-ip args ip=src event on-frontend-http-request sets txn.score:INT32}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("spoe-message ").append(name).append(" args");
    for (Arg a : args) {
      sb.append(' ').append(a.name()).append('=').append(a.sample());
    }
    sb.append(" event ").append(event.haproxyName());
    if (condition != null) {
      sb.append(' ').append(condition);
    }
    for (Var v : sets) {
      sb.append(" sets ").append(v.scope().name().toLowerCase()).append('.').append(v.name()).append(':').append(v.type());
    }
    for (Var v : unsets) {
      sb.append(" unsets ").append(v.scope().name().toLowerCase()).append('.').append(v.name());
    }
    return sb.toString();
  }

  /**
   * One argument of the message: {@code name=sample} in HAProxy's {@code args} line.
   *
   * @param name the argument name the handler reads ({@code msg.getString("ua")}); no '=' and no spaces
   * @param sample the HAProxy sample expression that gives its value, e.g. {@code src} or
   *     {@code req.hdr(user-agent)}; no spaces (HAProxy splits {@code args} at spaces)
   * @param required whether the handler needs it: a message without it does not match the HAProxy
   *     config. HAProxy sends NULL for a sample that is not available at runtime (no such header),
   *     which is not a missing argument.
   * @param types the SPOP types the handler accepts for a value that is not NULL; empty: any type
   */
  public record Arg(String name, String sample, boolean required, Set<DataType> types) {

    /**
     * Checks the argument and copies {@code types}.
     *
     * @param name the argument name
     * @param sample the HAProxy sample expression
     * @param required whether the handler needs it
     * @param types the SPOP types the handler accepts; empty: any
     * @throws IllegalArgumentException naming what is wrong
     */
    public Arg {
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException("argument name must not be empty");
      }
      if (name.indexOf('=') >= 0 || hasSpaceOrComment(name)) {
        throw new IllegalArgumentException("argument name '" + name + "' must not contain '=', '#' or spaces");
      }
      if (sample == null || sample.isBlank()) {
        throw new IllegalArgumentException("argument '" + name + "': the sample expression must not be empty");
      }
      if (hasSpaceOrComment(sample)) {
        throw new IllegalArgumentException("argument '" + name + "': sample expression '" + sample
            + "' must not contain spaces or '#' (HAProxy splits args at spaces)");
      }
      Objects.requireNonNull(types, "types");
      if (types.contains(DataType.NULL)) {
        throw new IllegalArgumentException("argument '" + name + "': NULL is not a type to expect (it is a missing sample)");
      }
      types = types.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(types));
    }
  }

  /**
   * A variable the handler sets or unsets. In HAProxy it is {@code <scope>.<var-prefix>.<name>}.
   *
   * @param scope its scope
   * @param name its name as the handler writes it (letters, digits, '.' and '_', at most
   *     {@link Actions#MAX_VAR_NAME_LENGTH} characters)
   * @param type the SPOP type the handler sets; null for a variable it only unsets
   * @param responseHeader hint for {@code haproxy-config}'s example rules: the response header to
   *     copy the variable into, or null
   * @param denyStatus hint for {@code haproxy-config}'s example rules: the status HAProxy denies the
   *     request with when this BOOL variable is true, or 0
   * @param backends hint for {@code haproxy-config}'s example rules: the values of this STRING
   *     variable that each select a backend {@code be_<value>} ({@code use_backend}); empty for none
   */
  public record Var(Scope scope, String name, DataType type, String responseHeader, int denyStatus, List<String> backends) {

    /**
     * A variable without hints.
     *
     * @param scope its scope
     * @param name its name as the handler writes it
     * @param type the SPOP type the handler sets; null for a variable it only unsets
     */
    public Var(Scope scope, String name, DataType type) {
      this(scope, name, type, null, 0, List.of());
    }

    /**
     * Checks the variable and copies {@code backends}.
     *
     * @param scope its scope
     * @param name its name as the handler writes it
     * @param type the SPOP type the handler sets; null for a variable it only unsets
     * @param responseHeader the response header hint, or null
     * @param denyStatus the deny status hint, or 0
     * @param backends the backend values hint, or empty
     * @throws IllegalArgumentException naming what is wrong
     */
    public Var {
      Objects.requireNonNull(scope, "scope");
      Actions.checkName(name);
      if (type == DataType.NULL) {
        throw new IllegalArgumentException("variable '" + name + "': NULL is not a type a variable can be set to");
      }
      if (responseHeader != null && !HEADER_NAME.matcher(responseHeader).matches()) {
        throw new IllegalArgumentException("variable '" + name + "': response header '" + responseHeader
            + "' must be letters, digits and '-'");
      }
      if (denyStatus != 0 && (denyStatus < 400 || denyStatus > 599)) {
        throw new IllegalArgumentException("variable '" + name + "': deny status " + denyStatus + " is not 400-599");
      }
      if (denyStatus != 0 && type != DataType.BOOL) {
        throw new IllegalArgumentException("variable '" + name + "': only a BOOL variable can deny, it is " + type);
      }
      backends = List.copyOf(Objects.requireNonNull(backends, "backends"));
      for (String value : backends) {
        if (!SECTION_NAME.matcher(value).matches()) {
          throw new IllegalArgumentException("variable '" + name + "': backend value '" + value
              + "' must be letters, digits, '.', '_', ':' and '-'");
        }
      }
      if (!backends.isEmpty() && type != DataType.STRING) {
        throw new IllegalArgumentException("variable '" + name + "': only a STRING variable can choose a backend, it is " + type);
      }
    }

    /**
     * The variable's name in HAProxy, e.g. {@code txn.spoa.score}.
     *
     * @param varPrefix the SPOE agent's {@code option var-prefix}
     * @return {@code <scope>.<varPrefix>.<name>}
     */
    public String haproxyName(String varPrefix) {
      return scope.name().toLowerCase() + "." + varPrefix + "." + name;
    }
  }

  private static boolean hasSpaceOrComment(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i)) || s.charAt(i) == '#') {
        return true;
      }
    }
    return false;
  }

  /** Builds a {@link MessageSpec}; {@link #build()} checks the whole and says what is wrong. */
  public static final class Builder {
    private final String name;
    private final List<Arg> args = new ArrayList<>();
    private SpoeEvent event = SpoeEvent.ON_FRONTEND_HTTP_REQUEST;
    private String condition;
    private final Map<String, Var> sets = new LinkedHashMap<>();
    private final Map<String, Var> unsets = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, Integer> denies = new LinkedHashMap<>();
    private final Map<String, List<String>> backends = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    /**
     * A required argument.
     *
     * @param argName its name, as the handler reads it
     * @param sample the HAProxy sample expression, e.g. {@code src}
     * @param types the SPOP types the handler accepts (none: any)
     * @return this builder
     */
    public Builder arg(String argName, String sample, DataType... types) {
      return add(argName, sample, true, types);
    }

    /**
     * An argument the handler does without, e.g. a cost that defaults to 1.
     *
     * @param argName its name, as the handler reads it
     * @param sample the HAProxy sample expression, e.g. {@code int(1)}
     * @param types the SPOP types the handler accepts (none: any)
     * @return this builder
     */
    public Builder optionalArg(String argName, String sample, DataType... types) {
      return add(argName, sample, false, types);
    }

    private Builder add(String argName, String sample, boolean required, DataType... types) {
      try {
        Arg a = new Arg(argName, sample, required, types.length == 0 ? Set.of() : EnumSet.copyOf(Arrays.asList(types)));
        if (args.stream().anyMatch(x -> x.name().equals(a.name()))) {
          problems.add("argument '" + argName + "' is declared twice");
        } else {
          args.add(a);
        }
      } catch (IllegalArgumentException | NullPointerException e) {
        problems.add(e.getMessage());
      }
      return this;
    }

    /**
     * The event that sends the message (default {@link SpoeEvent#ON_FRONTEND_HTTP_REQUEST}).
     *
     * @param e the event
     * @return this builder
     */
    public Builder event(SpoeEvent e) {
      this.event = Objects.requireNonNull(e, "event");
      return this;
    }

    /**
     * Sends the message only when an ACL condition holds: {@code event ... if <condition>}.
     *
     * @param aclCondition e.g. {@code { req.hdr(x-user) -m found }}
     * @return this builder
     */
    public Builder when(String aclCondition) {
      return condition("if", aclCondition);
    }

    /**
     * Sends the message only when an ACL condition does not hold: {@code event ... unless <condition>}.
     *
     * @param aclCondition e.g. {@code { path_beg /static/ }}
     * @return this builder
     */
    public Builder unless(String aclCondition) {
      return condition("unless", aclCondition);
    }

    private Builder condition(String keyword, String acl) {
      if (condition != null) {
        problems.add("only one condition: already '" + condition + "'");
      } else if (acl == null || acl.isBlank() || acl.indexOf('\n') >= 0 || acl.indexOf('\r') >= 0) {
        problems.add("the condition must be one line, not empty");
      } else {
        condition = keyword + " " + acl.strip();
      }
      return this;
    }

    /**
     * A variable the handler sets.
     *
     * @param scope its scope
     * @param varName its name as the handler writes it
     * @param type the SPOP type it sets
     * @return this builder
     */
    public Builder sets(Scope scope, String varName, DataType type) {
      if (type == null) {
        problems.add("variable '" + varName + "': the type it is set to must be given");
        return this;
      }
      return addVar(sets, "set", scope, varName, type);
    }

    /**
     * A variable the handler unsets.
     *
     * @param scope its scope
     * @param varName its name as the handler writes it
     * @return this builder
     */
    public Builder unsets(Scope scope, String varName) {
      return addVar(unsets, "unset", scope, varName, null);
    }

    private Builder addVar(Map<String, Var> into, String verb, Scope scope, String varName, DataType type) {
      try {
        Var v = new Var(scope, varName, type);
        if (into.putIfAbsent(key(scope, varName), v) != null) {
          problems.add("variable " + key(scope, varName) + " is declared " + verb + " twice");
        }
      } catch (IllegalArgumentException | NullPointerException e) {
        problems.add(e.getMessage());
      }
      return this;
    }

    /**
     * Hint for {@code haproxy-config}'s example rules: copy a variable this handler sets into a
     * response header ({@code http-after-response set-header}). The agent does not use it.
     *
     * @param varName the name of a variable declared with {@link #sets}
     * @param header the header name, e.g. {@code X-Score}
     * @return this builder
     */
    public Builder responseHeader(String varName, String header) {
      headers.put(varName, header);
      return this;
    }

    /**
     * Hint for {@code haproxy-config}'s example rules: deny the request with {@code status} when
     * this BOOL variable is true ({@code http-request deny deny_status ...}); only for messages sent
     * before the frontend's {@code http-request} rules. The agent does not use it.
     *
     * @param varName the name of a BOOL variable declared with {@link #sets}
     * @param status the status, 400-599, e.g. 403 or 429
     * @return this builder
     */
    public Builder denies(String varName, int status) {
      denies.put(varName, status);
      return this;
    }

    /**
     * Hint for {@code haproxy-config}'s example rules: the values of this STRING variable each select
     * a backend, {@code use_backend be_<value> if { var(...) -m str <value> }}; the example config
     * gives each a demo backend. Only for messages sent before the frontend's rules. The agent does
     * not use it.
     *
     * @param varName the name of a STRING variable declared with {@link #sets}
     * @param values the values the handler sets, e.g. the variants of an A/B test
     * @return this builder
     */
    public Builder choosesBackend(String varName, String... values) {
      backends.put(varName, List.of(values));
      return this;
    }

    /**
     * Checks everything and builds the declaration.
     *
     * @return the declaration
     * @throws IllegalArgumentException naming the message and every problem found
     */
    public MessageSpec build() {
      List<String> all = new ArrayList<>(problems);
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException("MessageSpec: the message name must not be empty");
      }
      if (!SECTION_NAME.matcher(name).matches()) {
        all.add("the name must be letters, digits, '.', '_', ':' and '-' (HAProxy's spoe-message names)");
      }
      List<Var> declared = new ArrayList<>(sets.values());
      applyHints(declared, all);
      if (!all.isEmpty()) {
        throw new IllegalArgumentException("MessageSpec '" + name + "': " + String.join("; ", all));
      }
      return new MessageSpec(name, args, event, condition, declared, new ArrayList<>(unsets.values()));
    }

    private void applyHints(List<Var> declared, List<String> all) {
      Set<String> hinted = new LinkedHashSet<>(headers.keySet());
      hinted.addAll(denies.keySet());
      hinted.addAll(backends.keySet());
      for (String varName : hinted) {
        int index = -1;
        for (int i = 0; i < declared.size(); i++) {
          if (declared.get(i).name().equals(varName)) {
            if (index >= 0) {
              all.add("hint for variable '" + varName + "': it is declared in two scopes");
            }
            index = i;
          }
        }
        if (index < 0) {
          all.add("hint for variable '" + varName + "': no such variable is declared with sets()");
          continue;
        }
        Var v = declared.get(index);
        Integer deny = denies.get(varName);
        List<String> values = backends.getOrDefault(varName, List.of());
        if ((deny != null || !values.isEmpty()) && !event.beforeFrontendRequestRules()) {
          all.add("hint for variable '" + varName + "': the message is sent on " + event.haproxyName()
              + ", after the frontend's http-request rules");
        }
        try {
          declared.set(index, new Var(v.scope(), v.name(), v.type(), headers.get(varName), deny == null ? 0 : deny, values));
        } catch (IllegalArgumentException e) {
          all.add(e.getMessage());
        }
      }
    }

    private static String key(Scope scope, String varName) {
      return (scope == null ? "?" : scope.name().toLowerCase()) + "." + varName;
    }
  }
}
