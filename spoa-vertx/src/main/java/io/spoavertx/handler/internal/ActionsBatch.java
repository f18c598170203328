package io.spoavertx.handler.internal;

import io.spoavertx.logging.Log;
import io.spoavertx.logging.RateLimitedLog;
import io.spoavertx.codec.SpopException;
import io.spoavertx.handler.Actions;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * The answer to a {@link MessageBatch}: per message, in order, its actions, or why its handler
 * failed. Internal.
 *
 * <p>Wire form: count, then per message a 4-byte length and the encoded actions, or -1 (-2 when
 * the handler found its arguments bad), a 4-byte length and the failure's text in UTF-8.
 */
public final class ActionsBatch {

  private final Actions[] actions;
  private final String[] failures;
  /** Per message, whether its failure is bad arguments ({@code BadArgumentException}); or null: none is. */
  private final boolean[] badArgs;

  public ActionsBatch(Actions[] actions, String[] failures) {
    this(actions, failures, null);
  }

  /** {@code badArgs}: per message, whether its failure was bad arguments; null when none was. */
  public ActionsBatch(Actions[] actions, String[] failures, boolean[] badArgs) {
    this.actions = actions;
    this.failures = failures;
    this.badArgs = badArgs;
  }

  public int count() {
    return actions.length;
  }

  /** The actions of message {@code i}, or null if its handler failed. */
  public Actions actions(int i) {
    return actions[i];
  }

  /** Why the handler of message {@code i} failed, or null. */
  public String failure(int i) {
    return failures[i];
  }

  /** Whether the handler of message {@code i} failed because its arguments were bad (outcome bad_args). */
  public boolean badArgs(int i) {
    return badArgs != null && badArgs[i];
  }

  public void encodeTo(Buffer out) {
    out.appendInt(actions.length);
    for (int i = 0; i < actions.length; i++) {
      Actions a = actions[i];
      if (a != null) {
        out.appendInt(a.encodedLength());
        a.writeTo(out);
      } else {
        byte[] text = String.valueOf(failures[i]).getBytes(StandardCharsets.UTF_8);
        out.appendInt(badArgs(i) ? -2 : -1).appendInt(text.length).appendBytes(text);
      }
    }
  }

  /**
   * Reads a batch from its wire form (a reply from another node). Each message's actions are
   * validated ({@link Actions#decode}); actions that are not valid make that message a failure
   * with the reason, and nothing of them reaches HAProxy. A batch whose framing itself is broken
   * reads as an empty one, so every message of it fails ("no answer in the handler's reply").
   */
  public static ActionsBatch decodeFrom(Buffer in, int pos) {
    try {
      return decodeOrThrow(in, pos);
    } catch (RuntimeException e) {
      MALFORMED.warn("malformed reply from a handler node, its messages get no actions: " + e);
      return new ActionsBatch(new Actions[0], new String[0]);
    }
  }

  private static final RateLimitedLog MALFORMED = new RateLimitedLog(Log.get("io.spoavertx.handler"), 1000);

  private static ActionsBatch decodeOrThrow(Buffer in, int pos) {
    int n = in.getInt(pos);
    if (n < 0 || n > (in.length() - pos - 4) / 4) {
      throw new IllegalArgumentException("message count " + n + " does not fit the " + in.length() + " bytes");
    }
    Actions[] actions = new Actions[n];
    String[] failures = new String[n];
    boolean[] badArgs = new boolean[n];
    int p = pos + 4;
    for (int i = 0; i < n; i++) {
      int len = in.getInt(p);
      p += 4;
      if (len >= 0) {
        if (p + len > in.length()) {
          throw new IllegalArgumentException("actions of message " + i + " run past the end");
        }
        try {
          actions[i] = Actions.decode(in, p, p + len);
        } catch (SpopException e) {
          failures[i] = "invalid actions from the handler node: " + e.getMessage();
        }
        p += len;
      } else {
        badArgs[i] = len == -2;
        int textLen = in.getInt(p);
        failures[i] = in.getString(p + 4, p + 4 + textLen, "UTF-8");
        p += 4 + textLen;
      }
    }
    return new ActionsBatch(actions, failures, badArgs);
  }
}
