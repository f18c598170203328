package io.spoavertx.testing.load;

import io.spoavertx.testing.Message;
import io.spoavertx.testing.SpopClientCodec;
import io.spoavertx.testing.TypedValue;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LoadPartsTest {

  @Test
  void sidMapBehavesLikeAHashMap() {
    Random rnd = new Random(42);
    LoadConnection.SidMap map = new LoadConnection.SidMap(20);
    Map<Long, Integer> ref = new HashMap<>();
    long next = 0;
    for (int i = 0; i < 200_000; i++) {
      if (ref.size() < 20 && (ref.isEmpty() || rnd.nextBoolean())) {
        long k = rnd.nextInt(4) == 0 ? next++ * 2 + 1 : next++;
        map.put(k, i % 20);
        ref.put(k, i % 20);
      } else {
        Long k = ref.keySet().stream().skip(rnd.nextInt(ref.size())).findFirst().orElseThrow();
        assertEquals(ref.remove(k), map.get(k));
        map.remove(k);
        assertEquals(-1, map.get(k));
      }
      long probe = rnd.nextInt((int) next + 1);
      assertEquals(ref.getOrDefault(probe, -1), map.get(probe), "key " + probe);
    }
  }

  @Test
  void varintSizeMatchesTheEncoder() {
    long[] values = {0, 1, 239, 240, 1000, 2287, 2288, 16380, 1L << 20, 0xFFFF_FFFFL, Long.MAX_VALUE, -1};
    for (long v : values) {
      assertEquals(SpopClientCodec.varint(v).length(), LoadConnection.varintSize(v), "value " + v);
    }
  }

  @Test
  void messageSpecs() {
    Message m = MessageSpec.parseMessage("bench:ip=ipv4,path=string:20,ua=string:60,port=int64,flag=bool");
    assertEquals("bench", m.name());
    assertEquals(5, m.args().size());
    assertEquals(TypedValue.Type.IPV4, m.get("ip").type());
    assertEquals(20, m.get("path").asString().length());
    assertEquals(60, m.get("ua").asString().length());
    assertEquals(TypedValue.Type.INT64, m.get("port").type());
    assertEquals(TypedValue.bool(true), m.get("flag"));
    List<Message> group = MessageSpec.parseNotify("a:b=binary:7,n=null+empty");
    assertEquals(2, group.size());
    assertEquals(7, group.get(0).get("b").asBytes().length);
    assertEquals(0, group.get(1).args().size());
    assertThrows(IllegalArgumentException.class, () -> MessageSpec.parseMessage("x:y=float"));
  }

  @Test
  void defaultMessageIsTheFiveArgumentBench() {
    Message m = LoadOptions.defaultMessage();
    assertEquals(5, m.args().size());
    assertEquals(20, m.get("path").asString().length());
    assertEquals(TypedValue.Type.IPV4, m.get("ip").type());
  }

  @Test
  void durations() {
    assertEquals(Duration.ofSeconds(10), LoadMain.parseDuration("10s"));
    assertEquals(Duration.ofMillis(500), LoadMain.parseDuration("500ms"));
    assertEquals(Duration.ofMillis(1500), LoadMain.parseDuration("1.5s"));
    assertEquals(Duration.ofMinutes(2), LoadMain.parseDuration("2m"));
    assertEquals(Duration.ofSeconds(3), LoadMain.parseDuration("3"));
  }
}
