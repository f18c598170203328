package io.spoavertx.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
      "[1,2]                                            | (document)         | ",
      "{not json                                        | (document)         | not valid JSON",
  })
  void badConfigNamesTheKey(String json, String key, String problem) {
    ConfigException e = assertThrows(ConfigException.class, () -> AgentConfig.fromJson(json.trim()));
    assertEquals(key.trim(), e.key(), e.getMessage());
    assertTrue(e.getMessage().startsWith("invalid agent config: " + key.trim() + ": "), e.getMessage());
    if (problem != null) {
      assertTrue(e.getMessage().contains(problem.trim()), e.getMessage());
    }
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
