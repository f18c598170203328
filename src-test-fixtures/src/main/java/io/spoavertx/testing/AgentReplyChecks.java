package io.spoavertx.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What HAProxy would object to in a well-encoded AGENT-HELLO or AGENT-DISCONNECT: ids, flags,
 * missing keys, a version or max-frame-size it did not offer. Each problem is the description of
 * a {@link ProtocolError} that {@link SpopTestClient} records.
 */
final class AgentReplyChecks {

  private AgentReplyChecks() {}

  /** {@return the problems of an AGENT-HELLO answering {@code sent}, in the order HAProxy checks them} */
  static List<String> hello(Frame f, AgentHello h, HelloOptions sent) {
    List<String> problems = new ArrayList<>();
    if (f.streamId() != 0 || f.frameId() != 0) {
      problems.add("AGENT-HELLO must have stream-id 0 and frame-id 0");
    }
    if (f.flags() != SpopClientCodec.FLAG_FIN) {
      problems.add("AGENT-HELLO flags must be exactly FIN");
    }
    if (h.version() == null) {
      problems.add("AGENT-HELLO has no 'version' STRING (status 5)");
    } else if (sent.supportedVersions() != null
        && Arrays.stream(sent.supportedVersions().split(",")).map(String::strip).noneMatch(h.version().strip()::equals)) {
      problems.add("AGENT-HELLO version '" + h.version() + "' is not one of '" + sent.supportedVersions() + "' (status 8)");
    }
    if (h.maxFrameSize() < 0) {
      problems.add("AGENT-HELLO has no integer 'max-frame-size' (status 6)");
    } else if (!maxFrameSizeAccepted(h, sent)) {
      problems.add("AGENT-HELLO max-frame-size " + h.maxFrameSize() + " is not within 256.." + sent.maxFrameSize()
          + " (status 9)");
    }
    if (h.capabilities() == null) {
      problems.add("AGENT-HELLO has no 'capabilities' STRING (HAProxy 3.x requires the key; status 7)");
    }
    return problems;
  }

  /** {@return true if the agent's max-frame-size is at least 256 and at most the one offered, if any} */
  static boolean maxFrameSizeAccepted(AgentHello h, HelloOptions sent) {
    Long offered = sent.maxFrameSize();
    return h.maxFrameSize() >= 256 && (offered == null || h.maxFrameSize() <= offered);
  }

  /** {@return the problems of an AGENT-DISCONNECT; {@code d} is null if its payload could not be decoded} */
  static List<String> disconnect(Frame f, AgentDisconnect d) {
    List<String> problems = new ArrayList<>();
    if (d != null && d.statusCode() < 0) {
      problems.add("AGENT-DISCONNECT has no integer 'status-code'");
    }
    if (d != null && d.message() == null) {
      problems.add("AGENT-DISCONNECT has no 'message' STRING");
    }
    if (f.streamId() != 0 || f.frameId() != 0) {
      problems.add("AGENT-DISCONNECT must have stream-id 0 and frame-id 0");
    }
    return problems;
  }
}
