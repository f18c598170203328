package io.spoavertx.handler;

import java.util.ArrayList;
import java.util.List;

/**
 * A message's arguments are not what its handler needs: an argument is missing, NULL, or of
 * another type. Thrown by the {@code require...} accessors of {@link SpoeMessage} and by
 * {@link SpoeMessage#bind}; a handler that lets it out (thrown, or as the cause of its failed
 * future) fails the message with outcome {@code bad_args} instead of {@code error}: no actions, one
 * WARN line per message name now and then with the reason, and the count in
 * {@code spoa_message_seconds_count{outcome="bad_args"}}. It usually means that the HAProxy
 * configuration ({@code spoe-message ... args}) and the handler disagree.
 *
 * <p>It carries no stack trace: a wrong spoe.conf fails every message, and the reason names the
 * message and the argument.
 */
public final class BadArgumentException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What is wrong with the argument. */
  public enum Problem {
    /** The message has no argument of that name. */
    MISSING,
    /** The argument is there with the NULL type: HAProxy had no value for its sample. */
    NULL,
    /** The argument has another type than the handler reads. */
    WRONG_TYPE
  }

  /** The name of the message whose argument is wrong. */
  private final String messageName;
  /** The argument's name. */
  private final String argName;
  /** What is wrong. */
  private final Problem problem;
  /** The type the argument has, or null when it is missing. */
  private final DataType actualType;

  /**
   * A failure with the given reason.
   *
   * @param messageName the message's name
   * @param argName the argument's name
   * @param problem what is wrong
   * @param actualType the type the argument has, or null when it is missing
   * @param reason the whole explanation, the exception's message
   */
  public BadArgumentException(String messageName, String argName, Problem problem, DataType actualType, String reason) {
    super(reason, null, false, false);
    this.messageName = messageName;
    this.argName = argName;
    this.problem = problem;
    this.actualType = actualType;
  }

  /** Missing, NULL or of another type than {@code expected} describes, with the message's argument names. */
  static BadArgumentException of(SpoeMessage m, String argName, DataType actual, String expected) {
    Problem problem = actual == null ? Problem.MISSING : actual == DataType.NULL ? Problem.NULL : Problem.WRONG_TYPE;
    String what = switch (problem) {
      case MISSING -> "is missing";
      case NULL -> "is NULL (HAProxy had no value for its sample)";
      case WRONG_TYPE -> "is " + actual;
    };
    List<String> present = new ArrayList<>();
    for (int i = 0; i < m.argCount(); i++) {
      present.add(m.argName(i) + ":" + m.argType(i));
    }
    return new BadArgumentException(m.name(), argName, problem, actual, "message '" + m.name() + "': argument '"
        + argName + "' " + what + ", expected " + expected + " (the message has " + present + ")");
  }

  /**
   * The name of the message whose argument is wrong.
   *
   * @return the message name
   */
  public String messageName() {
    return messageName;
  }

  /**
   * The argument's name.
   *
   * @return the argument name
   */
  public String argName() {
    return argName;
  }

  /**
   * What is wrong.
   *
   * @return the problem
   */
  public Problem problem() {
    return problem;
  }

  /**
   * The type the argument has.
   *
   * @return its type ({@link DataType#NULL} for {@link Problem#NULL}), or null when it is missing
   */
  public DataType actualType() {
    return actualType;
  }
}
