package io.spoavertx.handler;

/**
 * The moments of a stream at which HAProxy sends a {@code spoe-message}: its {@code event} line
 * (doc/SPOE.txt 2.3 and 3.3). All messages of one event travel in one NOTIFY and get one ACK.
 * With the SPOE filter in a frontend, as {@code haproxy-config} writes it, every event is available.
 */
public enum SpoeEvent {

  /** A new client session is created (filters of a frontend or listen section only). */
  ON_CLIENT_SESSION("on-client-session"),
  /** The session with the server is established. */
  ON_SERVER_SESSION("on-server-session"),
  /** Just before the frontend's {@code tcp-request content} rules (frontend or listen filters only). */
  ON_FRONTEND_TCP_REQUEST("on-frontend-tcp-request"),
  /** Just before the backend's {@code tcp-request content} rules (skipped for listen filters). */
  ON_BACKEND_TCP_REQUEST("on-backend-tcp-request"),
  /** Just before the {@code tcp-response content} rules. */
  ON_TCP_RESPONSE("on-tcp-response"),
  /** Just before the frontend's {@code http-request} rules (frontend or listen filters only). */
  ON_FRONTEND_HTTP_REQUEST("on-frontend-http-request"),
  /** Just before the backend's {@code http-request} rules (skipped for listen filters). */
  ON_BACKEND_HTTP_REQUEST("on-backend-http-request"),
  /** Just before the {@code http-response} rules. */
  ON_HTTP_RESPONSE("on-http-response");

  private final String haproxyName;

  SpoeEvent(String haproxyName) {
    this.haproxyName = haproxyName;
  }

  /**
   * The event as HAProxy's configuration writes it, e.g. {@code on-frontend-http-request}.
   *
   * @return the name of the event in a {@code spoe-message}'s {@code event} line
   */
  public String haproxyName() {
    return haproxyName;
  }

  /**
   * True for the events sent before the frontend's {@code http-request} rules run, so that those
   * rules can use the variables their answer sets.
   *
   * @return whether the frontend's request rules see the variables set on this event
   */
  public boolean beforeFrontendRequestRules() {
    return this == ON_CLIENT_SESSION || this == ON_FRONTEND_TCP_REQUEST || this == ON_FRONTEND_HTTP_REQUEST;
  }

  /**
   * The event of a name as HAProxy writes it.
   *
   * @param haproxyName e.g. {@code on-frontend-http-request}
   * @return the event
   * @throws IllegalArgumentException if HAProxy has no such event
   */
  public static SpoeEvent fromHaproxyName(String haproxyName) {
    for (SpoeEvent e : values()) {
      if (e.haproxyName.equals(haproxyName)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown SPOE event '" + haproxyName + "' (doc/SPOE.txt 3.3)");
  }

  @Override
  public String toString() {
    return haproxyName;
  }
}
