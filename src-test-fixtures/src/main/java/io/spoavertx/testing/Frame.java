package io.spoavertx.testing;

import io.vertx.core.buffer.Buffer;

/**
 * One SPOP frame, without its 4-byte length prefix.
 *
 * @param type     frame type (see {@code SpopClientCodec.TYPE_*})
 * @param flags    frame flags ({@link SpopClientCodec#FLAG_FIN}, {@link SpopClientCodec#FLAG_ABORT})
 * @param streamId the stream-id
 * @param frameId  the frame-id
 * @param payload  the payload (may be a view on the received bytes: do not append to it)
 */
public record Frame(int type, int flags, long streamId, long frameId, Buffer payload) {

  /** {@return true if the FIN flag is set} */
  public boolean fin() {
    return (flags & SpopClientCodec.FLAG_FIN) != 0;
  }

  /** {@return true if the ABORT flag is set} */
  public boolean abort() {
    return (flags & SpopClientCodec.FLAG_ABORT) != 0;
  }

  /** {@return this frame encoded, with its length prefix} */
  public Buffer encode() {
    return SpopClientCodec.encodeFrame(type, flags, streamId, frameId, payload);
  }

  @Override
  public String toString() {
    return "Frame(type=" + SpopClientCodec.typeName(type) + ", flags=0x" + Integer.toHexString(flags)
        + ", sid=" + streamId + ", fid=" + frameId + ", payload=" + payload.length() + " bytes)";
  }
}
