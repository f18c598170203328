package io.spoavertx.testing.haproxy;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Argument checks shared by {@link HaproxyConfig.Builder}, {@link SpoeMessageSection} and
 * {@link HaproxyProcess}: what may be written into haproxy.cfg or spoe.conf, or sent to the runtime
 * API, without breaking its syntax. Each check returns the value (stripped, for lines) or throws
 * {@link IllegalArgumentException} ({@link NullPointerException} for null).
 */
final class ConfigChecks {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");
  private static final Pattern VAR =
      Pattern.compile("(proc|sess|txn|req|res)\\.[A-Za-z0-9_.]+");
  private static final Pattern HEADER = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");

  private ConfigChecks() {}

  /** A section, server, message or variable name: {@code [A-Za-z0-9_.-]+}. */
  static String checkName(String what, String value) {
    Objects.requireNonNull(value, what);
    if (!NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " must match [A-Za-z0-9_.-]+: '" + value + "'");
    }
    return value;
  }

  /** One non-blank line, returned stripped. */
  static String checkLine(String what, String value) {
    Objects.requireNonNull(value, what);
    if (value.isBlank() || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      throw new IllegalArgumentException(what + " must be one non-blank line: '" + value + "'");
    }
    return value.strip();
  }

  /** A variable with its scope, such as {@code txn.spoa.score}. */
  static String checkVariable(String variable) {
    Objects.requireNonNull(variable, "variable");
    if (!VAR.matcher(variable).matches()) {
      throw new IllegalArgumentException("variable must look like txn.spoa.name: '" + variable + "'");
    }
    return variable;
  }

  /** An HTTP header name (an RFC 9110 token). */
  static String checkHeader(String header) {
    Objects.requireNonNull(header, "header");
    if (!HEADER.matcher(header).matches()) {
      throw new IllegalArgumentException("invalid header name: '" + header + "'");
    }
    return header;
  }

  static Duration positive(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + d);
    }
    return d;
  }

  static int positive(String what, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException(what + " must be positive: " + v);
    }
    return v;
  }

  /** An HTTP status HAProxy's {@code return} accepts: 200..599. */
  static int status(int status) {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("status must be 200..599: " + status);
    }
    return status;
  }

  /** A response body: one line, possibly empty. */
  static String body(String body) {
    Objects.requireNonNull(body, "body");
    if (body.indexOf('\n') >= 0 || body.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("body must be one line: '" + body + "'");
    }
    return body;
  }
}
