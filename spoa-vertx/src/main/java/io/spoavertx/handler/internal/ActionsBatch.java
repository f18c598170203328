package io.spoavertx.handler.internal;

import io.spoavertx.handler.Actions;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * The answer to a {@link MessageBatch}: per message, in order, its actions, or why its handler
 * failed. Internal.
 *
 * <p>Wire form: count, then per message a 4-byte length and the encoded actions, or -1, a 4-byte
 * length and the failure's text in UTF-8.
 */
public final class ActionsBatch {

  private final Actions[] actions;
  private final String[] failures;

  public ActionsBatch(Actions[] actions, String[] failures) {
    this.actions = actions;
    this.failures = failures;
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

  public void encodeTo(Buffer out) {
    out.appendInt(actions.length);
    for (int i = 0; i < actions.length; i++) {
      Actions a = actions[i];
      if (a != null) {
        out.appendInt(a.encodedLength());
        a.writeTo(out);
      } else {
        byte[] text = String.valueOf(failures[i]).getBytes(StandardCharsets.UTF_8);
        out.appendInt(-1).appendInt(text.length).appendBytes(text);
      }
    }
  }

  public static ActionsBatch decodeFrom(Buffer in, int pos) {
    int n = in.getInt(pos);
    Actions[] actions = new Actions[n];
    String[] failures = new String[n];
    int p = pos + 4;
    for (int i = 0; i < n; i++) {
      int len = in.getInt(p);
      p += 4;
      if (len >= 0) {
        actions[i] = Actions.decode(in, p, p + len);
        p += len;
      } else {
        int textLen = in.getInt(p);
        failures[i] = in.getString(p + 4, p + 4 + textLen, "UTF-8");
        p += 4 + textLen;
      }
    }
    return new ActionsBatch(actions, failures);
  }
}
