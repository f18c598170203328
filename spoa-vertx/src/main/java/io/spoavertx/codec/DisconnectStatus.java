package io.spoavertx.codec;

/** SPOP status codes carried by DISCONNECT frames (doc/SPOE.txt, "Errors & timeouts"). */
public enum DisconnectStatus {
  NORMAL(0, "normal"),
  IO_ERROR(1, "I/O error"),
  TIMEOUT(2, "a timeout occurred"),
  FRAME_TOO_BIG(3, "frame is too big"),
  INVALID_FRAME(4, "invalid frame received"),
  VERSION_NOT_FOUND(5, "version value not found"),
  MAX_FRAME_SIZE_NOT_FOUND(6, "max-frame-size value not found"),
  CAPABILITIES_NOT_FOUND(7, "capabilities value not found"),
  UNSUPPORTED_VERSION(8, "unsupported version"),
  BAD_MAX_FRAME_SIZE(9, "max-frame-size too big or too small"),
  FRAGMENTATION_NOT_SUPPORTED(10, "payload fragmentation is not supported"),
  INTERLACED_FRAMES(11, "invalid interlaced frames"),
  FRAME_ID_NOT_FOUND(12, "frame-id not found"),
  RESOURCE_ALLOCATION_ERROR(13, "resource allocation error"),
  UNKNOWN(99, "an unknown error occurrred");

  private final int code;
  private final String reason;

  DisconnectStatus(int code, String reason) {
    this.code = code;
    this.reason = reason;
  }

  public int code() {
    return code;
  }

  /** The default human-readable message HAProxy uses for this status. */
  public String reason() {
    return reason;
  }

  public static DisconnectStatus fromCode(long code) {
    for (DisconnectStatus s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    return UNKNOWN;
  }
}
