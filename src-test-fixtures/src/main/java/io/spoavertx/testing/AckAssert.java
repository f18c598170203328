package io.spoavertx.testing;

import org.opentest4j.AssertionFailedError;

import java.util.Objects;

/**
 * Fluent assertions on an {@link Ack}; failures throw {@link AssertionFailedError} with the actual
 * actions in the message.
 * <pre>{@code
 * AckAssert.assertThat(ack).setsVar(VarScope.TXN, "score").withIntIn(0, 100);
 * AckAssert.assertThat(ack).setsVar(VarScope.TXN, "deny", true).unsetsVar(VarScope.TXN, "reason");
 * }</pre>
 * When a variable is set more than once, the last SET-VAR counts (HAProxy applies them in order).
 */
public final class AckAssert {

  private final Ack ack;

  private AckAssert(Ack ack) {
    this.ack = Objects.requireNonNull(ack, "ack is null");
  }

  /**
   * Starts assertions on {@code ack}.
   *
   * @param ack the ACK under test
   * @return the assertions
   */
  public static AckAssert assertThat(Ack ack) {
    return new AckAssert(ack);
  }

  /** {@return the ACK under test} */
  public Ack ack() {
    return ack;
  }

  /**
   * Asserts the ACK has no action.
   *
   * @return this
   */
  public AckAssert hasNoActions() {
    if (!ack.actions().isEmpty()) {
      throw fail("expected no actions", "[]", ack.actions().toString());
    }
    return this;
  }

  /**
   * Asserts the ACK has exactly {@code count} actions.
   *
   * @param count the expected number of actions
   * @return this
   */
  public AckAssert hasActionCount(int count) {
    if (ack.actions().size() != count) {
      throw fail("expected " + count + " actions", count, ack.actions().size());
    }
    return this;
  }

  /**
   * Asserts the ACK carries these stream-id and frame-id.
   *
   * @param streamId the expected stream-id
   * @param frameId  the expected frame-id
   * @return this
   */
  public AckAssert hasIds(long streamId, long frameId) {
    if (ack.streamId() != streamId || ack.frameId() != frameId) {
      throw fail("expected stream-id " + streamId + " frame-id " + frameId,
          streamId + "/" + frameId, ack.streamId() + "/" + ack.frameId());
    }
    return this;
  }

  /**
   * Asserts the ACK sets {@code scope.name}; continue with assertions on its value.
   *
   * @param scope the variable scope
   * @param name  the variable name
   * @return assertions on the value of its last SET-VAR
   */
  public VarAssert setsVar(VarScope scope, String name) {
    AckAction last = null;
    for (AckAction a : ack.actions()) {
      if (a.scope() == scope && a.name().equals(name)) {
        last = a;
      }
    }
    if (last == null || last.kind() != AckAction.Kind.SET_VAR) {
      throw fail("expected set-var(" + scope.haproxyName() + "." + name + ")", null, ack.actions().toString());
    }
    return new VarAssert(last.value(), scope.haproxyName() + "." + name);
  }

  /**
   * Asserts the ACK sets {@code scope.name} to exactly {@code value} (type included).
   *
   * @param scope the variable scope
   * @param name  the variable name
   * @param value the expected typed value
   * @return this
   */
  public AckAssert setsVar(VarScope scope, String name, TypedValue value) {
    return setsVar(scope, name).withValue(value).and();
  }

  /**
   * Asserts the ACK sets {@code scope.name} to BOOL {@code value}.
   *
   * @param scope the variable scope
   * @param name  the variable name
   * @param value the expected boolean
   * @return this
   */
  public AckAssert setsVar(VarScope scope, String name, boolean value) {
    return setsVar(scope, name).withValue(TypedValue.bool(value)).and();
  }

  /**
   * Asserts the ACK sets {@code scope.name} to an integer of any SPOP integer type equal to {@code value}.
   *
   * @param scope the variable scope
   * @param name  the variable name
   * @param value the expected integer
   * @return this
   */
  public AckAssert setsVar(VarScope scope, String name, long value) {
    return setsVar(scope, name).withInt(value).and();
  }

  /**
   * Asserts the ACK sets {@code scope.name} to STRING {@code value}.
   *
   * @param scope the variable scope
   * @param name  the variable name
   * @param value the expected string
   * @return this
   */
  public AckAssert setsVar(VarScope scope, String name, String value) {
    return setsVar(scope, name).withValue(TypedValue.string(value)).and();
  }

  /**
   * Asserts the ACK unsets {@code scope.name} (as its last action on that variable).
   *
   * @param scope the variable scope
   * @param name  the variable name
   * @return this
   */
  public AckAssert unsetsVar(VarScope scope, String name) {
    AckAction last = null;
    for (AckAction a : ack.actions()) {
      if (a.scope() == scope && a.name().equals(name)) {
        last = a;
      }
    }
    if (last == null || last.kind() != AckAction.Kind.UNSET_VAR) {
      throw fail("expected unset-var(" + scope.haproxyName() + "." + name + ")", null, ack.actions().toString());
    }
    return this;
  }

  /**
   * Asserts the ACK neither sets nor unsets {@code scope.name}.
   *
   * @param scope the variable scope
   * @param name  the variable name
   * @return this
   */
  public AckAssert doesNotTouchVar(VarScope scope, String name) {
    for (AckAction a : ack.actions()) {
      if (a.scope() == scope && a.name().equals(name)) {
        throw fail("expected no action on " + scope.haproxyName() + "." + name, null, ack.actions().toString());
      }
    }
    return this;
  }

  private AssertionFailedError fail(String what, Object expected, Object actual) {
    return new AssertionFailedError(what + " in " + ack, expected, actual);
  }

  /** Assertions on the value of one variable set by the ACK. */
  public final class VarAssert {
    private final TypedValue value;
    private final String var;

    private VarAssert(TypedValue value, String var) {
      this.value = value;
      this.var = var;
    }

    /** {@return the value set} */
    public TypedValue value() {
      return value;
    }

    /** {@return the ACK assertions, to go on with them} */
    public AckAssert and() {
      return AckAssert.this;
    }

    /**
     * Asserts the value is exactly this typed value (type included).
     *
     * @param expected the expected value
     * @return this
     */
    public VarAssert withValue(TypedValue expected) {
      if (!value.equals(expected)) {
        throw fail(var + " expected " + expected, expected, value);
      }
      return this;
    }

    /**
     * Asserts the value is of this type.
     *
     * @param type the expected type
     * @return this
     */
    public VarAssert withType(TypedValue.Type type) {
      if (value.type() != type) {
        throw fail(var + " expected type " + type, type, value);
      }
      return this;
    }

    /**
     * Asserts the value is an integer (any SPOP integer type) equal to {@code expected}.
     *
     * @param expected the expected integer
     * @return this
     */
    public VarAssert withInt(long expected) {
      if (!value.type().isInteger() || value.asLong() != expected) {
        throw fail(var + " expected integer " + expected, expected, value);
      }
      return this;
    }

    /**
     * Asserts the value is an integer (any SPOP integer type) within {@code [min, max]}.
     *
     * @param min the smallest accepted value
     * @param max the largest accepted value
     * @return this
     */
    public VarAssert withIntIn(long min, long max) {
      if (!value.type().isInteger() || value.asLong() < min || value.asLong() > max) {
        throw fail(var + " expected an integer in [" + min + ", " + max + "]", "[" + min + ", " + max + "]", value);
      }
      return this;
    }

    /**
     * Asserts the value is a BOOL equal to {@code expected}.
     *
     * @param expected the expected boolean
     * @return this
     */
    public VarAssert withBool(boolean expected) {
      return withValue(TypedValue.bool(expected));
    }

    /**
     * Asserts the value is a STRING equal to {@code expected}.
     *
     * @param expected the expected string
     * @return this
     */
    public VarAssert withString(String expected) {
      return withValue(TypedValue.string(expected));
    }

    private AssertionFailedError fail(String what, Object expected, Object actual) {
      return new AssertionFailedError(what + " but was " + actual + " in " + ack, expected, actual);
    }
  }
}
