package io.spoavertx.codec;

/**
 * The header of one frame, decoded in place by a connection (mutable, reused: never shared).
 * {@link #read} leaves the reader at the first payload byte.
 */
public final class FrameHeader {

  public int type;
  public int flags;
  public long streamId;
  public long frameId;

  public FrameHeader read(SpopReader reader) {
    type = reader.readU8();
    flags = reader.readInt();
    streamId = reader.readVarint();
    frameId = reader.readVarint();
    return this;
  }

  public boolean fin() {
    return (flags & FrameType.FLAG_FIN) != 0;
  }

  public boolean abort() {
    return (flags & FrameType.FLAG_ABORT) != 0;
  }

  @Override
  public String toString() {
    return FrameType.name(type) + " flags=" + flags + " sid=" + Long.toUnsignedString(streamId)
        + " fid=" + Long.toUnsignedString(frameId);
  }
}
