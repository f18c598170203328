package io.spoavertx.examples.reputation;

import io.spoavertx.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The scoring rules of the reputation example, from JSON:
 * <pre>{@code
 * { "baseScore": 10,
 *   "allow": ["10.0.0.0/8"],                 // score 0, never denied
 *   "deny": ["192.0.2.0/24", "2001:db8:bad::/48"],   // score 100, deny
 *   "denyUserAgents": ["(?i)sqlmap|nikto"],  // score 100, deny
 *   "suspiciousUserAgents": ["(?i)curl|python-requests"], "suspiciousScore": 50,
 *   "sensitivePaths": ["^/admin"], "sensitivePathScore": 20 }
 * }</pre>
 */
record ReputationPolicy(int baseScore, List<Cidr> allow, List<Cidr> deny, List<Pattern> denyUserAgents,
                        List<Pattern> suspiciousUserAgents, int suspiciousScore, List<Pattern> sensitivePaths,
                        int sensitivePathScore) {

  /** Verdict for one request. */
  record Verdict(int score, boolean deny) {
  }

  /**
   * The policy {@code json} describes; a bad value is a {@link ConfigException} naming its key
   * ({@code deny[1]: prefix out of range in '10.0.0.0/33'}), which the launcher reports under the
   * handler's place in the agent config ({@code handlers[0].config.deny[1]: ...}).
   */
  static ReputationPolicy fromJson(JsonObject json) {
    return new ReputationPolicy(
        integer(json, "baseScore", 10),
        cidrs(json, "allow"), cidrs(json, "deny"),
        patterns(json, "denyUserAgents"), patterns(json, "suspiciousUserAgents"),
        integer(json, "suspiciousScore", 50),
        patterns(json, "sensitivePaths"), integer(json, "sensitivePathScore", 20));
  }

  Verdict evaluate(InetAddress ip, String path, String userAgent) {
    if (ip != null && matches(allow, ip)) {
      return new Verdict(0, false);
    }
    if (ip != null && matches(deny, ip) || userAgent != null && find(denyUserAgents, userAgent)) {
      return new Verdict(100, true);
    }
    int score = baseScore;
    if (userAgent == null || userAgent.isEmpty() || find(suspiciousUserAgents, userAgent)) {
      score += suspiciousScore;
    }
    if (path != null && find(sensitivePaths, path)) {
      score += sensitivePathScore;
    }
    return new Verdict(Math.max(0, Math.min(100, score)), false);
  }

  private static boolean matches(List<Cidr> nets, InetAddress ip) {
    for (Cidr c : nets) {
      if (c.contains(ip)) {
        return true;
      }
    }
    return false;
  }

  private static boolean find(List<Pattern> patterns, String s) {
    for (Pattern p : patterns) {
      if (p.matcher(s).find()) {
        return true;
      }
    }
    return false;
  }

  private static int integer(JsonObject json, String key, int defaultValue) {
    Object v = json.getValue(key);
    if (v == null) {
      return defaultValue;
    }
    if (!(v instanceof Integer || v instanceof Long)) {
      throw new ConfigException(key, "expected an integer, got " + (v instanceof String ? "\"" + v + "\"" : v));
    }
    return ((Number) v).intValue();
  }

  private static JsonArray array(JsonObject json, String key) {
    Object v = json.getValue(key);
    if (v != null && !(v instanceof JsonArray)) {
      throw new ConfigException(key, "expected an array, got " + v);
    }
    return v == null ? new JsonArray() : (JsonArray) v;
  }

  private static List<Cidr> cidrs(JsonObject json, String key) {
    List<Cidr> out = new ArrayList<>();
    JsonArray a = array(json, key);
    for (int i = 0; i < a.size(); i++) {
      try {
        out.add(Cidr.parse(String.valueOf(a.getValue(i))));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key + "[" + i + "]", e.getMessage(), e);
      }
    }
    return List.copyOf(out);
  }

  private static List<Pattern> patterns(JsonObject json, String key) {
    List<Pattern> out = new ArrayList<>();
    JsonArray a = array(json, key);
    for (int i = 0; i < a.size(); i++) {
      try {
        out.add(Pattern.compile(String.valueOf(a.getValue(i))));
      } catch (PatternSyntaxException e) {
        throw new ConfigException(key + "[" + i + "]", "not a regular expression: " + e.getDescription() + " in '"
            + e.getPattern() + "'", e);
      }
    }
    return List.copyOf(out);
  }
}
