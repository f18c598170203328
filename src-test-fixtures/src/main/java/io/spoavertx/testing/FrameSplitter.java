package io.spoavertx.testing;

import io.vertx.core.buffer.Buffer;

import java.util.function.Consumer;

/**
 * Incremental frame splitter: feed it bytes split at any position, it hands whole {@link Frame}s
 * to the consumer. The length prefix is checked against {@link #maxFrameSize()} before anything
 * is buffered for the frame. After a {@link SpopProtocolException} the splitter is unusable
 * (the stream cannot be resynchronised).
 */
public final class FrameSplitter {

  private final Consumer<Frame> handler;
  private volatile long maxFrameSize;
  private Buffer pending;
  private SpopProtocolException failure;

  /**
   * @param maxFrameSize largest accepted frame length (the 4-byte prefix value); 0 or less for no limit
   * @param handler      receives every whole frame, in order
   */
  public FrameSplitter(long maxFrameSize, Consumer<Frame> handler) {
    this.maxFrameSize = maxFrameSize;
    this.handler = handler;
  }

  /** {@return the largest accepted frame length; 0 or less for no limit} */
  public long maxFrameSize() {
    return maxFrameSize;
  }

  /**
   * Changes the limit (e.g. after the handshake negotiated a smaller size).
   *
   * @param maxFrameSize largest accepted frame length; 0 or less for no limit
   * @return this splitter
   */
  public FrameSplitter maxFrameSize(long maxFrameSize) {
    this.maxFrameSize = maxFrameSize;
    return this;
  }

  /** {@return the number of bytes buffered for an incomplete frame} */
  public int buffered() {
    return pending == null ? 0 : pending.length();
  }

  /**
   * Feeds bytes; calls the handler for each frame completed.
   *
   * @param chunk the next bytes received, split anywhere
   * @throws SpopProtocolException status 3 for a too-big frame, 4 for an impossible length or header
   */
  public void feed(Buffer chunk) {
    if (failure != null) {
      throw failure;
    }
    Buffer work;
    if (pending == null || pending.length() == 0) {
      work = chunk;
    } else {
      work = pending.appendBuffer(chunk);
    }
    int pos = 0;
    int len = work.length();
    try {
      while (len - pos >= 4) {
        long frameLen = work.getUnsignedInt(pos);
        if (maxFrameSize > 0 && frameLen > maxFrameSize) {
          throw new SpopProtocolException(SpopClientCodec.STATUS_FRAME_TOO_BIG,
              "frame length " + frameLen + " exceeds max-frame-size " + maxFrameSize);
        }
        if (frameLen < SpopClientCodec.MIN_FRAME_LENGTH || frameLen > Integer.MAX_VALUE - 8) {
          throw SpopClientCodec.invalid("impossible frame length " + frameLen);
        }
        if (len - pos - 4 < frameLen) {
          break;
        }
        int start = pos + 4;
        pos = start + (int) frameLen;
        handler.accept(SpopClientCodec.decodeFrame(work.slice(start, pos)));
      }
    } catch (SpopProtocolException e) {
      failure = e;
      pending = null;
      throw e;
    }
    pending = pos == len ? null : work.getBuffer(pos, len);
  }
}
