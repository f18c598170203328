package io.spoavertx.config;

/** Validation helpers; messages start with the key so the loader can prefix the parent path. */
final class Check {

  private Check() {
  }

  static <T> T orDefault(T value, T defaultValue) {
    return value == null ? defaultValue : value;
  }

  static int range(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(key + ": must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  static long positive(String key, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(key + ": must be positive, got " + value);
    }
    return value;
  }

  static long nonNegative(String key, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(key + ": must not be negative, got " + value);
    }
    return value;
  }
}
