package io.spoavertx.agent.impl;

import io.spoavertx.handler.DataType;
import io.spoavertx.handler.MessageSpec;
import io.spoavertx.handler.SpoeMessage;
import io.spoavertx.logging.PerKeyLog;
import io.spoavertx.metrics.AgentStats.Drift;

import java.util.ArrayList;
import java.util.List;

/**
 * Compares the messages of one route with what their handler declared ({@link MessageSpec}): an
 * argument the declaration does not list, a required one missing, a value of a type it does not
 * accept. HAProxy sends the arguments of a {@code spoe-message} in the same order every time, so
 * the verdict on names is kept for the argument names last seen: a message with the same names
 * costs one pass comparing them in place and checking their types, with no allocation; only
 * another list of names is examined anew (and logged). Confined to the route's event loop.
 */
final class DriftCheck {

  static final int UNDECLARED = 1 << Drift.UNDECLARED_ARG.ordinal();
  static final int MISSING = 1 << Drift.MISSING_ARG.ordinal();
  static final int WRONG_TYPE = 1 << Drift.WRONG_TYPE.ordinal();

  final MessageSpec spec;
  /** The argument names last seen, and what they drift by ({@link #UNDECLARED}, {@link #MISSING}). */
  private String[] names;
  private int namesDrift;
  /** Per argument of {@link #names}: the type codes its declaration accepts, as a mask (-1: any). */
  private int[] accepted;
  /** Per argument of {@link #names}: the types already reported as wrong, as a mask. */
  private int[] reported;

  DriftCheck(MessageSpec spec) {
    this.spec = spec;
  }

  /**
   * How {@code m} drifts: a mask of {@link Drift} ordinals, 0 when it matches. Logs a line (per
   * message name, rate-limited) when it sees names or types it has not reported yet.
   */
  int check(SpoeMessage m, PerKeyLog log) {
    int n = m.argCount();
    boolean learnt = names == null || names.length != n;
    if (learnt) {
      learn(m, n, log);
    }
    int drift = namesDrift;
    for (int i = 0; i < n; i++) {
      if (!m.argNameEquals(i, names[i])) {
        if (learnt) {
          return drift; // a name that is not valid UTF-8 never equals its decoded String: names only
        }
        learn(m, n, log); // another list of names: start over with it
        learnt = true;
        drift = namesDrift;
        i = -1;
        continue;
      }
      int code = m.argType(i).code(); // the cursor is on argument i: no second pass
      if (code != 0 && (accepted[i] & 1 << code) == 0) {
        drift |= WRONG_TYPE;
        if ((reported[i] & 1 << code) == 0) {
          reported[i] |= 1 << code;
          log.warn(m.name(), "message '" + m.name() + "': argument '" + names[i] + "' is " + DataType.fromCode(code)
              + ", its handler declares " + spec.arg(names[i]).types() + " (" + spec + ")");
        }
      }
    }
    return drift;
  }

  /** Another list of argument names: what it lacks and what it has too many, once. */
  private void learn(SpoeMessage m, int n, PerKeyLog log) {
    String[] seen = new String[n];
    int[] types = new int[n];
    List<String> undeclared = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      seen[i] = m.argName(i);
      MessageSpec.Arg declared = spec.arg(seen[i]);
      if (declared == null) {
        undeclared.add(seen[i]);
        types[i] = -1;
      } else if (declared.types().isEmpty()) {
        types[i] = -1;
      } else {
        for (DataType t : declared.types()) {
          types[i] |= 1 << t.code();
        }
      }
    }
    List<String> missing = new ArrayList<>();
    for (MessageSpec.Arg a : spec.args()) {
      if (a.required() && !List.of(seen).contains(a.name())) {
        missing.add(a.name());
      }
    }
    names = seen;
    accepted = types;
    reported = new int[n];
    namesDrift = (undeclared.isEmpty() ? 0 : UNDECLARED) | (missing.isEmpty() ? 0 : MISSING);
    if (namesDrift != 0) {
      log.warn(m.name(), "message '" + m.name() + "' does not match its handler's declaration"
          + (undeclared.isEmpty() ? "" : "; undeclared argument(s) " + undeclared)
          + (missing.isEmpty() ? "" : "; missing required argument(s) " + missing)
          + ": HAProxy sends " + List.of(seen) + ", the handler declares " + spec);
    }
  }
}
