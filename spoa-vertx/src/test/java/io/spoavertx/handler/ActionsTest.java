package io.spoavertx.handler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.List;

class ActionsTest {

  @Test
  void setVarAndUnsetVarWireFormat() {
    Actions a = Actions.create().setVar(Scope.TXN, "score", 42).unsetVar(Scope.SESS, "x");
    // 01 03 <scope 2> <name> <INT32 42>  then  02 02 <scope 1> <name>
    assertEquals("010302" + "0573636f7265" + "022a" + "020201" + "0178", HexFormat.of().formatHex(a.encoded().getBytes()));
    assertEquals(2, a.size());
  }

  @Test
  void frozenActionsCannotChange() {
    Actions a = Actions.create().setVar(Scope.TXN, "a", true).freeze();
    assertThrows(IllegalStateException.class, () -> a.setVar(Scope.TXN, "b", 1));
    assertThrows(IllegalStateException.class, () -> Actions.none().setVar(Scope.TXN, "b", 1));
  }

  @Test
  void invalidVariableNamesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Actions.create().setVar(Scope.TXN, "a-b", 1));
    assertThrows(IllegalArgumentException.class, () -> Actions.create().setVar(Scope.TXN, "", 1));
  }

  /** One action of every kind and type, with random values, round-trips through the wire encoding. */
  @Property(tries = 1000)
  void everyTypedValueRoundTrips(@ForAll("actions") List<Action> actions) {
    Actions built = Actions.create();
    for (Action action : actions) {
      add(built, action);
    }
    List<Action> decoded = Actions.decode(Buffer.buffer(built.encoded().getBytes())).list();
    assertEquals(actions.size(), decoded.size());
    for (int i = 0; i < actions.size(); i++) {
      assertSame(actions.get(i), decoded.get(i));
    }
  }

  private static void assertSame(Action expected, Action actual) {
    assertEquals(expected.scope(), actual.scope());
    assertEquals(expected.name(), actual.name());
    if (expected instanceof Action.SetVar e) {
      Action.SetVar a = (Action.SetVar) actual;
      assertEquals(e.type(), a.type());
      if (e.value() instanceof byte[] b) {
        assertArrayEquals(b, ((Buffer) a.value()).getBytes());
      } else {
        assertEquals(e.value(), a.value());
      }
    } else {
      assertEquals(Action.UnsetVar.class, actual.getClass());
    }
  }

  private static void add(Actions built, Action action) {
    if (action instanceof Action.UnsetVar u) {
      built.unsetVar(u.scope(), u.name());
      return;
    }
    Action.SetVar s = (Action.SetVar) action;
    switch (s.type()) {
      case BOOL -> built.setVar(s.scope(), s.name(), (Boolean) s.value());
      case INT32 -> built.setVar(s.scope(), s.name(), (Integer) s.value());
      case INT64 -> built.setVar(s.scope(), s.name(), (Long) s.value());
      case UINT32 -> built.setVarUint32(s.scope(), s.name(), (Long) s.value());
      case UINT64 -> built.setVarUint64(s.scope(), s.name(), (Long) s.value());
      case IPV4, IPV6 -> built.setVar(s.scope(), s.name(), (InetAddress) s.value());
      case STRING -> built.setVar(s.scope(), s.name(), (String) s.value());
      case BINARY -> built.setVar(s.scope(), s.name(), (byte[]) s.value());
      default -> throw new IllegalArgumentException(s.type().toString());
    }
  }

  @Provide
  Arbitrary<List<Action>> actions() {
    Arbitrary<Scope> scope = Arbitraries.of(Scope.values());
    Arbitrary<String> name = Arbitraries.strings().withChars("abcxyz_.0123456789").ofMinLength(1).ofMaxLength(40);
    Arbitrary<Action> setVar = Combinators.combine(scope, name, value()).as((sc, n, v) -> new Action.SetVar(sc, n, v.type, v.value));
    Arbitrary<Action> unset = Combinators.combine(scope, name).as(Action.UnsetVar::new);
    return Arbitraries.oneOf(setVar, unset).list().ofMaxSize(12);
  }

  private record Typed(DataType type, Object value) {
  }

  private static Arbitrary<Typed> value() {
    return Arbitraries.oneOf(
        Arbitraries.of(true, false).map(b -> new Typed(DataType.BOOL, b)),
        Arbitraries.integers().map(i -> new Typed(DataType.INT32, i)),
        Arbitraries.longs().map(l -> new Typed(DataType.INT64, l)),
        Arbitraries.longs().between(0, 0xFFFFFFFFL).map(l -> new Typed(DataType.UINT32, l)),
        Arbitraries.longs().map(l -> new Typed(DataType.UINT64, l)),
        Arbitraries.bytes().array(byte[].class).ofSize(4).map(b -> new Typed(DataType.IPV4, address(b))),
        Arbitraries.bytes().array(byte[].class).ofSize(16).map(b -> new Typed(DataType.IPV6, address(b))),
        Arbitraries.strings().ofMaxLength(300).map(s -> new Typed(DataType.STRING, s)),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(b -> new Typed(DataType.BINARY, b)));
  }

  private static InetAddress address(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
