package io.spoavertx.handler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.handler.BadArgumentException.Problem;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.function.Function;

/**
 * The {@code require...} accessors and record binding tell a missing argument, a NULL one and one
 * of another type apart, where the getters read null for all three: a typo in spoe.conf fails
 * loudly instead of giving defaults.
 */
class ArgumentsTest {

  /** port INT64 18080, hdrs 3, neg -42, flag true, v4, v6, blob BINARY, method STRING GET, absent NULL. */
  private static SpoeMessage meta() {
    return SpoeMessageTest.messages("haproxy-2.6.12-notify")[1];
  }

  @Test
  void requireReadsArgumentsOfTheRightType() throws Exception {
    SpoeMessage m = meta();
    assertEquals(18080, m.requireLong("port"));
    assertEquals(-42, m.requireLong("neg"));
    assertTrue(m.requireBoolean("flag"));
    assertEquals("GET", m.requireString("method"));
    assertEquals(InetAddress.getByName("192.0.2.7"), m.requireAddress("v4"));
    assertEquals(InetAddress.getByName("2001:db8::1"), m.requireAddress("v6"));
    assertEquals(Buffer.buffer(new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, (byte) 0xff}),
        m.requireBinary("blob"));
    assertEquals(Buffer.buffer("GET"), m.requireBinary("method"), "a STRING's bytes");
  }

  @Test
  void aMissingANullAndAWronglyTypedArgumentFailEachWithItsReason() {
    SpoeMessage m = meta();
    BadArgumentException missing = assertThrows(BadArgumentException.class, () -> m.requireLong("prot"));
    assertEquals(Problem.MISSING, missing.problem());
    assertEquals("check-request-meta", missing.messageName());
    assertEquals("prot", missing.argName());
    assertNull(missing.actualType());
    assertTrue(missing.getMessage().startsWith("message 'check-request-meta': argument 'prot' is missing, expected an integer"
        + " (the message has [port:INT64, hdrs:INT64,"), missing.getMessage());

    BadArgumentException wrong = assertThrows(BadArgumentException.class, () -> m.requireLong("method"));
    assertEquals(Problem.WRONG_TYPE, wrong.problem());
    assertEquals(DataType.STRING, wrong.actualType());
    assertTrue(wrong.getMessage().startsWith("message 'check-request-meta': argument 'method' is STRING, expected an integer"),
        wrong.getMessage());

    BadArgumentException nul = assertThrows(BadArgumentException.class, () -> m.requireString("absent"));
    assertEquals(Problem.NULL, nul.problem());
    assertEquals(DataType.NULL, nul.actualType());

    assertEquals(Problem.WRONG_TYPE, assertThrows(BadArgumentException.class, () -> m.requireString("blob")).problem());
    assertEquals(Problem.WRONG_TYPE, assertThrows(BadArgumentException.class, () -> m.requireAddress("port")).problem());
    assertEquals(Problem.WRONG_TYPE, assertThrows(BadArgumentException.class, () -> m.requireBoolean("v4")).problem());
    assertEquals(Problem.WRONG_TYPE, assertThrows(BadArgumentException.class, () -> m.requireBinary("flag")).problem());
    assertEquals(0, missing.getStackTrace().length, "no stack trace: a wrong spoe.conf fails every message");
    // the getters still read null for all three
    assertNull(m.getLong("prot"));
    assertNull(m.getLong("method"));
    assertNull(m.getString("absent"));
  }

  @Test
  void argNameEqualsComparesInPlace() {
    SpoeMessage m = meta();
    assertTrue(m.argNameEquals(0, "port"));
    assertFalse(m.argNameEquals(0, "por"));
    assertTrue(m.argNameEquals(7, "method"));
    assertTrue(m.argNameEquals(1, "hdrs"));
    assertThrows(IndexOutOfBoundsException.class, () -> m.argNameEquals(9, "x"));
  }

  /** Component names in camelCase read kebab-case arguments; reference components may be absent. */
  public record Meta(long port, int hdrs, boolean flag, InetAddress v4, String method, Buffer blob, byte[] blobCopy,
                     Long absent, String notSent, Object v6, long userAgentLength) {
  }

  @Test
  void aRecordBindsComponentsToArgumentsByName() throws Exception {
    SpoeMessage m = SpoeMessage.builder("meta").arg("port", 18080L).arg("hdrs", 3L).arg("flag", true)
        .arg("v4", InetAddress.getByName("192.0.2.7")).arg("method", "GET").arg("blob", new byte[] {1, 2})
        .arg("blob-copy", new byte[] {3}).arg("absent", null).arg("v6", InetAddress.getByName("::1"))
        .arg("user-agent-length", 42L).build();
    Meta meta = m.bind(Meta.class);
    assertEquals(18080, meta.port());
    assertEquals(3, meta.hdrs());
    assertTrue(meta.flag());
    assertEquals(InetAddress.getByName("192.0.2.7"), meta.v4());
    assertEquals("GET", meta.method());
    assertEquals(Buffer.buffer(new byte[] {1, 2}), meta.blob());
    assertArrayEquals(new byte[] {3}, meta.blobCopy());
    assertNull(meta.absent(), "NULL: null");
    assertNull(meta.notSent(), "absent: null");
    assertEquals(InetAddress.getByName("::1"), meta.v6());
    assertEquals(42, meta.userAgentLength(), "userAgentLength reads user-agent-length");
  }

  public record Port(long port) {
  }

  public record Narrow(int port) {
  }

  public record Host(String host) {
  }

  @Test
  void aRecordThatDoesNotFitTheMessageFailsWithBadArguments() {
    SpoeMessage noPort = SpoeMessage.builder("m").arg("addr", "x").build();
    BadArgumentException missing = assertThrows(BadArgumentException.class, () -> noPort.bind(Port.class));
    assertEquals(Problem.MISSING, missing.problem());
    assertEquals("port", missing.argName());

    SpoeMessage textPort = SpoeMessage.builder("m").arg("port", "80").build();
    assertEquals(Problem.WRONG_TYPE, assertThrows(BadArgumentException.class, () -> textPort.bind(Port.class)).problem());
    SpoeMessage nullPort = SpoeMessage.builder("m").arg("port", null).build();
    assertEquals(Problem.NULL, assertThrows(BadArgumentException.class, () -> nullPort.bind(Port.class)).problem(),
        "a primitive component needs a value");
    SpoeMessage big = SpoeMessage.builder("m").arg("port", 1L << 40).build();
    BadArgumentException range = assertThrows(BadArgumentException.class, () -> big.bind(Narrow.class));
    assertTrue(range.getMessage().contains("out of the range"), range.getMessage());
    SpoeMessage numericHost = SpoeMessage.builder("m").arg("host", 7L).build();
    assertEquals(Problem.WRONG_TYPE, assertThrows(BadArgumentException.class, () -> numericHost.bind(Host.class)).problem(),
        "an optional component of another type is still wrong");
  }

  public record Unsupported(java.time.Duration d) {
  }

  @Test
  void aRecordWithAComponentNoArgumentMapsToIsRefusedWhenTheHandlerIsMade() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SpoeHandler.bound(Unsupported.class, (args, m, a) -> { }));
    assertTrue(e.getMessage().contains("component 'd'"), e.getMessage());
  }

  /** The argument names are matched once per message name; a later spelling change is still followed. */
  @Test
  void namesAreMatchedOncePerMessageName() {
    ArgsBinder<Meta2> binder = ArgsBinder.of(Meta2.class);
    assertSame(binder, ArgsBinder.of(Meta2.class), "one binder per record class");
    Function<String, SpoeMessage> kebab = name -> SpoeMessage.builder(name).arg("user-agent", "ua").build();
    assertEquals("ua", kebab.apply("a").bind(Meta2.class).userAgent());
    assertEquals(1, binder.messageNamesMatched());
    assertEquals("ua", kebab.apply("a").bind(Meta2.class).userAgent());
    assertEquals(1, binder.messageNamesMatched(), "the same message name: matched already");
    assertEquals("ub", SpoeMessage.builder("a").arg("user_agent", "ub").build().bind(Meta2.class).userAgent(),
        "another spelling under the same name is found");
    assertEquals("uc", SpoeMessage.builder("b").arg("userAgent", "uc").build().bind(Meta2.class).userAgent());
    assertEquals(2, binder.messageNamesMatched());
  }

  public record Meta2(String userAgent) {
  }

  @Test
  void boundHandlersGetTheRecord() throws Exception {
    SyncSpoeHandler h = (SyncSpoeHandler) SpoeHandler.bound(Port.class,
        (args, m, actions) -> actions.setVar(Scope.TXN, "port", args.port() + 1));
    Actions actions = Actions.create();
    h.sync().handle(SpoeMessage.builder("m").arg("port", 79L).build(), actions);
    assertEquals(80L, actions.list().get(0) instanceof Action.SetVar s ? s.value() : null);
    assertThrows(BadArgumentException.class, () -> h.sync().handle(SpoeMessage.builder("m").build(), Actions.create()));
  }
}
