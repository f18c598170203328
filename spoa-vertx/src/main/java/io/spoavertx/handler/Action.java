package io.spoavertx.handler;

/** One action of an ACK, as read back from {@link Actions#list()}. */
public sealed interface Action permits Action.SetVar, Action.UnsetVar {

  /**
   * The variable's scope.
   *
   * @return the scope
   */
  Scope scope();

  /**
   * The variable's name, as the handler gave it (without scope and var-prefix).
   *
   * @return the name
   */
  String name();

  /**
   * SET-VAR. {@code value} is null, Boolean, Integer (INT32), Long (other integers), InetAddress,
   * String or Buffer (BINARY).
   */
  record SetVar(Scope scope, String name, DataType type, Object value) implements Action {
  }

  /** UNSET-VAR. */
  record UnsetVar(Scope scope, String name) implements Action {
  }
}
