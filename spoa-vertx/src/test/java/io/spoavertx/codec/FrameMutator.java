package io.spoavertx.codec;

import io.spoavertx.testing.GoldenFrames;
import io.spoavertx.testing.HelloOptions;
import io.spoavertx.testing.Message;
import io.spoavertx.testing.SpopClientCodec;
import io.spoavertx.testing.TypedValue;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded generator of bad (and some good) SPOP byte streams for fuzzing: mutations of the golden
 * frames captured from real HAProxy and of frames built with the fixtures' codec (bit flips,
 * interesting bytes, truncations, length rewrites, inserted, deleted and duplicated ranges,
 * concatenations), plus plain random bytes. Reproducible: the same seed gives the same streams.
 */
public final class FrameMutator {

  /** Frames HAProxy would send, whole, length prefix included. */
  public static final List<Buffer> CORPUS = corpus();

  private static final int[] INTERESTING_BYTES = {
      0x00, 0x01, 0x02, 0x03, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11,
      0x3a, 0x65, 0x66, 0x67, 0x7f, 0x80, 0x81, 0xef, 0xf0, 0xf1, 0xfe, 0xff};

  private final SplittableRandom rnd;
  private final int maxFrameSize;

  public FrameMutator(long seed, int maxFrameSize) {
    this.rnd = new SplittableRandom(seed);
    this.maxFrameSize = maxFrameSize;
  }

  public SplittableRandom random() {
    return rnd;
  }

  /** A whole corpus frame, unmodified (a copy). */
  public Buffer pristine() {
    return CORPUS.get(rnd.nextInt(CORPUS.size())).copy();
  }

  /** A byte stream: usually one mutated frame, sometimes several frames, sometimes noise. */
  public Buffer next() {
    int pick = rnd.nextInt(100);
    if (pick < 5) {
      return randomBytes(rnd.nextInt(64));
    }
    if (pick < 20) {
      Buffer out = Buffer.buffer();
      int n = 2 + rnd.nextInt(3);
      for (int i = 0; i < n; i++) {
        out.appendBuffer(rnd.nextInt(3) == 0 ? pristine() : mutate(pristine()));
      }
      return out;
    }
    return mutate(pristine());
  }

  /** One (mostly) to three stacked mutations of {@code frame}; the length prefix is often fixed up after. */
  public Buffer mutate(Buffer frame) {
    Buffer b = frame;
    int n = rnd.nextInt(10) < 6 ? 1 : 2 + rnd.nextInt(2);
    boolean lengthRewritten = false;
    for (int i = 0; i < n; i++) {
      switch (rnd.nextInt(9)) {
        case 0 -> b = flipBits(b);
        case 1 -> b = setInterestingBytes(b);
        case 2 -> b = truncate(b);
        case 3 -> {
          b = rewriteLength(b);
          lengthRewritten = true;
        }
        case 4 -> b = insert(b);
        case 5 -> b = delete(b);
        case 6 -> b = duplicate(b);
        case 7 -> b = setVarint(b);
        default -> b = setTypeByte(b);
      }
    }
    // Most mutations make the length prefix wrong, so the parser alone would see them: fix it up
    // most of the time so that the header and payload decoders get the mutated content.
    if (!lengthRewritten && b.length() >= 4 && rnd.nextInt(10) < 7) {
      b.setInt(0, b.length() - 4);
    }
    return b;
  }

  /** Splits {@code stream} into 1 to 5 chunks at random positions (reads as TCP may deliver them). */
  public List<Buffer> split(Buffer stream) {
    List<Buffer> out = new ArrayList<>();
    int parts = 1 + rnd.nextInt(5);
    int pos = 0;
    for (int i = 1; i < parts && pos < stream.length(); i++) {
      int cut = pos + rnd.nextInt(stream.length() - pos + 1);
      out.add(stream.getBuffer(pos, cut));
      pos = cut;
    }
    out.add(stream.getBuffer(pos, stream.length()));
    return out;
  }

  public Buffer randomBytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) rnd.nextInt(256);
    }
    return Buffer.buffer(b);
  }

  private Buffer flipBits(Buffer b) {
    if (b.length() == 0) {
      return b;
    }
    int n = 1 + rnd.nextInt(8);
    for (int i = 0; i < n; i++) {
      int at = rnd.nextInt(b.length());
      b.setByte(at, (byte) (b.getByte(at) ^ (1 << rnd.nextInt(8))));
    }
    return b;
  }

  private Buffer setInterestingBytes(Buffer b) {
    if (b.length() == 0) {
      return b;
    }
    int n = 1 + rnd.nextInt(4);
    for (int i = 0; i < n; i++) {
      b.setByte(rnd.nextInt(b.length()), (byte) INTERESTING_BYTES[rnd.nextInt(INTERESTING_BYTES.length)]);
    }
    return b;
  }

  /** The low nibble of a byte set to a reserved type code (10-15), keeping its flags nibble. */
  private Buffer setTypeByte(Buffer b) {
    if (b.length() <= 9) {
      return setInterestingBytes(b);
    }
    int at = 9 + rnd.nextInt(b.length() - 9);
    b.setByte(at, (byte) ((b.getByte(at) & 0xF0) | (10 + rnd.nextInt(6))));
    return b;
  }

  private Buffer truncate(Buffer b) {
    return b.length() == 0 ? b : b.getBuffer(0, rnd.nextInt(b.length()));
  }

  private Buffer rewriteLength(Buffer b) {
    if (b.length() < 4) {
      return b;
    }
    long actual = b.length() - 4L;
    long[] choices = {0, 1, 6, 7, 8, actual - 1, actual + 1, actual + 100, maxFrameSize, maxFrameSize + 1L,
        0x7FFFFFFFL, 0xFFFFFFFFL, rnd.nextLong(0x1_0000_0000L), 0x47455420L /* "GET " */};
    long v = Math.max(0, choices[rnd.nextInt(choices.length)]);
    b.setUnsignedInt(0, v & 0xFFFFFFFFL);
    return b;
  }

  private Buffer insert(Buffer b) {
    int at = rnd.nextInt(b.length() + 1);
    Buffer out = Buffer.buffer(b.length() + 16);
    out.appendBuffer(b, 0, at).appendBuffer(randomBytes(1 + rnd.nextInt(16))).appendBuffer(b, at, b.length() - at);
    return out;
  }

  private Buffer delete(Buffer b) {
    if (b.length() < 2) {
      return b;
    }
    int from = rnd.nextInt(b.length());
    int to = Math.min(b.length(), from + 1 + rnd.nextInt(16));
    Buffer out = Buffer.buffer(b.length());
    out.appendBuffer(b, 0, from).appendBuffer(b, to, b.length() - to);
    return out;
  }

  private Buffer duplicate(Buffer b) {
    if (b.length() == 0) {
      return b;
    }
    int from = rnd.nextInt(b.length());
    int to = Math.min(b.length(), from + 1 + rnd.nextInt(32));
    Buffer out = Buffer.buffer(b.length() + (to - from));
    out.appendBuffer(b, 0, to).appendBuffer(b, from, b.length() - from);
    return out;
  }

  /** Overwrites bytes at a random position with a varint: huge, long, or running past the end. */
  private Buffer setVarint(Buffer b) {
    if (b.length() <= 9) {
      return b;
    }
    Buffer v = switch (rnd.nextInt(4)) {
      case 0 -> SpopClientCodec.varint(rnd.nextLong());
      case 1 -> SpopClientCodec.varint(0xFFFFFFFFFFFFFFFFL);
      case 2 -> { // 0xff then 1-12 continuation bytes, sometimes terminated: often longer than 10 bytes
        Buffer c = Buffer.buffer().appendByte((byte) 0xFF);
        int k = 1 + rnd.nextInt(12);
        for (int i = 0; i < k; i++) {
          c.appendByte((byte) (0x80 | rnd.nextInt(128)));
        }
        yield rnd.nextBoolean() ? c.appendByte((byte) rnd.nextInt(128)) : c;
      }
      default -> SpopClientCodec.varint(b.length() + rnd.nextInt(1000)); // a length past the end
    };
    int at = 9 + rnd.nextInt(b.length() - 9);
    Buffer out = Buffer.buffer(b.length() + v.length());
    out.appendBuffer(b, 0, at).appendBuffer(v).appendBuffer(b, Math.min(b.length(), at + v.length()),
        Math.max(0, b.length() - at - v.length()));
    return out;
  }

  private static List<Buffer> corpus() {
    List<Buffer> frames = new ArrayList<>();
    for (String name : GoldenFrames.names()) {
      frames.add(GoldenFrames.load(name));
    }
    frames.add(SpopClientCodec.encodeHaproxyHello(HelloOptions.haproxy26()));
    frames.add(SpopClientCodec.encodeHaproxyDisconnect(2, "a timeout occurred"));
    frames.add(SpopClientCodec.encodeNotify(1, 1, List.of()));
    Message all = Message.of("all-types")
        .arg("null", TypedValue.nil()).arg("t", true).arg("f", false)
        .arg("i32", TypedValue.int32(-7)).arg("u32", TypedValue.uint32(0xFFFFFFFFL))
        .arg("i64", TypedValue.int64(Long.MIN_VALUE)).arg("u64", TypedValue.uint64(-1))
        .arg("v4", TypedValue.ipv4("192.0.2.1")).arg("v6", TypedValue.ipv6("2001:db8::1"))
        .arg("s", "héllo").arg("bin", new byte[] {0, 1, 2, (byte) 0xff}).arg("", "unnamed");
    frames.add(SpopClientCodec.encodeNotify(2287, 2288, List.of(all, Message.of("empty"))));
    Buffer payload = SpopClientCodec.encodeNotifyPayload(List.of(all));
    frames.add(SpopClientCodec.encodeFrame(SpopClientCodec.TYPE_NOTIFY, 0, 9, 1, payload.getBuffer(0, 20)));
    frames.add(SpopClientCodec.encodeFrame(SpopClientCodec.TYPE_UNSET, SpopClientCodec.FLAG_FIN, 9, 1,
        payload.getBuffer(20, payload.length())));
    frames.add(SpopClientCodec.encodeFrame(SpopClientCodec.TYPE_UNSET,
        SpopClientCodec.FLAG_FIN | SpopClientCodec.FLAG_ABORT, 9, 1, Buffer.buffer()));
    return List.copyOf(frames);
  }
}
