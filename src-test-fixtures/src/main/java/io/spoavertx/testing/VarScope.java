package io.spoavertx.testing;

/** Scope of a variable set or unset by an ACK action, with its wire code. */
public enum VarScope {
  PROC(0), SESS(1), TXN(2), REQ(3), RES(4);

  private final int code;

  VarScope(int code) {
    this.code = code;
  }

  /** The wire code, 0..4. */
  public int code() {
    return code;
  }

  /** The scope for a wire code; {@link IllegalArgumentException} if unknown. */
  public static VarScope fromCode(int code) {
    if (code < 0 || code > 4) {
      throw new IllegalArgumentException("unknown variable scope " + code);
    }
    return values()[code];
  }

  /** HAProxy's lower-case name: proc, sess, txn, req or res. */
  public String haproxyName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
