package io.spoavertx.codec;

/** SPOP frame type codes (doc/SPOE.txt 3.2.2). */
public final class FrameType {
  /** Continuation of a fragmented frame. */
  public static final int UNSET = 0;
  public static final int HAPROXY_HELLO = 1;
  public static final int HAPROXY_DISCONNECT = 2;
  public static final int NOTIFY = 3;
  public static final int AGENT_HELLO = 101;
  public static final int AGENT_DISCONNECT = 102;
  public static final int ACK = 103;

  /** Frame flag: last fragment of a frame. An unfragmented frame has it set. */
  public static final int FLAG_FIN = 0x1;
  /** Frame flag: abort the frame being reassembled (implies FIN). */
  public static final int FLAG_ABORT = 0x2;

  private FrameType() {
  }

  public static String name(int type) {
    switch (type) {
      case UNSET: return "UNSET";
      case HAPROXY_HELLO: return "HAPROXY-HELLO";
      case HAPROXY_DISCONNECT: return "HAPROXY-DISCONNECT";
      case NOTIFY: return "NOTIFY";
      case AGENT_HELLO: return "AGENT-HELLO";
      case AGENT_DISCONNECT: return "AGENT-DISCONNECT";
      case ACK: return "ACK";
      default: return "UNKNOWN(" + type + ")";
    }
  }
}
