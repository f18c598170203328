package io.spoavertx.handler;

/** Variable scopes of SET-VAR / UNSET-VAR actions (doc/SPOE.txt 3.3.2). */
public enum Scope {
  /** {@code proc} (code 0): shared by the whole HAProxy process. */
  PROC(0),
  /** {@code sess} (code 1): shared by the whole session, the client connection. */
  SESS(1),
  /** {@code txn} (code 2): shared by the transaction, its request and its response. */
  TXN(2),
  /** {@code req} (code 3): seen only while the request is processed. */
  REQ(3),
  /** {@code res} (code 4): seen only while the response is processed. */
  RES(4);

  private static final Scope[] BY_CODE = values(); // in code order

  private final int code;

  Scope(int code) {
    this.code = code;
  }

  /**
   * The wire code (VAR-SCOPE of an action).
   *
   * @return the code, 0 to 4
   */
  public int code() {
    return code;
  }

  /**
   * The scope of a wire code.
   *
   * @param code a scope code
   * @return the scope
   * @throws IllegalArgumentException if {@code code} is not 0 to 4
   */
  public static Scope fromCode(int code) {
    if (code < 0 || code > 4) {
      throw new IllegalArgumentException("unknown variable scope " + code);
    }
    return BY_CODE[code];
  }
}
