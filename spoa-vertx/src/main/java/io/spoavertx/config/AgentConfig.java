package io.spoavertx.config;

import static io.spoavertx.config.Check.orDefault;

import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The agent's whole configuration, as read from JSON (see {@code conf/agent.json}). Every part is
 * optional and has documented defaults; unknown keys and wrong types are errors.
 */
public record AgentConfig(ListenerOptions listener, ProtocolOptions protocol, DispatchOptions dispatch,
                          List<HandlerDeployment> handlers, MetricsOptions metrics, ClusterOptions cluster) {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

  static {
    // true or false, not 1 or 0
    MAPPER.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
  }

  /** All defaults. */
  public static final AgentConfig DEFAULT = new AgentConfig(null, null, null, null, null, null);

  /**
   * Applies the defaults to null parts.
   *
   * @param listener listener options; null for the defaults
   * @param protocol protocol options; null for the defaults
   * @param dispatch dispatch options; null for the defaults
   * @param handlers handler verticles to deploy; null for none
   * @param metrics  metrics options; null for the defaults
   * @param cluster  cluster options; null for the defaults
   */
  public AgentConfig {
    listener = orDefault(listener, ListenerOptions.DEFAULT);
    protocol = orDefault(protocol, ProtocolOptions.DEFAULT);
    dispatch = orDefault(dispatch, DispatchOptions.DEFAULT);
    handlers = handlers == null ? List.of() : List.copyOf(handlers);
    metrics = orDefault(metrics, MetricsOptions.DEFAULT);
    cluster = orDefault(cluster, ClusterOptions.DEFAULT);
  }

  /**
   * Parses and validates, as {@link #fromJson(String)}.
   *
   * @param json the configuration; null for the defaults
   * @return the configuration
   * @throws ConfigException naming the key and what is wrong with it
   */
  public static AgentConfig fromJson(JsonObject json) {
    return fromJson(json == null ? "{}" : json.encode());
  }

  /**
   * Parses and validates; a {@link ConfigException} names the key and what is wrong with it.
   *
   * @param json the JSON document; an empty document or {@code null} gives the defaults
   * @return the configuration
   * @throws ConfigException naming the key and what is wrong with it
   */
  public static AgentConfig fromJson(String json) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ConfigException("(document)", "not valid JSON: " + syntaxError(e.getOriginalMessage())
          + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() : ""));
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      return DEFAULT;
    }
    if (!tree.isObject()) {
      throw new ConfigException("(document)", "expected an object, got " + shown(tree));
    }
    try {
      AgentConfig config = MAPPER.treeToValue(tree, AgentConfig.class);
      return config == null ? DEFAULT : config;
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(path(e, null), "unknown key (known keys: " + e.getKnownPropertyIds() + ")");
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      String msg = String.valueOf(cause.getMessage());
      int colon = msg.indexOf(": ");
      String key = colon > 0 ? msg.substring(0, colon) : null;
      throw new ConfigException(path(e, key), colon > 0 ? msg.substring(colon + 2) : msg);
    } catch (MismatchedInputException e) {
      // a value of the wrong type, in plain words rather than Jackson's
      String key = path(e, null);
      JsonNode value = at(tree, e.getPath());
      throw new ConfigException(key, "expected " + expected(e.getTargetType()) + ", got "
          + (value != null ? shown(value) : e.getOriginalMessage()));
    } catch (JsonMappingException e) {
      JsonNode value = at(tree, e.getPath());
      if (e.getCause() instanceof InputCoercionException c && value != null) {
        // a number too large for its key's type
        throw new ConfigException(path(e, null), "expected " + expected(c.getTargetType()) + ", got " + shown(value));
      }
      throw new ConfigException(path(e, null), e.getOriginalMessage());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ConfigException("(document)", e.getOriginalMessage());
    }
  }

  /** Jackson's syntax error without its source-location noise ("(start marker at [Source: ...])"). */
  private static String syntaxError(String message) {
    return message.replaceAll("\\s*\\(start marker at \\[Source: [^\\]]*\\]\\)", "");
  }

  /** What a value of {@code type} looks like, for error messages. */
  private static String expected(Class<?> type) {
    if (type == null) {
      return "another type";
    }
    if (type == Integer.class || type == int.class) {
      return "an integer (up to " + Integer.MAX_VALUE + ")";
    }
    if (type == Long.class || type == long.class || type == Short.class) {
      return "an integer";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Double.class || type == Float.class) {
      return "a number";
    }
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    return "an object";
  }

  private static JsonNode at(JsonNode tree, List<JsonMappingException.Reference> path) {
    JsonNode node = tree;
    for (JsonMappingException.Reference ref : path) {
      if (node == null) {
        return null;
      }
      node = ref.getFieldName() != null ? node.get(ref.getFieldName()) : ref.getIndex() >= 0 ? node.get(ref.getIndex()) : null;
    }
    return node;
  }

  /** A JSON value as written, shortened: {@code "abc"}, {@code 1.5}, {@code [1,2]}. */
  private static String shown(JsonNode value) {
    String s = value.toString();
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }

  /** {@return this configuration as JSON, every default filled in} */
  public JsonObject toJson() {
    try {
      return new JsonObject(MAPPER.writeValueAsString(this));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@return a copy with other listener options}
   *
   * @param l the listener options
   */
  public AgentConfig withListener(ListenerOptions l) {
    return new AgentConfig(l, protocol, dispatch, handlers, metrics, cluster);
  }

  /**
   * {@return a copy with other protocol options}
   *
   * @param p the protocol options
   */
  public AgentConfig withProtocol(ProtocolOptions p) {
    return new AgentConfig(listener, p, dispatch, handlers, metrics, cluster);
  }

  /**
   * {@return a copy with other dispatch options}
   *
   * @param d the dispatch options
   */
  public AgentConfig withDispatch(DispatchOptions d) {
    return new AgentConfig(listener, protocol, d, handlers, metrics, cluster);
  }

  /**
   * {@return a copy with other metrics options}
   *
   * @param m the metrics options
   */
  public AgentConfig withMetrics(MetricsOptions m) {
    return new AgentConfig(listener, protocol, dispatch, handlers, m, cluster);
  }

  /**
   * {@return a copy with other cluster options}
   *
   * @param c the cluster options
   */
  public AgentConfig withCluster(ClusterOptions c) {
    return new AgentConfig(listener, protocol, dispatch, handlers, metrics, c);
  }

  private static String path(JsonMappingException e, String leaf) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    if (leaf != null) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(leaf);
    }
    return sb.length() == 0 ? "(document)" : sb.toString();
  }
}
