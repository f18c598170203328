package io.spoavertx.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Config keys from the environment, for containers and systemd: every key with a fixed path and a
 * scalar value is {@code SPOA_} + its path in upper case, a {@code _} between the parts and none
 * inside a key ({@code protocol.maxFrameSize} is {@code SPOA_PROTOCOL_MAXFRAMESIZE},
 * {@code listener.tls.keyStorePassword} is {@code SPOA_LISTENER_TLS_KEYSTOREPASSWORD}).
 * {@code <NAME>_FILE} reads the value from a file instead (secrets; a trailing newline is dropped).
 * {@code SPOA_HOST}, {@code SPOA_PORT} and {@code SPOA_INSTANCES} are kept as aliases of
 * {@code listener.host}, {@code listener.port} and {@code listener.instances} ({@code SPOA_METRICS_PORT}
 * already is the variable of {@code metrics.port}). Values are parsed to the key's type; an error names the variable and the
 * key; an empty variable counts as unset. Keys under {@code dispatch.routes} and {@code handlers} have no variable (their paths are not
 * fixed): set them in the file.
 */
public final class EnvironmentOverrides {

  /** Prefix of every variable. */
  public static final String PREFIX = "SPOA_";
  /** Suffix of a variable naming a file that holds the value. */
  public static final String FILE_SUFFIX = "_FILE";

  private static final Map<String, Leaf> BY_VARIABLE = new TreeMap<>();
  private static final Map<String, String> ALIASES = new LinkedHashMap<>();

  /** A scalar key: its dotted path and its type. */
  private record Leaf(String key, Class<?> type) {
  }

  static {
    collect(AgentConfig.class, "", BY_VARIABLE);
    ALIASES.put("SPOA_HOST", "listener.host");
    ALIASES.put("SPOA_PORT", "listener.port");
    ALIASES.put("SPOA_INSTANCES", "listener.instances");
  }

  private EnvironmentOverrides() {
  }

  /** {@return every variable and the key it sets, aliases included, sorted by variable} */
  public static Map<String, String> variables() {
    Map<String, String> out = new TreeMap<>();
    BY_VARIABLE.forEach((v, leaf) -> out.put(v, leaf.key()));
    out.putAll(ALIASES);
    return Collections.unmodifiableMap(out);
  }

  /**
   * The variable of a key, e.g. {@code listener.port} → {@code SPOA_LISTENER_PORT}.
   *
   * @param key the dotted path of a key
   * @return the variable, or null if the key has none
   */
  public static String variableOf(String key) {
    String v = PREFIX + key.replace('.', '_').toUpperCase(Locale.ROOT);
    return BY_VARIABLE.containsKey(v) ? v : null;
  }

  /** {@return the aliases kept from earlier versions, and their keys} */
  public static Map<String, String> aliases() {
    return Collections.unmodifiableMap(ALIASES);
  }

  /**
   * A copy of {@code config} with the values {@code env} gives; {@code config} is not changed.
   *
   * @param config the configuration, as read from the file
   * @param env    the environment, e.g. {@code System.getenv()}
   * @return the configuration with the overrides
   * @throws ConfigException naming the variable and the key, for a value of the wrong type, a
   *     file that cannot be read, or a key given twice (a variable and its {@code _FILE}, or an
   *     alias and the variable)
   */
  public static JsonObject apply(JsonObject config, Map<String, String> env) {
    JsonObject out = config.copy();
    Map<String, String> setBy = new LinkedHashMap<>();
    for (Map.Entry<String, String> alias : ALIASES.entrySet()) {
      set(out, env, alias.getKey(), leafOf(alias.getValue()), setBy);
    }
    for (Map.Entry<String, Leaf> e : BY_VARIABLE.entrySet()) {
      set(out, env, e.getKey(), e.getValue(), setBy);
    }
    return out;
  }

  /**
   * The {@code SPOA_*} variables in {@code env} that set no key (a typo, most likely).
   *
   * @param env the environment
   * @return their names, sorted
   */
  public static List<String> unknownVariables(Map<String, String> env) {
    List<String> out = new ArrayList<>();
    for (String name : new TreeMap<>(env).keySet()) {
      if (!name.startsWith(PREFIX)) {
        continue;
      }
      String base = name.endsWith(FILE_SUFFIX) ? name.substring(0, name.length() - FILE_SUFFIX.length()) : name;
      if (!BY_VARIABLE.containsKey(base) && !ALIASES.containsKey(base)) {
        out.add(name);
      }
    }
    return out;
  }

  private static Leaf leafOf(String key) {
    return BY_VARIABLE.get(PREFIX + key.replace('.', '_').toUpperCase(Locale.ROOT));
  }

  private static void set(JsonObject config, Map<String, String> env, String variable, Leaf leaf, Map<String, String> setBy) {
    String direct = blankToNull(env.get(variable));
    String file = blankToNull(env.get(variable + FILE_SUFFIX));
    if (direct == null && file == null) {
      return;
    }
    if (direct != null && file != null) {
      throw new ConfigException(leaf.key(), "set environment variable " + variable + " or " + variable + FILE_SUFFIX
          + ", not both");
    }
    String source = direct != null ? variable : variable + FILE_SUFFIX;
    String earlier = setBy.put(leaf.key(), source);
    if (earlier != null) {
      throw new ConfigException(leaf.key(), "set by both environment variables " + earlier + " and " + source
          + ": keep one");
    }
    String raw = direct != null ? direct : readFile(leaf.key(), source, file);
    Object value = parse(leaf, source, raw);
    String[] parts = leaf.key().split("\\.");
    JsonObject parent = config;
    for (int i = 0; i < parts.length - 1; i++) {
      Object child = parent.getValue(parts[i]);
      if (child == null) {
        child = new JsonObject();
        parent.put(parts[i], child);
      } else if (!(child instanceof JsonObject)) {
        return; // the document itself is wrong there, and parsing it says so
      }
      parent = (JsonObject) child;
    }
    parent.put(parts[parts.length - 1], value);
  }

  /** An empty variable counts as unset ({@code SPOA_X=} in a unit file or compose file clears it). */
  private static String blankToNull(String v) {
    return v == null || v.isEmpty() ? null : v;
  }

  private static String readFile(String key, String variable, String file) {
    try {
      String s = Files.readString(Path.of(file), StandardCharsets.UTF_8);
      int end = s.length();
      while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
        end--;
      }
      return s.substring(0, end);
    } catch (NoSuchFileException e) {
      throw new ConfigException(key, "environment variable " + variable + " names '" + file + "': no such file");
    } catch (AccessDeniedException e) {
      throw new ConfigException(key, "environment variable " + variable + " names '" + file + "': permission denied");
    } catch (IOException e) {
      throw new ConfigException(key, "environment variable " + variable + " names '" + file + "': cannot read it ("
          + e.getMessage() + ")");
    }
  }

  private static Object parse(Leaf leaf, String variable, String raw) {
    Class<?> type = leaf.type();
    String v = raw.trim();
    try {
      if (type == Integer.class) {
        return Integer.parseInt(v);
      }
      if (type == Long.class) {
        return Long.parseLong(v);
      }
    } catch (NumberFormatException e) {
      throw new ConfigException(leaf.key(), "environment variable " + variable + ": expected an integer"
          + (type == Integer.class ? " (up to " + Integer.MAX_VALUE + ")" : "") + ", got \"" + raw + "\"");
    }
    if (type == Boolean.class) {
      if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
        return Boolean.parseBoolean(v);
      }
      throw new ConfigException(leaf.key(), "environment variable " + variable + ": expected true or false, got \""
          + raw + "\"");
    }
    return raw;
  }

  /** The scalar keys of the option records at fixed paths (not under maps or lists). */
  private static void collect(Class<?> record, String prefix, Map<String, Leaf> out) {
    for (RecordComponent c : record.getRecordComponents()) {
      JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
      String key = prefix + (p != null ? p.value() : c.getName());
      Class<?> t = c.getType();
      if (t.isRecord()) {
        collect(t, key + ".", out);
      } else if (t == Integer.class || t == Long.class || t == Boolean.class || t == String.class) {
        out.put(PREFIX + key.replace('.', '_').toUpperCase(Locale.ROOT), new Leaf(key, t));
      }
    }
  }
}
