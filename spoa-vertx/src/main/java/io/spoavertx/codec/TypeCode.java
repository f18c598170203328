package io.spoavertx.codec;

/**
 * Typed-data type codes: the low nibble of the type byte; the high nibble holds flags, of which
 * only BOOL uses one (its value). Codes 10 to 15 are reserved (doc/SPOE.txt 3.1).
 */
public final class TypeCode {
  public static final int NULL = 0;
  public static final int BOOL = 1;
  public static final int INT32 = 2;
  public static final int UINT32 = 3;
  public static final int INT64 = 4;
  public static final int UINT64 = 5;
  public static final int IPV4 = 6;
  public static final int IPV6 = 7;
  public static final int STRING = 8;
  public static final int BINARY = 9;

  /** Type byte of BOOL true: type 1 with the value flag 0x10. */
  public static final int BOOL_TRUE = 0x11;

  private TypeCode() {
  }
}
