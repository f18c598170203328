package io.spoavertx.testing;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A decoded AGENT-HELLO frame.
 *
 * @param version      the {@code version} key, null if absent
 * @param maxFrameSize the {@code max-frame-size} key, -1 if absent
 * @param capabilities the {@code capabilities} key, null if absent
 * @param keys         every key/value received, in wire order
 */
public record AgentHello(String version, long maxFrameSize, String capabilities, Map<String, TypedValue> keys) {

  /**
   * Copies {@code keys} into an unmodifiable map, keeping their order.
   *
   * @param version      the {@code version} key, null if absent
   * @param maxFrameSize the {@code max-frame-size} key, -1 if absent
   * @param capabilities the {@code capabilities} key, null if absent
   * @param keys         every key/value received, in wire order
   */
  public AgentHello {
    keys = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(keys));
  }

  /** {@return the capabilities, split on commas, spaces removed, empty entries dropped} */
  public List<String> capabilityList() {
    if (capabilities == null) {
      return List.of();
    }
    return Arrays.stream(capabilities.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  /**
   * Whether the agent announced a capability.
   *
   * @param capability the capability, e.g. {@code "pipelining"}
   * @return true if it is in {@link #capabilityList()}
   */
  public boolean hasCapability(String capability) {
    return capabilityList().contains(capability);
  }
}
