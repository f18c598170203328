package io.spoavertx.testing.haproxy;

import java.util.List;
import java.util.Objects;

/**
 * A {@code spoe-message} section: the message name, its arguments and the event that sends it.
 *
 * <pre>{@code
 * SpoeMessageSection.onRequest("check", "ip=src", "path=path")
 * SpoeMessageSection.onRequest("check", "ip=src").when("{ path_beg /api }")
 * SpoeMessageSection.forGroup("extra", "ua=req.hdr(user-agent)")
 * }</pre>
 *
 * @param name the message name sent to the agent
 * @param args the {@code args} entries, each {@code name=sample} or a bare sample expression
 * @param event the SPOE event such as {@code on-frontend-http-request}, or null for a message only
 *     sent through a {@code spoe-group}
 * @param condition an optional ACL condition for the event (rendered after {@code if}), or null
 */
public record SpoeMessageSection(String name, List<String> args, String event, String condition) {

  /** The event fired before the frontend's {@code http-request} rules run. */
  public static final String ON_FRONTEND_HTTP_REQUEST = "on-frontend-http-request";

  /**
   * Validates the names and lines, and copies {@code args}.
   *
   * @param name      the message name
   * @param args      the {@code args} entries
   * @param event     the SPOE event, or null
   * @param condition an ACL condition for the event, or null
   * @throws IllegalArgumentException if a name or line is invalid, or a condition has no event
   */
  public SpoeMessageSection {
    ConfigChecks.checkName("message name", name);
    args = List.copyOf(Objects.requireNonNull(args, "args"));
    for (String a : args) {
      ConfigChecks.checkLine("message argument", a);
    }
    if (event != null) {
      ConfigChecks.checkName("event", event);
    }
    if (condition != null) {
      ConfigChecks.checkLine("condition", condition);
      if (event == null) {
        throw new IllegalArgumentException("a condition needs an event (message " + name + ")");
      }
    }
  }

  /**
   * A message sent on {@code on-frontend-http-request}.
   *
   * @param name the message name
   * @param args the {@code args} entries
   * @return the section
   */
  public static SpoeMessageSection onRequest(String name, String... args) {
    return new SpoeMessageSection(name, List.of(args), ON_FRONTEND_HTTP_REQUEST, null);
  }

  /**
   * A message sent on the given SPOE event.
   *
   * @param event the event, e.g. {@code on-http-response}
   * @param name  the message name
   * @param args  the {@code args} entries
   * @return the section
   */
  public static SpoeMessageSection onEvent(String event, String name, String... args) {
    return new SpoeMessageSection(name, List.of(args), Objects.requireNonNull(event, "event"), null);
  }

  /**
   * A message with no event, sent only as part of a {@code spoe-group}.
   *
   * @param name the message name
   * @param args the {@code args} entries
   * @return the section
   */
  public static SpoeMessageSection forGroup(String name, String... args) {
    return new SpoeMessageSection(name, List.of(args), null, null);
  }

  /**
   * This message, sent only if the ACL condition holds.
   *
   * @param condition the condition, e.g. {@code "{ path_beg /api }"}
   * @return a copy of this section with the condition
   */
  public SpoeMessageSection when(String condition) {
    return new SpoeMessageSection(name, args, event, Objects.requireNonNull(condition, "condition"));
  }
}
