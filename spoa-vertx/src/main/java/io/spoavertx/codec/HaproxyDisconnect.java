package io.spoavertx.codec;

/** The KV list of a HAPROXY-DISCONNECT: why HAProxy closes the connection. */
public record HaproxyDisconnect(long statusCode, String message) {

  public static HaproxyDisconnect decode(SpopReader r) {
    long status = -1;
    String message = null;
    while (r.hasRemaining()) {
      String key = r.readString();
      Object value = r.readTypedValue();
      if ("status-code".equals(key) && value instanceof Number) {
        status = ((Number) value).longValue();
      } else if ("message".equals(key) && value instanceof String) {
        message = (String) value;
      }
    }
    return new HaproxyDisconnect(status, message);
  }
}
