package io.spoavertx.testing;

/**
 * A decoded AGENT-DISCONNECT frame.
 *
 * @param statusCode the {@code status-code} key (0 normal, 3 frame too big, 4 invalid frame...), -1 if absent
 * @param message    the {@code message} key, null if absent
 */
public record AgentDisconnect(int statusCode, String message) {
}
