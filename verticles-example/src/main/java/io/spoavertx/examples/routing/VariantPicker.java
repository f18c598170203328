package io.spoavertx.examples.routing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Picks an A/B variant by weight, stickily: the same key (a visitor's cookie, else its address)
 * always lands on the same variant, on every agent node and after restarts, because the choice
 * is a pure function of the key, the salt and the weights. From JSON:
 * <pre>{@code
 * { "variants": {"a": 90, "b": 10},           // name -> weight, in order
 *   "salt": "checkout-2026-05",               // change it to reshuffle visitors for a new experiment
 *   "overrides": [{"pathPrefix": "/beta/", "variant": "b"}] }
 * }</pre>
 * Variant names end up in backend names, so they are restricted to letters, digits, '.', '_' and '-'.
 */
record VariantPicker(List<Variant> variants, long totalWeight, String salt, List<PathOverride> overrides) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

  record Variant(String name, int weight) {
  }

  record PathOverride(String pathPrefix, String variant) {
  }

  static VariantPicker fromJson(JsonObject json) {
    JsonObject v = json.getJsonObject("variants");
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException("variants: at least one {\"name\": weight} is required");
    }
    List<Variant> variants = new ArrayList<>();
    long total = 0;
    for (Map.Entry<String, Object> e : v) {
      if (!NAME.matcher(e.getKey()).matches()) {
        throw new IllegalArgumentException("variants: invalid name '" + e.getKey() + "'");
      }
      if (!(e.getValue() instanceof Number n) || n.intValue() < 0 || n.doubleValue() != n.intValue()) {
        throw new IllegalArgumentException("variants." + e.getKey() + ": weight must be an integer >= 0");
      }
      variants.add(new Variant(e.getKey(), n.intValue()));
      total += n.intValue();
    }
    if (total == 0) {
      throw new IllegalArgumentException("variants: the weights add up to 0");
    }
    List<PathOverride> overrides = new ArrayList<>();
    for (Object o : json.getJsonArray("overrides", new JsonArray())) {
      JsonObject ov = (JsonObject) o;
      String target = ov.getString("variant");
      if (variants.stream().noneMatch(x -> x.name().equals(target))) {
        throw new IllegalArgumentException("overrides: unknown variant '" + target + "'");
      }
      overrides.add(new PathOverride(ov.getString("pathPrefix", "/"), target));
    }
    return new VariantPicker(List.copyOf(variants), total, json.getString("salt", ""), List.copyOf(overrides));
  }

  /** The variant for a request: a path override first, else the sticky weighted choice of {@code key}. */
  String pick(String key, String path) {
    if (path != null) {
      for (PathOverride o : overrides) {
        if (path.startsWith(o.pathPrefix())) {
          return o.variant();
        }
      }
    }
    long bucket = Long.remainderUnsigned(hash(salt, key), totalWeight);
    for (Variant v : variants) {
      if (bucket < v.weight()) {
        return v.name();
      }
      bucket -= v.weight();
    }
    throw new AssertionError("bucket beyond the total weight");
  }

  /** FNV-1a over salt, NUL, key (UTF-8), then a SplitMix64 finaliser to spread similar keys. */
  static long hash(String salt, String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : salt.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h = (h ^ 0) * 0x100000001b3L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }
}
