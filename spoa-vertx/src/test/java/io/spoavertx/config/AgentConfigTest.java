package io.spoavertx.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad config names the key and what is wrong with it. */
class AgentConfigTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"listener\":{\"prot\":1}}                       | listener.prot      | unknown key",
      "{\"listener\":{\"port\":\"x\"}}                   | listener.port      | ",
      "{\"listener\":{\"port\":70000}}                   | listener.port      | between 0 and 65535",
      "{\"listener\":{\"port\":-1}}                      | listener.port      | between 0 and 65535",
      "{\"protocol\":{\"maxFrameSize\":100}}             | protocol.maxFrameSize | between 256",
      "{\"dispatch\":{\"deadlineMs\":0}}                 | dispatch.deadlineMs | positive",
      "{\"dispatch\":{\"deadlineMs\":-5}}                | dispatch.deadlineMs | positive",
      "{\"dispatch\":{\"routes\":{\"m\":{\"deadlineMs\":0}}}} | dispatch.routes.m.deadlineMs | positive",
      "{\"dispatch\":{\"routes\":{\"m\":{\"address\":\"a\",\"handler\":\"b\"}}}} | dispatch.routes.m.handler | not both",
      "{\"handlers\":[{\"instances\":1}]}                | handlers[0].class  | required",
      "{\"handlers\":[{\"class\":\"x\",\"instances\":0}]} | handlers[0].instances | between 1",
      "{\"nope\":true}                                   | nope               | unknown key",
      "[1,2]                                            | (document)         | expected an object, got [1,2]",
      "{not json                                        | (document)         | not valid JSON",
      "{\"listener\":{\"port\":\"abc\"}}             | listener.port      | expected an integer (up to 2147483647), got \"abc\"",
      "{\"listener\":{\"port\":99999999999}}           | listener.port      | expected an integer (up to 2147483647), got 99999999999",
      "{\"dispatch\":{\"deadlineMs\":1.5}}             | dispatch.deadlineMs | expected an integer, got 1.5",
      "{\"metrics\":{\"enabled\":\"yes\"}}           | metrics.enabled    | expected true or false, got \"yes\"",
      "{\"listener\":{\"host\":[1]}}                   | listener.host      | expected a string, got [1]",
      "{\"handlers\":{}}                                 | handlers           | expected an array, got {}",
      "{\"handlers\":[{\"class\":\"x\",\"config\":[1]}]} | handlers[0].config | expected an object, got [1]",
  })
  void badConfigNamesTheKey(String json, String key, String problem) {
    ConfigException e = assertThrows(ConfigException.class, () -> AgentConfig.fromJson(json.trim()));
    assertEquals(key.trim(), e.key(), e.getMessage());
    assertTrue(e.getMessage().startsWith("invalid agent config: " + key.trim() + ": "), e.getMessage());
    if (problem != null) {
      assertTrue(e.getMessage().contains(problem.trim()), e.getMessage());
    }
  }

  /** Wrong types are said in plain words, not in Jackson's ("Cannot coerce ... java.lang.Long ..."). */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {
      "{\"dispatch\":{\"deadlineMs\":1.5}}", "{\"listener\":{\"port\":\"abc\"}}", "{\"protocol\":{\"pipelining\":1}}",
      "{\"listener\":{\"backlog\":1e40}}", "{\"cluster\":{\"role\":{}}}"})
  void typeErrorsNameNoJavaType(String json) {
    ConfigException e = assertThrows(ConfigException.class, () -> AgentConfig.fromJson(json));
    assertTrue(e.problem().startsWith("expected "), e.getMessage());
    assertFalse(e.getMessage().contains("java."), e.getMessage());
    assertFalse(e.getMessage().contains("Cannot "), e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void aHandlersErrorIsReportedUnderItsDeploymentsPath() {
    ConfigException e = new ConfigException("deny[1]", "prefix out of range").under("handlers[0].config");
    assertEquals("handlers[0].config.deny[1]", e.key());
    assertEquals("invalid agent config: handlers[0].config.deny[1]: prefix out of range", e.getMessage());
    assertEquals("handlers[2].config[0]", new ConfigException("[0]", "x").under("handlers[2].config").key());
    assertEquals("handlers[2].config", new ConfigException("", "x").under("handlers[2].config").key());
  }

  @org.junit.jupiter.api.Test
  void emptyDocumentGivesDefaults() {
    AgentConfig c = AgentConfig.fromJson("{}");
    assertEquals(12345, c.listener().port());
    assertEquals(16380, c.protocol().maxFrameSize());
    assertEquals(500L, c.dispatch().deadlineMs());
    assertEquals(c, AgentConfig.fromJson(c.toJson()));
  }
}
