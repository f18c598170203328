package io.spoavertx.testing.load;

import io.spoavertx.testing.AgentDisconnect;
import io.spoavertx.testing.AgentHello;
import io.spoavertx.testing.SpopClientCodec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

import java.util.Arrays;

/**
 * One fake-HAProxy connection: HELLO, then NOTIFYs with pre-encoded payloads, ACKs parsed in place.
 * Confined to its worker's event loop.
 *
 * <p>For speed it works on Netty's buffers through Vert.x's internal {@link NetSocketInternal}
 * (message handler and writeMessage): reads are parsed in the pooled buffers they arrive in (no
 * copy to a heap {@code Buffer}) and NOTIFYs are written into pooled direct buffers.
 */
final class LoadConnection {

  private enum State { CONNECTING, HELLO, READY, CLOSED }

  private static final int TYPE_NOTIFY = SpopClientCodec.TYPE_NOTIFY;

  final int index;
  private final LoadWorker w;
  private final LoadGenerator.Plan plan;
  private final boolean style26;
  private final int maxFrame;

  private NetSocketInternal socket;
  private ByteBufAllocator alloc;
  private State state = State.CONNECTING;
  private Promise<Void> hello;

  // in-flight slots
  private final long[] slotSid;
  private final long[] slotTime;
  private final int[] slotMsgs;
  private final int[] free;
  private int freeCount;
  private final SidMap ids;

  private int seqPos;
  private long nextOddSid = 1;
  private long nextDue;
  private long interval;

  private ByteBuf out;
  private final int outCapacity;
  private ByteBuf carry;

  // parse cursor
  private int rp;
  private boolean bad;

  LoadConnection(LoadWorker w, int index) {
    this.w = w;
    this.index = index;
    this.plan = w.plan;
    this.style26 = plan.options.helloStyle() == LoadOptions.HelloStyle.HAPROXY_2_6;
    this.maxFrame = (int) Math.min(Integer.MAX_VALUE - 8, plan.options.maxFrameSize());
    int p = plan.options.inflight();
    slotSid = new long[p];
    slotTime = new long[p];
    slotMsgs = new int[p];
    free = new int[p];
    for (int i = 0; i < p; i++) {
      free[i] = p - 1 - i;
    }
    freeCount = p;
    ids = new SidMap(p);
    int maxPayload = 0;
    for (byte[] b : plan.payloads) {
      maxPayload = Math.max(maxPayload, b.length);
    }
    outCapacity = Math.min(p, 64) * (maxPayload + 24);
    seqPos = index % plan.sequence.length;
  }

  /** Sends HELLO; completes once the AGENT-HELLO is read. */
  Future<Void> open(NetSocket netSocket) {
    NetSocketInternal socket = (NetSocketInternal) netSocket;
    this.socket = socket;
    this.alloc = socket.channelHandlerContext().alloc();
    state = State.HELLO;
    hello = Promise.promise();
    socket.messageHandler(msg -> {
      if (msg instanceof ByteBuf b) {
        onData(b);
      } else {
        ReferenceCountUtil.release(msg);
      }
    });
    socket.closeHandler(v -> onClose());
    socket.exceptionHandler(t -> w.error("connection " + index + ": " + t));
    socket.write(plan.hello.copy());
    w.vertx().setTimer(5000, t -> {
      if (state == State.HELLO) {
        hello.tryFail("no AGENT-HELLO within 5 s");
        state = State.CLOSED;
        socket.close();
      }
    });
    return hello.future();
  }

  boolean isReady() {
    return state == State.READY;
  }

  int inflight() {
    return slotSid.length - freeCount;
  }

  void startClosedLoop(long now) {
    if (state != State.READY) {
      return;
    }
    while (sendOne(now)) {
      // fill every slot
    }
    flush(false);
  }

  void startFixedRate(long firstDue, long interval) {
    this.nextDue = firstDue;
    this.interval = Math.max(1, interval);
  }

  /** Fixed rate: sends every NOTIFY due by {@code now} while slots are free. */
  void sendDue(long now) {
    if (state != State.READY) {
      return;
    }
    long end = w.measureEnd;
    while (nextDue <= now && nextDue < end) {
      if (!sendOne(nextDue)) {
        return;
      }
      nextDue += interval;
    }
  }

  /** Queues one NOTIFY stamped {@code stamp}; false when every slot is in flight. */
  private boolean sendOne(long stamp) {
    if (freeCount == 0) {
      return false;
    }
    int slot = free[--freeCount];
    int t = plan.sequence[seqPos];
    if (++seqPos == plan.sequence.length) {
      seqPos = 0;
    }
    long sid;
    if (style26) {
      sid = plan.globalStreamId.getAndIncrement();
    } else {
      sid = nextOddSid;
      nextOddSid += 2;
    }
    byte[] payload = plan.payloads[t];
    ByteBuf o = out;
    if (o == null) {
      o = out = alloc.directBuffer(outCapacity);
    }
    o.writeInt(1 + 4 + varintSize(sid) + 1 + payload.length);
    o.writeByte(TYPE_NOTIFY);
    o.writeInt(SpopClientCodec.FLAG_FIN);
    writeVarint(o, sid);
    o.writeByte(1);
    o.writeBytes(payload);
    slotSid[slot] = sid;
    slotTime[slot] = stamp;
    slotMsgs[slot] = plan.messagesPerNotify[t];
    ids.put(sid, slot);
    if (stamp >= w.measureStart && stamp < w.measureEnd) {
      w.sent++;
    }
    return true;
  }

  void flush(boolean measured) {
    ByteBuf o = out;
    if (o != null) {
      out = null;
      if (state == State.READY) {
        if (measured) {
          w.writes++;
        }
        socket.writeMessage(o);
      } else {
        o.release();
      }
    }
  }

  private static void writeVarint(ByteBuf out, long value) {
    long i = value;
    if (Long.compareUnsigned(i, 240) < 0) {
      out.writeByte((int) i);
      return;
    }
    out.writeByte((int) (i | 0xF0));
    i = (i - 240) >>> 4;
    while (Long.compareUnsigned(i, 128) >= 0) {
      out.writeByte((int) (i | 0x80));
      i = (i - 128) >>> 7;
    }
    out.writeByte((int) i);
  }

  // ---------------------------------------------------------------------------------------------
  // Input

  private void onData(ByteBuf data) {
    ByteBuf buf = data;
    if (carry != null) {
      buf = carry;
      carry = null;
      buf.writeBytes(data);
      data.release();
    }
    try {
      long now = System.nanoTime();
      boolean measured = now >= w.measureStart && now < w.measureEnd;
      if (measured) {
        w.reads++;
      }
      int len = buf.writerIndex();
      int pos = buf.readerIndex();
      while (len - pos >= 4) {
        long flen = buf.getUnsignedInt(pos);
        if (flen < 7 || flen > maxFrame) {
          protocolError("frame length " + flen + " out of range");
          return;
        }
        if (len - pos - 4 < flen) {
          break;
        }
        int start = pos + 4;
        int end = start + (int) flen;
        pos = end;
        onFrame(buf, start, end, now);
        if (state == State.CLOSED) {
          return;
        }
      }
      if (pos < len) {
        // keep the partial frame (copied once into a buffer that then grows with the next reads)
        carry = alloc.heapBuffer(Math.max(256, (len - pos) * 2));
        carry.writeBytes(buf, pos, len - pos);
      }
      flush(measured);
    } finally {
      buf.release();
    }
  }

  private static Buffer copy(ByteBuf buf, int start, int end) {
    return Buffer.buffer(ByteBufUtil.getBytes(buf, start, end - start));
  }

  private void onFrame(ByteBuf buf, int start, int end, long now) {
    int type = buf.getUnsignedByte(start);
    int flags = buf.getInt(start + 1);
    rp = start + 5;
    bad = false;
    long sid = varint(buf, end);
    long fid = varint(buf, end);
    if (bad) {
      protocolError("frame header runs past its end");
      return;
    }
    if (type == SpopClientCodec.TYPE_ACK && state == State.READY) {
      onAck(buf, end, flags, sid, fid, now);
    } else if (type == SpopClientCodec.TYPE_AGENT_DISCONNECT) {
      String what;
      try {
        AgentDisconnect d = SpopClientCodec.decodeAgentDisconnect(SpopClientCodec.decodeFrame(copy(buf, start, end)));
        what = "AGENT-DISCONNECT status " + d.statusCode() + " '" + d.message() + "'";
      } catch (RuntimeException e) {
        w.malformed++;
        what = "malformed AGENT-DISCONNECT: " + e.getMessage();
      }
      if (!w.finishing) {
        w.agentDisconnects++;
        w.error("connection " + index + ": " + what);
      }
      if (state == State.HELLO) {
        hello.tryFail(what);
      }
      close();
    } else if (type == SpopClientCodec.TYPE_AGENT_HELLO && state == State.HELLO) {
      try {
        AgentHello h = SpopClientCodec.decodeAgentHello(SpopClientCodec.decodeFrame(copy(buf, start, end)));
        if (h.maxFrameSize() < 256 || h.maxFrameSize() > plan.options.maxFrameSize()) {
          throw new IllegalStateException("AGENT-HELLO max-frame-size " + h.maxFrameSize());
        }
        state = State.READY;
        hello.tryComplete();
      } catch (RuntimeException e) {
        w.malformed++;
        hello.tryFail(e);
        close();
      }
    } else {
      protocolError("unexpected " + SpopClientCodec.typeName(type) + " in state " + state);
    }
  }

  private void onAck(ByteBuf buf, int end, int flags, long sid, long fid, long now) {
    int slot = ids.get(sid);
    if (slot < 0 || fid != 1) {
      w.unknownIds++;
      w.error("connection " + index + ": ACK for unknown stream-id " + Long.toUnsignedString(sid) + " frame-id "
          + Long.toUnsignedString(fid));
      return;
    }
    ids.remove(sid);
    free[freeCount++] = slot;
    int nActions = scanActions(buf, end);
    if (nActions < 0 || flags != SpopClientCodec.FLAG_FIN) {
      w.malformed++;
      w.error("connection " + index + ": malformed ACK for stream-id " + sid);
    } else if (now >= w.measureStart && now < w.measureEnd) {
      w.acks++;
      w.messages += slotMsgs[slot];
      w.actions += nActions;
      long latency = now - slotTime[slot];
      w.histogram.recordValue(latency < 0 ? 0 : Math.min(latency, LoadWorker.MAX_LATENCY));
    }
    if (w.fixedRate) {
      sendDue(now);
    } else if (now < w.measureEnd) {
      sendOne(now);
    } else if (inflight() == 0) {
      w.maybeDrained();
    }
  }

  /** Validates an ACK payload in place; returns the number of actions or -1. */
  private int scanActions(ByteBuf buf, int end) {
    int n = 0;
    while (rp < end && !bad) {
      int type = u8(buf, end);
      int nb = u8(buf, end);
      int scope = u8(buf, end);
      if (scope > 4) {
        return -1;
      }
      skip(buf, end, varint(buf, end));
      if (type == 1 && nb == 3) {
        skipTypedValue(buf, end);
      } else if (type != 2 || nb != 2) {
        return -1;
      }
      n++;
    }
    return bad ? -1 : n;
  }

  private void skipTypedValue(ByteBuf buf, int end) {
    int tb = u8(buf, end);
    switch (tb & 0x0F) {
      case 0, 1 -> {
      }
      case 2, 3, 4, 5 -> varint(buf, end);
      case 6 -> skip(buf, end, 4);
      case 7 -> skip(buf, end, 16);
      case 8, 9 -> skip(buf, end, varint(buf, end));
      default -> bad = true;
    }
  }

  private int u8(ByteBuf buf, int end) {
    if (rp >= end) {
      bad = true;
      return 0;
    }
    return buf.getUnsignedByte(rp++);
  }

  private void skip(ByteBuf buf, int end, long n) {
    if (n < 0 || n > end - rp) {
      bad = true;
      rp = end;
    } else {
      rp += (int) n;
    }
  }

  private long varint(ByteBuf buf, int end) {
    if (rp >= end) {
      bad = true;
      return 0;
    }
    long v = buf.getUnsignedByte(rp++);
    if (v < 240) {
      return v;
    }
    int shift = 4;
    for (int i = 1; i < 10; i++) {
      if (rp >= end) {
        bad = true;
        return 0;
      }
      int b = buf.getUnsignedByte(rp++);
      v += (long) b << shift;
      shift += 7;
      if (b < 128) {
        return v;
      }
    }
    bad = true;
    return 0;
  }

  static int varintSize(long v) {
    if (Long.compareUnsigned(v, 240) < 0) {
      return 1;
    }
    int n = 1;
    v = (v - 240) >>> 4;
    while (Long.compareUnsigned(v, 128) >= 0) {
      n++;
      v = (v - 128) >>> 7;
    }
    return n + 1;
  }

  // ---------------------------------------------------------------------------------------------
  // Close

  private void protocolError(String message) {
    w.malformed++;
    w.error("connection " + index + ": " + message);
    if (state == State.HELLO) {
      hello.tryFail(message);
    }
    close();
  }

  private void close() {
    if (state != State.CLOSED) {
      state = State.CLOSED;
      release();
      socket.close();
      w.maybeDrained();
    }
  }

  private void onClose() {
    if (state == State.CLOSED) {
      return;
    }
    if (state == State.HELLO) {
      hello.tryFail("connection closed during HELLO");
    } else if (!w.finishing) {
      w.closes++;
      w.error("connection " + index + " closed by the agent");
    }
    state = State.CLOSED;
    release();
    w.maybeDrained();
  }

  private void release() {
    if (carry != null) {
      carry.release();
      carry = null;
    }
    if (out != null) {
      out.release();
      out = null;
    }
  }

  /** End of run: HAPROXY-DISCONNECT and close. */
  void shutdown(Buffer bye) {
    release();
    if (state == State.READY) {
      state = State.CLOSED;
      socket.write(bye.copy());
      socket.close();
    } else if (state != State.CLOSED) {
      state = State.CLOSED;
      if (socket != null) {
        socket.close();
      }
    }
  }

  /** stream-id → slot, open addressing with linear probing; -1 marks an empty key. */
  static final class SidMap {
    private final long[] keys;
    private final int[] vals;
    private final int mask;
    private final int shift;

    SidMap(int expected) {
      int cap = Integer.highestOneBit(Math.max(16, expected * 4) - 1) << 1;
      keys = new long[cap];
      vals = new int[cap];
      Arrays.fill(keys, -1L);
      mask = cap - 1;
      shift = 64 - Integer.numberOfTrailingZeros(cap);
    }

    private int home(long k) {
      return (int) ((k * 0x9E3779B97F4A7C15L) >>> shift);
    }

    void put(long k, int v) {
      int i = home(k);
      while (keys[i] != -1L) {
        i = (i + 1) & mask;
      }
      keys[i] = k;
      vals[i] = v;
    }

    int get(long k) {
      int i = home(k);
      while (true) {
        long kk = keys[i];
        if (kk == k) {
          return vals[i];
        }
        if (kk == -1L) {
          return -1;
        }
        i = (i + 1) & mask;
      }
    }

    void remove(long k) {
      int i = home(k);
      while (true) {
        long kk = keys[i];
        if (kk == -1L) {
          return;
        }
        if (kk == k) {
          break;
        }
        i = (i + 1) & mask;
      }
      int j = i;
      while (true) {
        j = (j + 1) & mask;
        long kj = keys[j];
        if (kj == -1L) {
          break;
        }
        int h = home(kj);
        boolean move = j > i ? (h <= i || h > j) : (h <= i && h > j);
        if (move) {
          keys[i] = kj;
          vals[i] = vals[j];
          i = j;
        }
      }
      keys[i] = -1L;
    }
  }
}
