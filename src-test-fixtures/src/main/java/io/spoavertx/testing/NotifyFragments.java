package io.spoavertx.testing;

import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/** Cuts a NOTIFY into frames as HAProxy 2.6 fragments one (see {@link SpopTestClient#notifyFragmented}). */
final class NotifyFragments {

  private NotifyFragments() {}

  /**
   * {@return the frames, in order: a NOTIFY with FIN clear, then UNSET frames with the same ids}
   * The payload is cut every {@code fragmentSize} bytes; the last frame has FIN, or ABORT|FIN and
   * no payload if {@code abortAtEnd}. A payload that fits in one fragment still gets an empty
   * final frame.
   */
  static List<Buffer> frames(long streamId, long frameId, Buffer payload, int fragmentSize, boolean abortAtEnd) {
    List<Buffer> chunks = new ArrayList<>();
    for (int pos = 0; pos < payload.length(); pos += fragmentSize) {
      chunks.add(payload.getBuffer(pos, Math.min(payload.length(), pos + fragmentSize)));
    }
    if (chunks.isEmpty()) {
      chunks.add(Buffer.buffer());
    }
    if (chunks.size() == 1 || abortAtEnd) {
      chunks.add(Buffer.buffer());
    }
    List<Buffer> frames = new ArrayList<>(chunks.size());
    for (int i = 0; i < chunks.size(); i++) {
      boolean last = i == chunks.size() - 1;
      int flags = !last ? 0 : abortAtEnd ? SpopClientCodec.FLAG_ABORT | SpopClientCodec.FLAG_FIN : SpopClientCodec.FLAG_FIN;
      int type = i == 0 ? SpopClientCodec.TYPE_NOTIFY : SpopClientCodec.TYPE_UNSET;
      frames.add(SpopClientCodec.encodeFrame(type, flags, streamId, frameId, chunks.get(i)));
    }
    return frames;
  }
}
