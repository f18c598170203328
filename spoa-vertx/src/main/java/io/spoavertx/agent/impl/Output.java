package io.spoavertx.agent.impl;

import io.spoavertx.codec.DisconnectStatus;
import io.spoavertx.codec.FrameType;
import io.spoavertx.codec.SpopWriter;
import io.spoavertx.codec.Varint;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;

/**
 * What a connection writes: AGENT-HELLO, ACKs and AGENT-DISCONNECT, gathered into one buffer and
 * flushed together. During a read nothing is flushed before the read ends, so the ACKs answered
 * within a read leave in one write; outside a read (an answer from another thread, a deadline) a
 * task flushes after the current burst. Confined to the connection's event loop.
 */
final class Output {

  private final SocketIo io;
  private final Context context;
  private final AgentContext agent;
  private final long connectionId;
  /** Where an ACK's header is assembled. */
  private final byte[] ackHeader = new byte[SpopWriter.MAX_ACK_HEADER];
  private boolean inRead;
  private boolean flushScheduled;
  private boolean closed;

  Output(SocketIo io, Context context, AgentContext agent, long connectionId) {
    this.io = io;
    this.context = context;
    this.agent = agent;
    this.connectionId = connectionId;
  }

  /** A read (or a resumed parse) begins: what is written waits for {@link #endRead()}. */
  void beginRead() {
    inRead = true;
  }

  /** The read ended: flushes what it wrote. */
  void endRead() {
    inRead = false;
    flush();
  }

  boolean inRead() {
    return inRead;
  }

  void agentHello(int maxFrameSize, String capabilities) {
    SpopWriter.writeAgentHello(io.output(), maxFrameSize, capabilities);
    agent.stats.recordFrameOut(FrameType.AGENT_HELLO);
  }

  void agentDisconnect(DisconnectStatus status, String message) {
    agent.stats.agentDisconnect(status);
    agent.stats.recordFrameOut(FrameType.AGENT_DISCONNECT);
    SpopWriter.writeAgentDisconnect(io.output(), status, message);
  }

  /**
   * The ACK of a finished NOTIFY: its header, then every message's actions in order, each appended
   * in one copy. Actions that do not fit {@code maxFrameSize} are left out: ACKs cannot be
   * fragmented (HAProxy 2.6 rejects them), so the ACK goes without actions.
   */
  void ack(PendingNotify pending, int maxFrameSize, long now) {
    int payload = 0;
    for (int i = 0; i < pending.count; i++) {
      payload += pending.results[i].encodedLength();
    }
    int headerLen = 1 + 4 + Varint.size(pending.streamId) + Varint.size(pending.frameId);
    if (headerLen + payload > maxFrameSize) {
      agent.stats.recordAcksTooBig();
      agent.handlerLog.warn("connection " + connectionId + ": actions of stream " + pending.streamId + " frame "
          + pending.frameId + " take " + payload + " bytes, more than max-frame-size " + maxFrameSize
          + ": ACK sent without actions");
      payload = -1;
    }
    Buffer out = io.output();
    out.appendBytes(ackHeader, 0, SpopWriter.ackHeader(ackHeader, 0, Math.max(payload, 0), pending.streamId, pending.frameId));
    if (payload > 0) {
      for (int i = 0; i < pending.count; i++) {
        pending.results[i].writeTo(out);
      }
    }
    agent.stats.recordFrameOut(FrameType.ACK);
    agent.stats.recordAck();
    agent.latency.notifyToAck(now - pending.startNanos);
    flushSoon();
  }

  /** Flushes at the end of the read in progress, or in a task after this burst. */
  void flushSoon() {
    if (inRead || flushScheduled) {
      return;
    }
    flushScheduled = true;
    context.runOnContext(v -> {
      flushScheduled = false;
      flush();
    });
  }

  void flush() {
    if (!closed) {
      io.flush();
    }
  }

  /** The connection closed: nothing more is written, and unwritten output is dropped. */
  void close() {
    closed = true;
    io.discardOutput();
  }
}
