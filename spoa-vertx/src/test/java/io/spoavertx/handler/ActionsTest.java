package io.spoavertx.handler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  /** HAProxy writes <scope>.<var-prefix>.<name> into 63 characters: longer names are refused when built. */
  @Test
  void aVariableNameLongerThanHaproxyCanSetIsRefusedWhenTheActionIsBuilt() {
    String longest = "n".repeat(Actions.MAX_VAR_NAME_LENGTH);
    assertEquals(1, Actions.create().setVar(Scope.PROC, longest, 1).unsetVar(Scope.SESS, longest).size() - 1);
    String tooLong = longest + "x";
    List<Runnable> builders = List.of(
        () -> Actions.create().setVar(Scope.TXN, tooLong, 1),
        () -> Actions.create().setVar(Scope.TXN, tooLong, 1L),
        () -> Actions.create().setVar(Scope.TXN, tooLong, true),
        () -> Actions.create().setVar(Scope.TXN, tooLong, "v"),
        () -> Actions.create().setVar(Scope.TXN, tooLong, new byte[1]),
        () -> Actions.create().setVar(Scope.TXN, tooLong, Buffer.buffer("v")),
        () -> Actions.create().setVar(Scope.TXN, tooLong, InetAddress.getLoopbackAddress()),
        () -> Actions.create().setVarUint32(Scope.TXN, tooLong, 1),
        () -> Actions.create().setVarUint64(Scope.TXN, tooLong, 1),
        () -> Actions.create().unsetVar(Scope.TXN, tooLong));
    for (Runnable b : builders) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::run);
      assertEquals("variable name '" + tooLong + "' has 41 characters, more than 40: HAProxy writes "
          + "<scope>.<var-prefix>.<name> into 63 characters and would not set it (Actions.MAX_VAR_NAME_LENGTH)", e.getMessage());
    }
    // the allowance: the longest scope, a 17-character var-prefix and the dots fit HAProxy's 63
    assertEquals(63, ("proc." + "p".repeat(17) + "." + longest).length());
  }

  /** What another node sends back is checked like what a handler builds: nothing malformed reaches HAProxy. */
  @Test
  void decodeRefusesWhatHaproxyWouldNotTake() {
    Buffer good = Actions.create().setVar(Scope.TXN, "score", 42).unsetVar(Scope.SESS, "x").encoded();
    assertEquals(Actions.create().setVar(Scope.TXN, "score", 42).unsetVar(Scope.SESS, "x").list(), Actions.decode(good).list());
    String[][] bad = {
        {"010307" + "0178" + "022a", "action 0: unknown variable scope 7"},
        {"010302" + "0178" + "022a" + "030302" + "0178" + "022a", "action 1: unknown action type 3 with 3 arguments"},
        {"010202" + "0178", "action 0: unknown action type 1 with 2 arguments"},
        {"020302" + "0178" + "022a", "action 0: unknown action type 2 with 3 arguments"},
        {"010302" + "0178" + "0a00", "reserved data type 10"},
        {"010302" + "0178", "frame ends inside"},
        {"010302" + "0129" + "022a", "action 0: invalid character ')' in variable name ')'"},
        {"010302" + "29" + "6e".repeat(41) + "022a", "action 0: variable name '" + "n".repeat(41) + "' has 41 characters"},
    };
    for (String[] c : bad) {
      io.spoavertx.codec.SpopException e = assertThrows(io.spoavertx.codec.SpopException.class,
          () -> Actions.decode(Buffer.buffer(HexFormat.of().parseHex(c[0]))), c[0]);
      assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
    }
  }

  @Test
  void setVarAndUnsetVarWireFormat() {
    Actions a = Actions.create().setVar(Scope.TXN, "score", 42).unsetVar(Scope.SESS, "x");
    // 01 03 <scope 2> <name> <INT32 42>  then  02 02 <scope 1> <name>
    assertEquals("010302" + "0573636f7265" + "022a" + "020201" + "0178", HexFormat.of().formatHex(a.encoded().getBytes()));
    assertEquals(2, a.size());
  }

  @Test
  void writeToAppendsWhatEncodedHolds() {
    Actions a = Actions.create().setVar(Scope.TXN, "score", 42L).setVar(Scope.REQ, "deny", false).unsetVar(Scope.SESS, "x");
    Buffer out = Buffer.buffer().appendString("head");
    a.writeTo(out);
    assertEquals("head" + HexFormat.of().formatHex(a.encoded().getBytes()),
        out.getString(0, 4) + HexFormat.of().formatHex(out.getBytes(4, out.length())));
    assertEquals(a.encoded().length(), a.encodedLength());
    assertEquals(out.length() - 4, a.encodedLength());
  }

  @Test
  void growsPastItsFirstArrayAndKeepsEveryAction() {
    Actions a = Actions.create();
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      a.setVar(Scope.TXN, "v" + i, "x".repeat(i * 7)); // up to 343 B: two-byte lengths too
      Buffer one = Buffer.buffer();
      io.spoavertx.codec.SpopWriter.beginSetVar(one, Scope.TXN.code(), "v" + i);
      io.spoavertx.codec.SpopWriter.writeString(one, "x".repeat(i * 7));
      hex.append(HexFormat.of().formatHex(one.getBytes()));
    }
    assertEquals(50, a.size());
    assertEquals(hex.toString(), HexFormat.of().formatHex(a.encoded().getBytes()));
    assertEquals(50, a.list().size());
  }

  @Test
  void everySetterEncodesAsSpopWriterDoes() throws UnknownHostException {
    Buffer want = Buffer.buffer();
    Actions a = Actions.create();
    a.setVar(Scope.PROC, "i", -7);
    io.spoavertx.codec.SpopWriter.beginSetVar(want, 0, "i");
    io.spoavertx.codec.SpopWriter.writeInt32(want, -7);
    a.setVar(Scope.SESS, "l", Long.MIN_VALUE);
    io.spoavertx.codec.SpopWriter.beginSetVar(want, 1, "l");
    io.spoavertx.codec.SpopWriter.writeInt64(want, Long.MIN_VALUE);
    a.setVar(Scope.TXN, "t", true);
    io.spoavertx.codec.SpopWriter.beginSetVar(want, 2, "t");
    io.spoavertx.codec.SpopWriter.writeBool(want, true);
    a.setVar(Scope.REQ, "s", "héllo 日本 \uD83D\uDE00");
    io.spoavertx.codec.SpopWriter.beginSetVar(want, 3, "s");
    io.spoavertx.codec.SpopWriter.writeString(want, "héllo 日本 \uD83D\uDE00");
    a.setVar(Scope.RES, "v4", InetAddress.getByName("192.0.2.1"));
    io.spoavertx.codec.SpopWriter.beginSetVar(want, 4, "v4");
    io.spoavertx.codec.SpopWriter.writeAddress(want, InetAddress.getByName("192.0.2.1"));
    a.setVar(Scope.TXN, "v6", InetAddress.getByName("2001:db8::1"));
    io.spoavertx.codec.SpopWriter.beginSetVar(want, 2, "v6");
    io.spoavertx.codec.SpopWriter.writeAddress(want, InetAddress.getByName("2001:db8::1"));
    a.setVar(Scope.TXN, "b", Buffer.buffer(new byte[] {1, 2, 3}));
    io.spoavertx.codec.SpopWriter.beginSetVar(want, 2, "b");
    io.spoavertx.codec.SpopWriter.writeBinary(want, Buffer.buffer(new byte[] {1, 2, 3}));
    a.setVar(Scope.TXN, "e", new byte[0]);
    io.spoavertx.codec.SpopWriter.beginSetVar(want, 2, "e");
    io.spoavertx.codec.SpopWriter.writeBinary(want, new byte[0]);
    a.setVarUint32(Scope.TXN, "u", 0xFFFFFFFFL);
    io.spoavertx.codec.SpopWriter.beginSetVar(want, 2, "u");
    io.spoavertx.codec.SpopWriter.writeUint32(want, 0xFFFFFFFFL);
    a.setVarUint64(Scope.TXN, "u64", -1L);
    io.spoavertx.codec.SpopWriter.beginSetVar(want, 2, "u64");
    io.spoavertx.codec.SpopWriter.writeUint64(want, -1L);
    a.unsetVar(Scope.TXN, "gone");
    io.spoavertx.codec.SpopWriter.writeUnsetVar(want, 2, "gone");
    assertEquals(HexFormat.of().formatHex(want.getBytes()), HexFormat.of().formatHex(a.encoded().getBytes()));
    assertEquals(11, a.size());
  }

  @Test
  void noneIsEmptyAndShared() {
    assertEquals(0, Actions.none().encodedLength());
    assertEquals(0, Actions.none().encoded().length());
    assertEquals(0, Actions.none().size());
    assertEquals("Actions[]", Actions.none().toString());
    Buffer out = Buffer.buffer("x");
    Actions.none().writeTo(out);
    assertEquals(1, out.length());
    assertEquals(Actions.none(), Actions.none());
  }

  @Test
  void decodeKeepsACopyOfTheBytes() {
    Buffer wire = Buffer.buffer(Actions.create().setVar(Scope.TXN, "a", 1).encoded().getBytes());
    Actions decoded = Actions.decode(wire);
    wire.setByte(wire.length() - 1, (byte) 2); // the event-bus buffer, reused
    assertEquals("Actions[SetVar[scope=TXN, name=a, type=INT32, value=1]]", decoded.toString());
    assertThrows(IllegalStateException.class, () -> decoded.setVar(Scope.TXN, "b", 1), "decoded lists are frozen");
  }

  @Test
  void encodedOfAListStillBeingBuiltIsASnapshot() {
    Actions a = Actions.create().setVar(Scope.TXN, "a", 1);
    Buffer first = a.encoded();
    a.setVar(Scope.TXN, "b", 2);
    assertEquals("010302016102" + "01", HexFormat.of().formatHex(first.getBytes()));
    assertEquals(2, Actions.decode(a.encoded()).size());
    Buffer frozen = a.freeze().encoded();
    assertEquals(frozen.length(), a.encodedLength());
    assertEquals(a.encoded(), frozen);
  }

  @Test
  void aFailedSetterLeavesTheListAsItWas() {
    Actions a = Actions.create().setVar(Scope.TXN, "a", 1);
    String before = HexFormat.of().formatHex(a.encoded().getBytes());
    assertThrows(IllegalArgumentException.class, () -> a.setVar(Scope.TXN, "a-b", "v"));
    assertThrows(NullPointerException.class, () -> a.setVar(Scope.TXN, "b", (String) null));
    assertThrows(IllegalArgumentException.class, () -> a.setVarUint32(Scope.TXN, "u", -1));
    assertEquals(before, HexFormat.of().formatHex(a.encoded().getBytes()));
    assertEquals(1, a.size());
  }

  @Test
  void frozenActionsCannotChange() {
    Actions a = Actions.create().setVar(Scope.TXN, "a", true).freeze();
    assertThrows(IllegalStateException.class, () -> a.setVar(Scope.TXN, "b", 1));
    assertThrows(IllegalStateException.class, () -> Actions.none().setVar(Scope.TXN, "b", 1));
    assertThrows(IllegalStateException.class, () -> a.setVar(Scope.TXN, "b", (String) null), "frozen comes first");
    assertThrows(IllegalArgumentException.class, () -> Actions.create().setVar(Scope.TXN, "-", (byte[]) null));
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
