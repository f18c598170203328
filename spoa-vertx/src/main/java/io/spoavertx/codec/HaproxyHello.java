package io.spoavertx.codec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The KV list of a HAPROXY-HELLO (doc/SPOE.txt 3.2.4). Missing keys are null; unknown keys are
 * skipped.
 *
 * @param supportedVersions the versions offered, e.g. ["2.0"]
 * @param maxFrameSize HAProxy's max-frame-size (16380 for a default tune.bufsize)
 * @param capabilities the capabilities offered, trimmed ("pipelining", "async", ...)
 */
public record HaproxyHello(List<String> supportedVersions, Long maxFrameSize, List<String> capabilities,
                           boolean healthcheck, String engineId) {

  /** Decodes the payload (the reader's position up to its end). */
  public static HaproxyHello decode(SpopReader r) {
    List<String> versions = null;
    Long maxFrameSize = null;
    List<String> capabilities = null;
    boolean healthcheck = false;
    String engineId = null;
    while (r.hasRemaining()) {
      String key = r.readString();
      Object value = r.readTypedValue();
      switch (key) {
        case "supported-versions":
          versions = value instanceof String ? splitList((String) value) : null;
          break;
        case "max-frame-size":
          if (value instanceof Number) {
            maxFrameSize = ((Number) value).longValue();
          }
          break;
        case "capabilities":
          capabilities = value instanceof String ? splitList((String) value) : null;
          break;
        case "healthcheck":
          healthcheck = Boolean.TRUE.equals(value);
          break;
        case "engine-id":
          engineId = value instanceof String ? (String) value : null;
          break;
        default:
          break; // unknown keys are ignored (doc/SPOE.txt 3.2.4)
      }
    }
    return new HaproxyHello(versions, maxFrameSize, capabilities, healthcheck, engineId);
  }

  /** Comma-separated list; spaces around items are ignored. */
  static List<String> splitList(String s) {
    List<String> out = new ArrayList<>();
    for (String item : s.split(",")) {
      String t = item.trim();
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return Collections.unmodifiableList(out);
  }
}
