package io.spoavertx.testing;

/** Fails a pending request when the agent sent AGENT-DISCONNECT instead of answering it. */
public class AgentDisconnectedException extends RuntimeException {

  private final AgentDisconnect disconnect;

  public AgentDisconnectedException(AgentDisconnect disconnect) {
    super("agent disconnected: status-code=" + disconnect.statusCode() + " message=" + disconnect.message());
    this.disconnect = disconnect;
  }

  /** The AGENT-DISCONNECT frame. */
  public AgentDisconnect disconnect() {
    return disconnect;
  }

  /** Its status code. */
  public int statusCode() {
    return disconnect.statusCode();
  }

  /** Its message (may be null). */
  public String agentMessage() {
    return disconnect.message();
  }
}
