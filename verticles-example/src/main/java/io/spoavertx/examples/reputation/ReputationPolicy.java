package io.spoavertx.examples.reputation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

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

  static ReputationPolicy fromJson(JsonObject json) {
    return new ReputationPolicy(
        json.getInteger("baseScore", 10),
        cidrs(json, "allow"), cidrs(json, "deny"),
        patterns(json, "denyUserAgents"), patterns(json, "suspiciousUserAgents"),
        json.getInteger("suspiciousScore", 50),
        patterns(json, "sensitivePaths"), json.getInteger("sensitivePathScore", 20));
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

  private static List<Cidr> cidrs(JsonObject json, String key) {
    List<Cidr> out = new ArrayList<>();
    for (Object o : json.getJsonArray(key, new JsonArray())) {
      out.add(Cidr.parse(String.valueOf(o)));
    }
    return List.copyOf(out);
  }

  private static List<Pattern> patterns(JsonObject json, String key) {
    List<Pattern> out = new ArrayList<>();
    for (Object o : json.getJsonArray(key, new JsonArray())) {
      out.add(Pattern.compile(String.valueOf(o)));
    }
    return List.copyOf(out);
  }
}
