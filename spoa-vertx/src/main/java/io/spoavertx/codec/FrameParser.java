package io.spoavertx.codec;

import io.vertx.core.buffer.Buffer;

/**
 * Splits an incoming byte stream into SPOP frames. Input may be split at any byte and hold many
 * frames; a complete frame is handed over as a range of the buffer it arrived in, so no payload
 * byte is copied. Only a frame that straddles two reads is copied: its bytes, not the reads'. The length is checked against max-frame-size before anything is kept for it
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
  /** Input not parsed yet (paused, or within the current read). */
  private Buffer buf;
  private int pos;
  /** Whether {@link #buf} is the parser's own copy, not the caller's input. */
  private boolean bufOwned;
  /** The bytes so far of a frame that straddles reads (its length field may be incomplete). */
  private Buffer partial;
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
    int from = 0;
    if (partial != null) {
      from = completePartial(data);
      if (from < 0) {
        return; // still incomplete: every byte of data went into the partial frame
      }
    }
    if (from >= data.length()) {
      process();
      return;
    }
    if (buf == null) {
      buf = data;
      pos = from;
      bufOwned = false;
    } else {
      // Paused with frames pending and more input came (the socket pause is not instantaneous):
      // join them. The old buffer may be referenced by frames already handed over: never written.
      int remaining = buf.length() - pos;
      Buffer joined = Buffer.buffer(remaining + data.length() - from);
      joined.appendBuffer(buf, pos, remaining).appendBuffer(data, from, data.length() - from);
      buf = joined;
      pos = 0;
      bufOwned = true;
    }
    process();
  }

  /**
   * The caller is about to release or reuse the buffer it last passed to {@link #handle}: copy the
   * bytes the parser still holds from it (frames not handed over yet because it is paused). Frames
   * already handed over are the caller's business.
   */
  public void detach() {
    if (buf != null && !bufOwned) {
      int remaining = buf.length() - pos;
      Buffer own = Buffer.buffer(remaining);
      own.appendBuffer(buf, pos, remaining);
      buf = own;
      pos = 0;
      bufOwned = true;
    }
  }

  /**
   * Moves bytes from the head of {@code data} into the frame that straddled the previous read,
   * just as many as that frame needs. Returns the offset in {@code data} where the next frame
   * starts, or -1 if the partial frame is still incomplete.
   */
  private int completePartial(Buffer data) {
    int used = 0;
    if (partial.length() < 4) {
      int take = Math.min(4 - partial.length(), data.length());
      partial.appendBuffer(data, 0, take);
      used = take;
      if (partial.length() < 4) {
        return -1;
      }
      if (!checkLength(partial.getUnsignedInt(0))) {
        return -1;
      }
      long total = 4 + partial.getUnsignedInt(0);
      Buffer sized = Buffer.buffer((int) total);
      sized.appendBuffer(partial);
      partial = sized;
    }
    int total = 4 + (int) partial.getUnsignedInt(0);
    int take = Math.min(total - partial.length(), data.length() - used);
    partial.appendBuffer(data, used, take);
    used += take;
    if (partial.length() < total) {
      return -1;
    }
    Buffer frame = partial;
    partial = null;
    if (buf == null) {
      // Deliver in order: nothing else is pending, so the straddling frame comes first.
      buf = frame;
      pos = 0;
      bufOwned = true;
    } else {
      Buffer joined = Buffer.buffer(buf.length() - pos + frame.length());
      joined.appendBuffer(buf, pos, buf.length() - pos).appendBuffer(frame);
      buf = joined;
      pos = 0;
      bufOwned = true;
    }
    process();
    if (buf != null) {
      // paused while frames remain: keep the rest of data behind them
      Buffer joined = Buffer.buffer(buf.length() - pos + data.length() - used);
      joined.appendBuffer(buf, pos, buf.length() - pos).appendBuffer(data, used, data.length() - used);
      buf = joined;
      pos = 0;
      bufOwned = true;
      return data.length();
    }
    return used;
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
    partial = null;
  }

  /** Bytes held for a partial frame or while paused. */
  public int buffered() {
    return (buf == null ? 0 : buf.length() - pos) + (partial == null ? 0 : partial.length());
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
        if (!checkLength(len)) {
          return;
        }
        if (avail - 4 < len) {
          break;
        }
        int start = pos + 4;
        pos = start + (int) len;
        handler.frame(buf, start, pos);
      }
      if (buf != null && !paused && !failed) {
        int avail = buf.length() - pos;
        if (avail > 0) {
          // A frame straddles into the next read: copy its bytes (only them) aside.
          partial = Buffer.buffer(avail < 4 ? 16 : 4 + (int) buf.getUnsignedInt(pos));
          partial.appendBuffer(buf, pos, avail);
        }
        buf = null;
      } else if (buf != null && pos >= buf.length()) {
        buf = null;
      }
    } finally {
      processing = false;
    }
  }

  /** Checks a frame length before anything is kept for it. */
  private boolean checkLength(long len) {
    if (len > maxFrameSize) {
      fail(new SpopException(DisconnectStatus.FRAME_TOO_BIG,
          "frame length " + len + " exceeds max-frame-size " + maxFrameSize));
      return false;
    }
    if (len < MIN_FRAME_LENGTH) {
      fail(new SpopException(DisconnectStatus.INVALID_FRAME,
          "frame length " + len + " is shorter than a frame header"));
      return false;
    }
    return true;
  }

  private void fail(SpopException e) {
    failed = true;
    buf = null;
    partial = null;
    handler.frameError(e);
  }
}
