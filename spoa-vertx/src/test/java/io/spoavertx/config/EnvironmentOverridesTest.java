package io.spoavertx.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Every scalar key from the environment: SPOA_ + its path, parsed to its type, or read from a _FILE. */
class EnvironmentOverridesTest {

  private static AgentConfig parse(Map<String, String> env) {
    return AgentConfig.fromJson(EnvironmentOverrides.apply(new JsonObject(), env));
  }

  @Test
  void theIssuesExamples(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("p12-password");
    Files.writeString(secret, "s3cret\n");
    AgentConfig c = parse(Map.of("SPOA_PROTOCOL_MAXFRAMESIZE", "4096", "SPOA_DISPATCH_DEADLINEMS", "200",
        "SPOA_LISTENER_TLS_KEYSTORE", "/etc/spoa/agent.p12",
        "SPOA_LISTENER_TLS_KEYSTOREPASSWORD_FILE", secret.toString()));
    assertEquals(4096, c.protocol().maxFrameSize());
    assertEquals(200L, c.dispatch().deadlineMs());
    assertEquals("/etc/spoa/agent.p12", c.listener().tls().keyStore());
    assertEquals("s3cret", c.listener().tls().keyStorePassword(), "read from the file, trailing newline dropped");
  }

  @Test
  void everyScalarKeyHasAVariableThatSetsIt() {
    JsonObject defaults = AgentConfig.DEFAULT.toJson();
    Map<String, String> variables = EnvironmentOverrides.variables();
    int checked = 0;
    for (Map.Entry<String, String> e : variables.entrySet()) {
      if (EnvironmentOverrides.aliases().containsKey(e.getKey())) {
        continue;
      }
      String key = e.getValue();
      assertEquals("SPOA_" + key.replace(".", "_").toUpperCase(), e.getKey());
      Object def = at(defaults, key);
      String value = def instanceof Boolean b ? String.valueOf(!b) : def instanceof Number n ? String.valueOf(n.longValue() + 1)
          : "x";
      JsonObject json = EnvironmentOverrides.apply(new JsonObject(), Map.of(e.getKey(), value));
      assertEquals(value, String.valueOf(at(json, key)), e.getKey());
      checked++;
    }
    assertTrue(checked >= 25, "only " + checked + " variables");
    assertFalse(variables.containsValue("handlers"), "no variable for list keys");
  }

  @Test
  void variablesOverrideTheFileAndKeepItsOtherKeys() {
    JsonObject file = new JsonObject().put("listener", new JsonObject().put("port", 1000).put("host", "0.0.0.0"));
    JsonObject out = EnvironmentOverrides.apply(file, Map.of("SPOA_LISTENER_PORT", "2000", "SPOA_METRICS_ENABLED", "FALSE"));
    assertEquals(2000, out.getJsonObject("listener").getInteger("port"));
    assertEquals("0.0.0.0", out.getJsonObject("listener").getString("host"));
    assertEquals(false, out.getJsonObject("metrics").getBoolean("enabled"));
    assertEquals(1000, file.getJsonObject("listener").getInteger("port"), "the input is not changed");
  }

  @Test
  void theOldNamesAreAliases() {
    AgentConfig c = parse(Map.of("SPOA_HOST", "0.0.0.0", "SPOA_PORT", "0", "SPOA_INSTANCES", "3", "SPOA_METRICS_PORT", "9000"));
    assertEquals("0.0.0.0", c.listener().host());
    assertEquals(0, c.listener().port());
    assertEquals(3, c.listener().instances());
    assertEquals(9000, c.metrics().port());
  }

  @Test
  void aValueOfTheWrongTypeNamesTheVariableAndTheKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(Map.of("SPOA_PROTOCOL_MAXFRAMESIZE", "4k")));
    assertEquals("protocol.maxFrameSize", e.key());
    assertEquals("invalid agent config: protocol.maxFrameSize: environment variable SPOA_PROTOCOL_MAXFRAMESIZE: "
        + "expected an integer (up to 2147483647), got \"4k\"", e.getMessage());
    e = assertThrows(ConfigException.class, () -> parse(Map.of("SPOA_PROTOCOL_FRAGMENTATION", "yes")));
    assertEquals("invalid agent config: protocol.fragmentation: environment variable SPOA_PROTOCOL_FRAGMENTATION: "
        + "expected true or false, got \"yes\"", e.getMessage());
    e = assertThrows(ConfigException.class, () -> parse(Map.of("SPOA_PORT", "http")));
    assertTrue(e.getMessage().contains("listener.port: environment variable SPOA_PORT: expected an integer"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> parse(Map.of("SPOA_LISTENER_PORT", "70000")));
    assertEquals("invalid agent config: listener.port: must be between 0 and 65535, got 70000", e.getMessage(),
        "range checks are the config's own");
  }

  @Test
  void aKeyGivenTwiceIsAnError(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("v");
    Files.writeString(f, "200");
    ConfigException e = assertThrows(ConfigException.class,
        () -> parse(Map.of("SPOA_DISPATCH_DEADLINEMS", "100", "SPOA_DISPATCH_DEADLINEMS_FILE", f.toString())));
    assertTrue(e.getMessage().contains("SPOA_DISPATCH_DEADLINEMS or SPOA_DISPATCH_DEADLINEMS_FILE, not both"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> parse(Map.of("SPOA_PORT", "1", "SPOA_LISTENER_PORT", "2")));
    assertTrue(e.getMessage().contains("SPOA_PORT and SPOA_LISTENER_PORT"), e.getMessage());
  }

  @Test
  void anUnreadableFileNamesTheVariableAndTheFile(@TempDir Path dir) {
    String missing = dir.resolve("nope").toString();
    ConfigException e = assertThrows(ConfigException.class,
        () -> parse(Map.of("SPOA_LISTENER_TLS_KEYSTOREPASSWORD_FILE", missing)));
    assertEquals("invalid agent config: listener.tls.keyStorePassword: environment variable "
        + "SPOA_LISTENER_TLS_KEYSTOREPASSWORD_FILE names '" + missing + "': no such file", e.getMessage());
  }

  @Test
  void unknownSpoaVariablesAreListed() {
    Map<String, String> env = new HashMap<>(Map.of("SPOA_LISTENER_PROT", "1", "SPOA_PORT", "1", "PATH", "/bin",
        "SPOA_DISPATCH_DEADLINEMS_FILE", "/x", "SPOA_NOPE_FILE", "/y"));
    assertEquals(List.of("SPOA_LISTENER_PROT", "SPOA_NOPE_FILE"), EnvironmentOverrides.unknownVariables(env));
  }

  private static Object at(JsonObject json, String dotted) {
    Object cur = json;
    for (String part : dotted.split("\\.")) {
      cur = cur instanceof JsonObject o ? o.getValue(part) : null;
    }
    return cur;
  }
}
