package io.spoavertx.testing;

/** Fails a pending request when the agent sent AGENT-DISCONNECT instead of answering it. */
public class AgentDisconnectedException extends RuntimeException {

  /** The AGENT-DISCONNECT frame. */
  private final AgentDisconnect disconnect;

  /**
   * The failure for a request the agent did not answer.
   *
   * @param disconnect the AGENT-DISCONNECT frame the agent sent
   */
  public AgentDisconnectedException(AgentDisconnect disconnect) {
    super("agent disconnected: status-code=" + disconnect.statusCode() + " message=" + disconnect.message());
    this.disconnect = disconnect;
  }

  /** {@return the AGENT-DISCONNECT frame} */
  public AgentDisconnect disconnect() {
    return disconnect;
  }

  /** {@return the AGENT-DISCONNECT's status code} */
  public int statusCode() {
    return disconnect.statusCode();
  }

  /** {@return the AGENT-DISCONNECT's message (may be null)} */
  public String agentMessage() {
    return disconnect.message();
  }
}
