package io.spoavertx.testing;

/** Scope of a variable set or unset by an ACK action, with its wire code. */
public enum VarScope {
  /** {@code proc}: the process, code 0. */
  PROC(0),
  /** {@code sess}: the session, code 1. */
  SESS(1),
  /** {@code txn}: the transaction, code 2. */
  TXN(2),
  /** {@code req}: the request, code 3. */
  REQ(3),
  /** {@code res}: the response, code 4. */
  RES(4);

  private final int code;

  VarScope(int code) {
    this.code = code;
  }

  /** {@return the wire code, 0..4} */
  public int code() {
    return code;
  }

  /**
   * The scope for a wire code.
   *
   * @param code the wire code, 0..4
   * @return the scope
   * @throws IllegalArgumentException if the code is unknown
   */
  public static VarScope fromCode(int code) {
    if (code < 0 || code > 4) {
      throw new IllegalArgumentException("unknown variable scope " + code);
    }
    return values()[code];
  }

  /** {@return HAProxy's lower-case name: proc, sess, txn, req or res} */
  public String haproxyName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
