package io.spoavertx.testing;

import java.util.Objects;

/**
 * One action of an ACK frame.
 *
 * @param kind  SET_VAR or UNSET_VAR
 * @param scope the variable scope
 * @param name  the variable name as sent by the agent (HAProxy adds the var-prefix)
 * @param value the value for SET_VAR, null for UNSET_VAR
 */
public record AckAction(Kind kind, VarScope scope, String name, TypedValue value) {

  /** Action types: SET-VAR (1) and UNSET-VAR (2). */
  public enum Kind {
    /** SET-VAR, code 1. */
    SET_VAR(1),
    /** UNSET-VAR, code 2. */
    UNSET_VAR(2);

    private final int code;

    Kind(int code) {
      this.code = code;
    }

    /** {@return the wire code} */
    public int code() {
      return code;
    }
  }

  /**
   * Checks that kind, scope and name are set, and that only SET_VAR has a value.
   *
   * @param kind  SET_VAR or UNSET_VAR
   * @param scope the variable scope
   * @param name  the variable name
   * @param value the value for SET_VAR, null for UNSET_VAR
   * @throws NullPointerException     if kind, scope or name is null
   * @throws IllegalArgumentException if SET_VAR has no value or UNSET_VAR has one
   */
  public AckAction {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(name, "name");
    if ((kind == Kind.SET_VAR) != (value != null)) {
      throw new IllegalArgumentException("SET_VAR needs a value, UNSET_VAR has none");
    }
  }

  /**
   * A SET-VAR action.
   *
   * @param scope the variable scope
   * @param name  the variable name
   * @param value the value
   * @return the action
   */
  public static AckAction setVar(VarScope scope, String name, TypedValue value) {
    return new AckAction(Kind.SET_VAR, scope, name, value);
  }

  /**
   * An UNSET-VAR action.
   *
   * @param scope the variable scope
   * @param name  the variable name
   * @return the action
   */
  public static AckAction unsetVar(VarScope scope, String name) {
    return new AckAction(Kind.UNSET_VAR, scope, name, null);
  }

  /** For example {@code set-var(txn.score, INT32:42)} or {@code unset-var(txn.score)}. */
  @Override
  public String toString() {
    return kind == Kind.SET_VAR
        ? "set-var(" + scope.haproxyName() + "." + name + ", " + value + ")"
        : "unset-var(" + scope.haproxyName() + "." + name + ")";
  }
}
