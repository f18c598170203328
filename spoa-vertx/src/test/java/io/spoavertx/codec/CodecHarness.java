package io.spoavertx.codec;

import io.spoavertx.handler.SpoeMessage;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * The agent's decoding path without the network, for fuzzing: {@link FrameParser} (length checks,
 * partial frames), {@link FrameHeader}, then every payload decoder a frame can reach —
 * {@link HaproxyHello#decode}, {@link HaproxyDisconnect#decode}, {@link NotifyScanner} and the
 * handler-side {@link SpoeMessage} accessors on what the scanner accepted. Each payload is given
 * to every decoder, whatever its type, so mutations reach all of them.
 *
 * <p>The only exception allowed out of a decoder is {@link SpopException}; the harness counts them
 * and stops the stream at the first one, as a connection would. Anything else propagates to the
 * caller.
 */
public final class CodecHarness implements FrameParser.Handler {

  private final SpopReader reader = new SpopReader();
  private final FrameHeader header = new FrameHeader();
  private final NotifyScanner scanner = new NotifyScanner();
  private FrameParser parser;
  private boolean stopped;

  public long streams;
  public long frames;
  public long parserErrors;
  public long decodeErrors;
  public long hellos;
  public long messages;
  public long args;

  /** Feeds one connection's bytes, split into the given reads. */
  public void feed(List<Buffer> reads, int maxFrameSize) {
    streams++;
    parser = new FrameParser(maxFrameSize, this);
    stopped = false;
    for (Buffer read : reads) {
      if (stopped) {
        return;
      }
      parser.handle(read);
    }
  }

  @Override
  public void frame(Buffer buf, int start, int end) {
    frames++;
    try {
      reader.reset(buf, start, end);
      header.read(reader);
      int payload = reader.pos();
      header.fin();
      header.abort();
      String.valueOf(header); // toString is used in log lines

      boolean ok = true;
      try {
        HaproxyHello hello = HaproxyHello.decode(reader.reset(buf, payload, end));
        hellos++;
        if (header.type == FrameType.HAPROXY_HELLO && hello.maxFrameSize() != null && hello.maxFrameSize() >= 256) {
          parser.maxFrameSize((int) Math.min(16380, hello.maxFrameSize())); // negotiation, as the agent does
        }
      } catch (SpopException e) {
        ok = false;
      }
      try {
        HaproxyDisconnect.decode(reader.reset(buf, payload, end));
      } catch (SpopException e) {
        ok = false;
      }
      try {
        notify(buf, payload, end);
      } catch (SpopException e) {
        ok = false;
      }
      if (!ok && header.type != FrameType.UNSET) {
        stop(); // a connection ends at its first protocol error
      }
    } catch (SpopException e) {
      stop();
    }
  }

  private void notify(Buffer buf, int start, int end) {
    int n = scanner.scan(buf, start, end);
    for (int i = 0; i < n; i++) {
      messages++;
      String name = buf.getString(scanner.nameOffset(i), scanner.nameOffset(i) + scanner.nameLength(i), "UTF-8");
      SpoeMessage m = io.spoavertx.agent.impl.MessageViews.create(buf, scanner.start(i), scanner.end(i), name, scanner.argsOffset(i),
          scanner.argCount(i));
      for (int a = 0; a < m.argCount(); a++) {
        args++;
        String argName = m.argName(a);
        m.argType(a);
        m.argValue(a);
        m.indexOf(argName);
        m.typeOf(argName);
        m.get(argName);
        m.getString(argName);
        m.getLong(argName);
        m.getBoolean(argName);
        m.getAddress(argName);
        m.getBinary(argName);
      }
      m.toString();
      SpoeMessage.decode(m.encoded()); // a message the scanner accepted decodes on its own
    }
  }

  @Override
  public void frameError(SpopException error) {
    parserErrors++;
    stop();
  }

  private void stop() {
    decodeErrors++;
    stopped = true;
    parser.stop();
  }

  @Override
  public String toString() {
    return streams + " streams, " + frames + " frames, " + parserErrors + " parser errors, " + decodeErrors
        + " connection-ending errors, " + hellos + " KV lists decoded, " + messages + " messages, " + args + " args";
  }
}
