package io.spoavertx.handler;

/** Variable scopes of SET-VAR / UNSET-VAR actions (doc/SPOE.txt 3.3.2). */
public enum Scope {
  PROC(0), SESS(1), TXN(2), REQ(3), RES(4);

  private static final Scope[] BY_CODE = values(); // in code order

  private final int code;

  Scope(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static Scope fromCode(int code) {
    if (code < 0 || code > 4) {
      throw new IllegalArgumentException("unknown variable scope " + code);
    }
    return BY_CODE[code];
  }
}
