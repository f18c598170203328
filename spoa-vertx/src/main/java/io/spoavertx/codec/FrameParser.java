package io.spoavertx.codec;

import io.vertx.core.buffer.Buffer;

/**
 * Splits an incoming byte stream into SPOP frames. Input may be split at any byte and hold many
 * frames; a complete frame is handed over as a range of the buffer it arrived in, so no payload
 * byte is copied. Only a partial frame at the end of a read is kept, and it is copied once when the
 * next read arrives. The length is checked against max-frame-size before anything is kept for it
 * (doc/SPOE.txt 3.2.1: frames larger than max-frame-size are rejected).
 *
 * <p>The parser can be paused (backpressure): it stops handing over frames, keeps what it holds
 * and goes on from there on {@link #resume()}.
 */
public final class FrameParser {

  /** type (1) + flags (4) + stream-id (>= 1) + frame-id (>= 1). */
  public static final int MIN_FRAME_LENGTH = 7;

  /** Receives frames and the error that stops the parser. */
  public interface Handler {
    /** A whole frame: bytes {@code [start, end)} of {@code buf}, the 4-byte length excluded. */
    void frame(Buffer buf, int start, int end);

    /** The stream is not SPOP or breaks the frame size; no frame follows. */
    void frameError(SpopException error);
  }

  private final Handler handler;
  private int maxFrameSize;
  private Buffer buf;
  private int pos;
  private boolean paused;
  private boolean failed;
  private boolean processing;

  public FrameParser(int maxFrameSize, Handler handler) {
    this.maxFrameSize = maxFrameSize;
    this.handler = handler;
  }

  /** Changes the limit, e.g. once HELLO has negotiated a smaller max-frame-size. */
  public void maxFrameSize(int maxFrameSize) {
    this.maxFrameSize = maxFrameSize;
  }

  public void handle(Buffer data) {
    if (failed) {
      return;
    }
    if (buf == null) {
      buf = data;
      pos = 0;
    } else {
      // A partial frame (or paused input) is pending: join it with the new bytes. The old buffer
      // may be referenced by frames already handed over, so it is never written to.
      int remaining = buf.length() - pos;
      Buffer joined = Buffer.buffer(remaining + data.length());
      joined.appendBuffer(buf, pos, remaining).appendBuffer(data);
      buf = joined;
      pos = 0;
    }
    process();
  }

  public void pause() {
    paused = true;
  }

  public void resume() {
    if (paused) {
      paused = false;
      process();
    }
  }

  public boolean isPaused() {
    return paused;
  }

  /** Stops the parser for good: nothing more is handed over. */
  public void stop() {
    failed = true;
    buf = null;
  }

  /** Bytes held for a partial frame or while paused. */
  public int buffered() {
    return buf == null ? 0 : buf.length() - pos;
  }

  private void process() {
    if (processing) {
      return; // resume() called from inside frame(): the running loop goes on
    }
    processing = true;
    try {
      while (!paused && !failed && buf != null) {
        int avail = buf.length() - pos;
        if (avail < 4) {
          break;
        }
        long len = buf.getUnsignedInt(pos);
        if (len > maxFrameSize) {
          fail(new SpopException(DisconnectStatus.FRAME_TOO_BIG,
              "frame length " + len + " exceeds max-frame-size " + maxFrameSize));
          return;
        }
        if (len < MIN_FRAME_LENGTH) {
          fail(new SpopException(DisconnectStatus.INVALID_FRAME,
              "frame length " + len + " is shorter than a frame header"));
          return;
        }
        if (avail - 4 < len) {
          break;
        }
        int start = pos + 4;
        pos = start + (int) len;
        handler.frame(buf, start, pos);
      }
      if (buf != null && pos >= buf.length()) {
        buf = null;
      }
    } finally {
      processing = false;
    }
  }

  private void fail(SpopException e) {
    failed = true;
    buf = null;
    handler.frameError(e);
  }
}
