package io.spoavertx.launcher;

import io.spoavertx.config.ListenerOptions;
import io.spoavertx.config.MetricsOptions;
import io.spoavertx.config.TlsOptions;

import java.net.BindException;
import java.nio.channels.UnresolvedAddressException;

/**
 * A part of the agent could not start, said in one line: which part (the SPOA listener, the
 * metrics server, the cluster), where, why, and what to do about it, e.g.
 * {@code SPOA listener: cannot listen on 127.0.0.1:12345: address already in use (another
 * process has it: stop that one, or set listener.port / SPOA_LISTENER_PORT)}. The cause keeps the
 * original exception for the stack trace the launcher prints with {@code --debug}.
 */
public final class StartupException extends RuntimeException {

  /** The part that could not start. */
  private final String part;
  /** Whether the config names something unusable. */
  private final boolean configError;

  StartupException(String part, String problem, Throwable cause) {
    this(part, problem, cause, false);
  }

  private StartupException(String part, String problem, Throwable cause, boolean configError) {
    super(part + ": " + problem, cause);
    this.part = part;
    this.configError = configError;
  }

  /** {@return true when the config names something unusable (TLS keys)} The launcher then exits with status 2, else 1. */
  public boolean isConfigError() {
    return configError;
  }

  /** {@return the part that could not start: {@code SPOA listener}, {@code metrics server} or {@code cluster}} */
  public String part() {
    return part;
  }

  /** The SPOA listener failed to start: a bind error, or a TLS key it could not use. */
  static StartupException listener(ListenerOptions l, Throwable t) {
    String bind = bindProblem(t, "listener.port / SPOA_LISTENER_PORT", "listener.host / SPOA_LISTENER_HOST");
    if (bind != null || l.tls() == null) {
      return new StartupException("SPOA listener", "cannot listen on " + l.host() + ":" + l.port() + ": "
          + (bind != null ? bind : rootMessage(t)), t);
    }
    TlsOptions tls = l.tls();
    String keys = tls.keyStore() != null
        ? "listener.tls.keyStore '" + tls.keyStore() + "' (password: listener.tls.keyStorePassword)"
        : "listener.tls.certPath '" + tls.certPath() + "' and listener.tls.keyPath '" + tls.keyPath() + "'";
    String hint = "";
    for (Throwable c = t; c != null && hint.isEmpty(); c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof javax.crypto.BadPaddingException || c instanceof java.security.UnrecoverableKeyException
          || String.valueOf(c.getMessage()).contains("password")) {
        hint = " (is listener.tls.keyStorePassword right?)";
      }
    }
    return new StartupException("SPOA listener", "TLS: cannot use " + keys + ": " + rootMessage(t) + hint, t, true);
  }

  static StartupException metrics(MetricsOptions m, Throwable t) {
    String bind = bindProblem(t, "metrics.port / SPOA_METRICS_PORT, or metrics.enabled false",
        "metrics.host / SPOA_METRICS_HOST");
    return new StartupException("metrics server", "cannot listen on " + m.host() + ":" + m.port() + ": "
        + (bind != null ? bind : rootMessage(t)), t);
  }

  static StartupException cluster(Throwable t) {
    String bind = bindProblem(t, "-cluster-port", "-cluster-host");
    return new StartupException("cluster", "cannot join: " + (bind != null ? bind : rootMessage(t)), t);
  }

  /** What a bind failure means and what to do, or null when {@code t} is not one. */
  static String bindProblem(Throwable t, String portKey, String hostKey) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String msg = String.valueOf(c.getMessage());
      if (msg.contains("Address already in use")) {
        return "address already in use (another process has it: stop that one, or set " + portKey + ")";
      }
      if (c instanceof BindException && msg.contains("Permission denied") || msg.contains("bind(..) failed with error(-13)")) {
        return "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE; or set " + portKey + ")";
      }
      if (msg.contains("Cannot assign requested address") || msg.contains("bind(..) failed with error(-99)")) {
        return "no such address on this host (set " + hostKey + ")";
      }
      if (c instanceof UnresolvedAddressException || c instanceof java.net.UnknownHostException) {
        return "unknown host (set " + hostKey + ")";
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }

  /** The innermost message: what actually went wrong, without the wrappers' words. */
  static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = root.getMessage();
    return msg == null || msg.isBlank() ? root.getClass().getSimpleName() : msg;
  }
}
