package io.spoavertx.handler;

/** SPOP data types of message arguments and variable values (doc/SPOE.txt 3.1). */
public enum DataType {
  /** NULL (code 0): no value, e.g. a sample HAProxy could not fetch. */
  NULL,
  /** Boolean (code 1): the value is the flag bit 0x10 of the type byte. */
  BOOL,
  /** 32-bit signed integer (code 2), as a varint. */
  INT32,
  /** 32-bit unsigned integer (code 3), as a varint. */
  UINT32,
  /** 64-bit signed integer (code 4), as a varint. */
  INT64,
  /** 64-bit unsigned integer (code 5), as a varint. */
  UINT64,
  /** IPv4 address (code 6): 4 bytes. */
  IPV4,
  /** IPv6 address (code 7): 16 bytes. */
  IPV6,
  /** String (code 8): a varint length, then the bytes, read as UTF-8 text. */
  STRING,
  /** Binary (code 9): a varint length, then the bytes. */
  BINARY;

  /**
   * The wire code (low nibble of the type byte).
   *
   * @return the code, 0 to 9
   */
  public int code() {
    return ordinal();
  }

  private static final DataType[] BY_CODE = values();

  /**
   * The type of a wire code: {@code fromCode(t.code()) == t}.
   *
   * @param code a type code, 0 to 9 (codes 10 to 15 are reserved)
   * @return the type
   * @throws ArrayIndexOutOfBoundsException if {@code code} is not 0 to 9
   */
  public static DataType fromCode(int code) {
    return BY_CODE[code]; // values() would clone the array on every call
  }

  /**
   * Whether this is one of the four integer types.
   *
   * @return true for INT32, UINT32, INT64 and UINT64
   */
  public boolean isInteger() {
    return this == INT32 || this == UINT32 || this == INT64 || this == UINT64;
  }
}
