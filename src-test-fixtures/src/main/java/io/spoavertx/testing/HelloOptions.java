package io.spoavertx.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Content of the HAPROXY-HELLO frame. Keys are sent in HAProxy's order: supported-versions,
 * max-frame-size, capabilities, healthcheck, engine-id, then any {@link #extraKey extra keys}.
 * Setting a key to null omits it (to test an agent's error handling).
 *
 * <p>Defaults: versions "2.0", max-frame-size 16380, capabilities "pipelining", no healthcheck,
 * no engine-id.
 */
public final class HelloOptions {

  private String supportedVersions = "2.0";
  private Long maxFrameSize = 16380L;
  private String capabilities = "pipelining";
  private boolean healthcheck;
  private String engineId;
  private final Map<String, TypedValue> extraKeys = new LinkedHashMap<>();

  /** {@return a HELLO as HAProxy 2.6 sends it: capabilities "pipelining,async" and a random engine-id} */
  public static HelloOptions haproxy26() {
    return new HelloOptions().capabilities("pipelining,async").engineId(UUID.randomUUID().toString());
  }

  /** {@return a HELLO as HAProxy 3.1+ sends it: capabilities "pipelining" and a random engine-id} */
  public static HelloOptions haproxy3() {
    return new HelloOptions().engineId(UUID.randomUUID().toString());
  }

  /** {@return a health-check HELLO ({@code option spop-check}): empty capabilities, healthcheck true, no engine-id} */
  public static HelloOptions spopCheck() {
    return new HelloOptions().capabilities("").healthcheck(true);
  }

  /**
   * Sets the {@code supported-versions} STRING; default "2.0".
   *
   * @param versions the versions, null to omit the key
   * @return these options
   */
  public HelloOptions supportedVersions(String versions) {
    this.supportedVersions = versions;
    return this;
  }

  /**
   * Sets the {@code max-frame-size} UINT32 (also the largest frame this client accepts); default 16380.
   *
   * @param maxFrameSize the size, 0..2^32-1
   * @return these options
   * @throws IllegalArgumentException if it is not a UINT32
   */
  public HelloOptions maxFrameSize(long maxFrameSize) {
    if (maxFrameSize < 0 || maxFrameSize > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("max-frame-size must be a UINT32");
    }
    this.maxFrameSize = maxFrameSize;
    return this;
  }

  /**
   * Omits the {@code max-frame-size} key.
   *
   * @return these options
   */
  public HelloOptions noMaxFrameSize() {
    this.maxFrameSize = null;
    return this;
  }

  /**
   * Sets the {@code capabilities} STRING (comma separated); default "pipelining".
   *
   * @param capabilities the capabilities, null to omit the key
   * @return these options
   */
  public HelloOptions capabilities(String capabilities) {
    this.capabilities = capabilities;
    return this;
  }

  /**
   * Whether to send {@code healthcheck} BOOL true; default false (the key is omitted).
   *
   * @param healthcheck true to send the key
   * @return these options
   */
  public HelloOptions healthcheck(boolean healthcheck) {
    this.healthcheck = healthcheck;
    return this;
  }

  /**
   * Sets the {@code engine-id} STRING; default none.
   *
   * @param engineId the engine-id, null to omit the key
   * @return these options
   */
  public HelloOptions engineId(String engineId) {
    this.engineId = engineId;
    return this;
  }

  /**
   * Adds a key sent after the standard ones (agents must skip unknown keys).
   *
   * @param key   the key name
   * @param value its value
   * @return these options
   */
  public HelloOptions extraKey(String key, TypedValue value) {
    extraKeys.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
    return this;
  }

  /** {@return the {@code supported-versions}, or null when omitted} */
  public String supportedVersions() {
    return supportedVersions;
  }

  /** {@return the max-frame-size, or null when omitted} */
  public Long maxFrameSize() {
    return maxFrameSize;
  }

  /** {@return the capabilities, or null when omitted} */
  public String capabilities() {
    return capabilities;
  }

  /** {@return whether {@code healthcheck} true is sent} */
  public boolean healthcheck() {
    return healthcheck;
  }

  /** {@return the engine-id, or null when omitted} */
  public String engineId() {
    return engineId;
  }

  /** {@return all keys to send, in wire order} */
  public Map<String, TypedValue> toKeys() {
    Map<String, TypedValue> kv = new LinkedHashMap<>();
    if (supportedVersions != null) {
      kv.put("supported-versions", TypedValue.string(supportedVersions));
    }
    if (maxFrameSize != null) {
      kv.put("max-frame-size", TypedValue.uint32(maxFrameSize));
    }
    if (capabilities != null) {
      kv.put("capabilities", TypedValue.string(capabilities));
    }
    if (healthcheck) {
      kv.put("healthcheck", TypedValue.bool(true));
    }
    if (engineId != null) {
      kv.put("engine-id", TypedValue.string(engineId));
    }
    kv.putAll(extraKeys);
    return kv;
  }
}
