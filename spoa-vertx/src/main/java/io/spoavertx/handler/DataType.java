package io.spoavertx.handler;

/** SPOP data types of message arguments and variable values (doc/SPOE.txt 3.1). */
public enum DataType {
  NULL, BOOL, INT32, UINT32, INT64, UINT64, IPV4, IPV6, STRING, BINARY;

  /** The wire code (low nibble of the type byte). */
  public int code() {
    return ordinal();
  }

  private static final DataType[] BY_CODE = values();

  public static DataType fromCode(int code) {
    return BY_CODE[code]; // values() would clone the array on every call
  }

  public boolean isInteger() {
    return this == INT32 || this == UINT32 || this == INT64 || this == UINT64;
  }
}
