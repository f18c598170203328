package io.spoavertx.examples.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spoavertx.examples.ratelimit.RateLimitPolicy.Algorithm;
import io.spoavertx.examples.ratelimit.RateLimitPolicy.Decision;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class RateLimitPolicyTest {

  @Test
  void fixedWindowAllowsUpToTheLimit() {
    RateLimitPolicy p = new RateLimitPolicy(3, 1000, Algorithm.FIXED);
    assertEquals(new Decision(false, 2), p.decide(1, 99, 5_000));
    assertEquals(new Decision(false, 0), p.decide(3, 99, 5_000));
    assertEquals(new Decision(true, 0), p.decide(4, 0, 5_000));
  }

  @Test
  void slidingWindowWeighsThePreviousWindowByItsOverlap() {
    RateLimitPolicy p = new RateLimitPolicy(10, 1000, Algorithm.SLIDING);
    // 250 ms into the window: 75 % of the previous window still overlaps the last second
    assertEquals(new Decision(false, 2), p.decide(2, 8, 7_250)); // 2 + 6 = 8
    assertEquals(new Decision(true, 0), p.decide(3, 12, 7_250)); // 3 + 9 = 12
    // at the very start of a window almost all of the previous one counts
    assertEquals(new Decision(true, 0), p.decide(1, 10, 7_000)); // 1 + 10
    // at the end almost none does (rounded up)
    assertEquals(new Decision(false, 8), p.decide(1, 10, 7_999)); // 1 + 0.01 -> 2
  }

  @Test
  void windowsAreAlignedOnEpochMultiples() {
    RateLimitPolicy p = new RateLimitPolicy(1, 1000, Algorithm.FIXED);
    assertEquals(7, p.window(7_999));
    assertEquals(8, p.window(8_000));
  }

  @Test
  void fromJsonHasDefaultsAndRejectsNonsense() {
    assertEquals(new RateLimitPolicy(10, 1000, Algorithm.SLIDING), RateLimitPolicy.fromJson(new JsonObject()));
    assertEquals(new RateLimitPolicy(5, 60_000, Algorithm.FIXED),
        RateLimitPolicy.fromJson(new JsonObject().put("limit", 5).put("windowMs", 60_000).put("algorithm", "Fixed")));
    assertThrows(IllegalArgumentException.class, () -> RateLimitPolicy.fromJson(new JsonObject().put("algorithm", "leaky")));
    assertThrows(IllegalArgumentException.class, () -> RateLimitPolicy.fromJson(new JsonObject().put("windowMs", 0)));
    assertThrows(IllegalArgumentException.class, () -> RateLimitPolicy.fromJson(new JsonObject().put("limit", -1)));
  }
}
