package io.spoavertx.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** docs/CONFIG.md and the option records cannot drift apart: same keys, same defaults. */
class ConfigReferenceTest {

  private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| ([^|]+) \\|");
  private static final Pattern ENV_ROW = Pattern.compile("^\\| `([^`]+)` \\| [^|]+ \\| ([^|]+) \\|");

  @Test
  void everyKeyIsDocumentedAndEveryDocumentedKeyExists() throws IOException {
    TreeSet<String> inCode = new TreeSet<>();
    collect(AgentConfig.class, "", inCode);
    TreeSet<String> inDoc = new TreeSet<>(documented().keySet());
    assertEquals(inCode, inDoc, "docs/CONFIG.md lists other keys than the option records");
  }

  @Test
  void documentedDefaultsAreTheCodesDefaults() throws IOException {
    JsonObject defaults = AgentConfig.DEFAULT.toJson();
    int compared = 0;
    for (Map.Entry<String, String> row : documented().entrySet()) {
      Object actual = at(defaults, row.getKey());
      if (actual == null || actual instanceof JsonObject || actual instanceof io.vertx.core.json.JsonArray) {
        continue;
      }
      String doc = row.getValue().trim().replace("`", "");
      if (doc.equals("available processors")) {
        doc = String.valueOf(Runtime.getRuntime().availableProcessors());
      }
      assertEquals(String.valueOf(actual), doc, "default of " + row.getKey());
      compared++;
    }
    assertFalse(compared < 10, "only " + compared + " defaults compared");
  }

  /** The environment column names each key's variable as EnvironmentOverrides derives it, or none. */
  @Test
  void documentedVariablesAreTheCodesVariables() throws IOException {
    Map<String, String> byKey = new java.util.TreeMap<>();
    EnvironmentOverrides.variables().forEach((variable, key) -> {
      if (!EnvironmentOverrides.aliases().containsKey(variable)) {
        byKey.put(key, variable);
      }
    });
    Map<String, String> documented = new java.util.TreeMap<>();
    for (String line : Files.readAllLines(repoRoot().resolve("docs/CONFIG.md"))) {
      Matcher m = ENV_ROW.matcher(line);
      if (m.find()) {
        documented.put(m.group(1), m.group(2).trim());
      }
    }
    assertFalse(documented.isEmpty(), "no environment column in docs/CONFIG.md");
    for (Map.Entry<String, String> row : documented.entrySet()) {
      String variable = byKey.get(row.getKey());
      assertEquals(variable == null ? "—" : "`" + variable + "`", row.getValue(), "environment variable of " + row.getKey());
      assertEquals(variable, EnvironmentOverrides.variableOf(row.getKey()));
    }
    assertEquals(byKey.keySet(), new TreeSet<>(documented.entrySet().stream()
        .filter(e -> !e.getValue().equals("—")).map(Map.Entry::getKey).toList()), "keys with a variable");
    for (Map.Entry<String, String> alias : EnvironmentOverrides.aliases().entrySet()) {
      assertTrue(Files.readString(repoRoot().resolve("docs/CONFIG.md")).replaceAll("\\s+", " ").contains("`" + alias.getKey() + "` (`" + alias.getValue() + "`)"),
          "alias " + alias.getKey() + " documented");
    }
  }

  @Test
  void exampleConfigParses() throws IOException {
    AgentConfig.fromJson(Files.readString(repoRoot().resolve("conf/agent.json")));
  }

  private static Object at(JsonObject json, String dotted) {
    Object cur = json;
    for (String part : dotted.split("\\.")) {
      if (!(cur instanceof JsonObject o) || part.contains("[") || part.startsWith("<")) {
        return null;
      }
      cur = o.getValue(part);
    }
    return cur;
  }

  private static void collect(Class<?> record, String prefix, TreeSet<String> out) {
    for (RecordComponent c : record.getRecordComponents()) {
      JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
      if (p == null) {
        try {
          p = record.getDeclaredField(c.getName()).getAnnotation(JsonProperty.class);
        } catch (NoSuchFieldException e) {
          p = null;
        }
      }
      String key = prefix + (p != null ? p.value() : c.getName());
      Type t = c.getGenericType();
      if (c.getType().isRecord()) {
        collect(c.getType(), key + ".", out);
      } else if (t instanceof ParameterizedType pt && Map.class.isAssignableFrom(c.getType())
          && pt.getActualTypeArguments()[1] instanceof Class<?> v && v.isRecord()) {
        collect(v, key + ".<message>.", out);
      } else if (t instanceof ParameterizedType pt && List.class.isAssignableFrom(c.getType())
          && pt.getActualTypeArguments()[0] instanceof Class<?> v && v.isRecord()) {
        collect(v, key + "[].", out);
      } else {
        out.add(key);
      }
    }
  }

  private static Map<String, String> documented() throws IOException {
    Map<String, String> rows = new LinkedHashMap<>();
    for (String line : Files.readAllLines(repoRoot().resolve("docs/CONFIG.md"))) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        rows.put(m.group(1), m.group(2));
      }
    }
    return rows;
  }

  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("docs/CONFIG.md"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("docs/CONFIG.md not found above " + Path.of("").toAbsolutePath());
    }
    return p;
  }
}
