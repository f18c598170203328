package io.spoavertx.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spoavertx.config.ConfigException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where the launcher's config comes from: {@code -conf FILE}, {@code -conf '{...}'} (inline), or,
 * without {@code -conf}, the JAR's embedded default. It fails closed: a file that cannot be read
 * or is not a JSON object is an error naming the file, never a fallback to the default.
 */
final class ConfigSource {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  enum Kind { FILE, INLINE, EMBEDDED, NONE }

  private final Kind kind;
  private final String value;

  private ConfigSource(Kind kind, String value) {
    this.kind = kind;
    this.value = value;
  }

  /** The source {@code -conf arg} names; {@code arg} null: the embedded default, if the JAR has one. */
  static ConfigSource of(String arg) {
    if (arg == null) {
      boolean embedded = Thread.currentThread().getContextClassLoader().getResource(SpoaLauncher.DEFAULT_CONFIG_RESOURCE) != null;
      return new ConfigSource(embedded ? Kind.EMBEDDED : Kind.NONE, SpoaLauncher.DEFAULT_CONFIG_RESOURCE);
    }
    String t = arg.trim();
    return t.startsWith("{") || t.startsWith("[") ? new ConfigSource(Kind.INLINE, arg) : new ConfigSource(Kind.FILE, arg);
  }

  Kind kind() {
    return kind;
  }

  /** For log lines: what runs. */
  String describe() {
    switch (kind) {
      case FILE: return "config file " + Path.of(value).toAbsolutePath().normalize();
      case INLINE: return "the inline config given with -conf";
      case EMBEDDED: return "the JAR's embedded default config (" + value + "), as no -conf was given";
      default: return "the built-in defaults: no -conf was given and the JAR embeds no " + value;
    }
  }

  /** Reads the document; a {@link ConfigException} names the file (or -conf) and the problem. */
  JsonObject read() {
    switch (kind) {
      case FILE: return parse(value, readFile());
      case INLINE: return parse("-conf", value);
      case EMBEDDED: return parse(value + " (embedded)", readEmbedded());
      default: return new JsonObject();
    }
  }

  private String readFile() {
    Path p = Path.of(value);
    try {
      if (Files.isDirectory(p)) {
        throw new ConfigException(value, "is a directory, not a config file");
      }
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(value, "no such file");
    } catch (AccessDeniedException e) {
      throw new ConfigException(value, "permission denied");
    } catch (java.nio.charset.MalformedInputException e) {
      throw new ConfigException(value, "not a JSON object: not UTF-8 text");
    } catch (IOException e) {
      throw new ConfigException(value, "cannot read it: " + e);
    }
  }

  private String readEmbedded() {
    try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(value)) {
      if (in == null) {
        throw new ConfigException(value, "not in the JAR");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(value, "cannot read it: " + e);
    }
  }

  private static JsonObject parse(String name, String text) {
    if (text.isBlank()) {
      throw new ConfigException(name, "empty, expected a JSON object");
    }
    JsonNode tree;
    try {
      tree = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ConfigException(name, "not a JSON object: " + e.getOriginalMessage().replaceAll("\\s*\\(start marker at \\[Source: [^\\]]*\\]\\)", "")
          + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() : ""));
    }
    if (tree == null || !tree.isObject()) {
      throw new ConfigException(name, "not a JSON object: the document is " + (tree == null ? "empty"
          : tree.isArray() ? "an array" : tree.isTextual() ? "a string" : tree.isNumber() ? "a number" : "a " + tree.getNodeType()));
    }
    return new JsonObject(text);
  }
}
