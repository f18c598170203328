package io.spoavertx.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

/** A handler's declaration: what it holds, and the mistakes it refuses when built. */
class MessageSpecTest {

  private static MessageSpec reputation() {
    return MessageSpec.builder("check-client-ip")
        .arg("ip", "src", DataType.IPV4, DataType.IPV6)
        .arg("path", "path", DataType.STRING)
        .optionalArg("ua", "req.hdr(user-agent)", DataType.STRING)
        .sets(Scope.TXN, "score", DataType.INT32)
        .sets(Scope.TXN, "deny", DataType.BOOL)
        .responseHeader("score", "X-Score")
        .denies("deny", 403)
        .build();
  }

  @Test
  void backendValuesAreStringsThatNameBackends() {
    MessageSpec spec = MessageSpec.builder("route").sets(Scope.TXN, "variant", DataType.STRING)
        .choosesBackend("variant", "a", "b").build();
    assertEquals(List.of("a", "b"), spec.sets().get(0).backends());
    assertTrue(problem(MessageSpec.builder("m").sets(Scope.TXN, "v", DataType.STRING).choosesBackend("v", "a b"))
        .contains("backend value 'a b'"));
    assertTrue(problem(MessageSpec.builder("m").sets(Scope.TXN, "v", DataType.INT32).choosesBackend("v", "a"))
        .contains("only a STRING variable can choose a backend"));
  }

  @Test
  void holdsWhatWasDeclared() {
    MessageSpec spec = reputation();
    assertEquals("check-client-ip", spec.name());
    assertEquals(SpoeEvent.ON_FRONTEND_HTTP_REQUEST, spec.event(), "the default event");
    assertNull(spec.condition());
    assertEquals(List.of("ip", "path", "ua"), spec.args().stream().map(MessageSpec.Arg::name).toList());
    assertEquals(new MessageSpec.Arg("ip", "src", true, Set.of(DataType.IPV4, DataType.IPV6)), spec.arg("ip"));
    assertFalse(spec.arg("ua").required());
    assertNull(spec.arg("addr"));
    assertEquals(new MessageSpec.Var(Scope.TXN, "score", DataType.INT32, "X-Score", 0, List.of()), spec.sets().get(0));
    assertEquals(new MessageSpec.Var(Scope.TXN, "deny", DataType.BOOL, null, 403, List.of()), spec.sets().get(1));
    assertEquals("txn.spoa.score", spec.sets().get(0).haproxyName("spoa"));
    assertTrue(spec.unsets().isEmpty());
  }

  @Test
  void isAValue() {
    assertEquals(reputation(), reputation());
    assertEquals(reputation().hashCode(), reputation().hashCode());
    assertNotEquals(reputation(), MessageSpec.builder("check-client-ip").build());
    assertEquals("spoe-message check-client-ip args ip=src path=path ua=req.hdr(user-agent) event on-frontend-http-request"
        + " sets txn.score:INT32 sets txn.deny:BOOL", reputation().toString());
  }

  @Test
  void conditionsKeepTheirKeyword() {
    assertEquals("if { req.hdr(x-user) -m found }", MessageSpec.builder("lookup-user")
        .arg("user", "req.hdr(x-user)").when("{ req.hdr(x-user) -m found }").build().condition());
    assertEquals("unless { path_beg /static/ }", MessageSpec.builder("m")
        .event(SpoeEvent.ON_HTTP_RESPONSE).unless(" { path_beg /static/ } ").build().condition());
  }

  @Test
  void unsetVariablesHaveNoType() {
    MessageSpec spec = MessageSpec.builder("logout").unsets(Scope.SESS, "user").sets(Scope.SESS, "user", DataType.STRING).build();
    assertEquals(List.of(new MessageSpec.Var(Scope.SESS, "user", null)), spec.unsets());
    assertEquals(1, spec.sets().size());
  }

  private static String problem(MessageSpec.Builder b) {
    return assertThrows(IllegalArgumentException.class, b::build).getMessage();
  }

  @Test
  void refusesEmptyOrBadNames() {
    assertEquals("MessageSpec: the message name must not be empty",
        assertThrows(IllegalArgumentException.class, () -> MessageSpec.builder("").build()).getMessage());
    assertTrue(problem(MessageSpec.builder("check ip")).contains("letters, digits"));
    assertEquals("MessageSpec 'm': argument name must not be empty", problem(MessageSpec.builder("m").arg("", "src")));
    assertEquals("MessageSpec 'm': argument name 'a=b' must not contain '=', '#' or spaces",
        problem(MessageSpec.builder("m").arg("a=b", "src")));
  }

  @Test
  void refusesEmptySampleExpressionsAndOnesHaproxyWouldSplit() {
    assertEquals("MessageSpec 'm': argument 'ip': the sample expression must not be empty",
        problem(MessageSpec.builder("m").arg("ip", " ")));
    assertTrue(problem(MessageSpec.builder("m").arg("ua", "req.hdr(user agent)")).contains("must not contain spaces"));
  }

  @Test
  void refusesDuplicateArgumentsAndVariables() {
    assertEquals("MessageSpec 'm': argument 'ip' is declared twice",
        problem(MessageSpec.builder("m").arg("ip", "src").optionalArg("ip", "dst")));
    assertEquals("MessageSpec 'm': variable txn.score is declared set twice",
        problem(MessageSpec.builder("m").sets(Scope.TXN, "score", DataType.INT32).sets(Scope.TXN, "score", DataType.INT64)));
  }

  @Test
  void refusesVariableNamesHaproxyWouldNotSet() {
    String longName = "x".repeat(Actions.MAX_VAR_NAME_LENGTH + 1);
    assertTrue(problem(MessageSpec.builder("m").sets(Scope.TXN, longName, DataType.BOOL))
        .contains("more than " + Actions.MAX_VAR_NAME_LENGTH), "Actions.MAX_VAR_NAME_LENGTH");
    assertTrue(problem(MessageSpec.builder("m").sets(Scope.TXN, "x-y", DataType.BOOL)).contains("invalid character '-'"));
    assertTrue(problem(MessageSpec.builder("m").sets(Scope.TXN, "x", null)).contains("type it is set to must be given"));
  }

  @Test
  void reportsEveryProblemAtOnce() {
    String p = problem(MessageSpec.builder("m").arg("ip", "").sets(Scope.TXN, "a b", DataType.BOOL).when(""));
    assertTrue(p.contains("argument 'ip'") && p.contains("'a b'") && p.contains("condition"), p);
  }

  @Test
  void hintsNameDeclaredVariablesAndDenyOnlyWithBooleansBeforeTheRequestRules() {
    assertTrue(problem(MessageSpec.builder("m").responseHeader("score", "X-Score")).contains("no such variable"));
    assertTrue(problem(MessageSpec.builder("m").sets(Scope.TXN, "score", DataType.INT32).denies("score", 403))
        .contains("only a BOOL variable can deny"));
    assertTrue(problem(MessageSpec.builder("m").sets(Scope.TXN, "deny", DataType.BOOL).denies("deny", 200))
        .contains("not 400-599"));
    assertTrue(problem(MessageSpec.builder("m").event(SpoeEvent.ON_HTTP_RESPONSE)
        .sets(Scope.TXN, "deny", DataType.BOOL).denies("deny", 403)).contains("after the frontend's http-request rules"));
    assertTrue(problem(MessageSpec.builder("m").event(SpoeEvent.ON_BACKEND_HTTP_REQUEST)
        .sets(Scope.TXN, "v", DataType.STRING).choosesBackend("v", "a")).contains("sent on on-backend-http-request"));
    assertTrue(problem(MessageSpec.builder("m").sets(Scope.TXN, "s", DataType.INT32).responseHeader("s", "X Score"))
        .contains("letters, digits and '-'"));
  }

  @Test
  void eventsHaveHaproxysNames() {
    assertEquals(8, SpoeEvent.values().length);
    for (SpoeEvent e : SpoeEvent.values()) {
      assertEquals(e, SpoeEvent.fromHaproxyName(e.haproxyName()));
    }
    assertEquals("on-frontend-http-request", SpoeEvent.ON_FRONTEND_HTTP_REQUEST.haproxyName());
    assertThrows(IllegalArgumentException.class, () -> SpoeEvent.fromHaproxyName("on-request"));
  }
}
