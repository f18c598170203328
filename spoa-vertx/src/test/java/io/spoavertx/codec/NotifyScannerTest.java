package io.spoavertx.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spoavertx.testing.GoldenFrames;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class NotifyScannerTest {

  @Test
  void goldenNotifyHoldsTwoMessages() {
    for (String name : new String[] {"haproxy-2.6.12-notify", "haproxy-3.2.0-notify", "haproxy-3.4.0-notify"}) {
      Buffer frame = GoldenFrames.load(name);
      SpopReader r = new SpopReader(frame, 4, frame.length());
      FrameHeader h = new FrameHeader().read(r);
      assertEquals(FrameType.NOTIFY, h.type);
      assertEquals(1, h.frameId);
      NotifyScanner s = new NotifyScanner();
      assertEquals(2, s.scan(frame, r.pos(), frame.length()));
      assertEquals("check-client-ip", frame.getString(s.nameOffset(0), s.nameOffset(0) + s.nameLength(0)));
      assertEquals(1, s.argCount(0));
      assertEquals("check-request-meta", frame.getString(s.nameOffset(1), s.nameOffset(1) + s.nameLength(1)));
      assertEquals(9, s.argCount(1));
      assertEquals(s.end(0), s.start(1));
      assertEquals(frame.length(), s.end(1));
    }
  }

  @Test
  void emptyPayloadHasNoMessages() {
    assertEquals(0, new NotifyScanner().scan(Buffer.buffer(), 0, 0));
  }

  @Test
  void everyTruncationOfAGoldenNotifyIsInvalid() {
    Buffer frame = GoldenFrames.load("haproxy-2.6.12-notify-all-types");
    SpopReader r = new SpopReader(frame, 4, frame.length());
    new FrameHeader().read(r);
    int payload = r.pos();
    NotifyScanner s = new NotifyScanner();
    int validCuts = 0;
    for (int end = payload + 1; end < frame.length(); end++) {
      int cut = end;
      try {
        s.scan(frame, payload, cut);
        validCuts++; // a cut that falls exactly between two messages is a valid shorter NOTIFY
      } catch (SpopException e) {
        assertEquals(DisconnectStatus.INVALID_FRAME, e.status());
      }
    }
    assertEquals(1, validCuts);
  }

  @Test
  void reservedTypeCodesAreInvalid() {
    for (int type = 10; type <= 15; type++) {
      Buffer payload = Buffer.buffer();
      SpopWriter.writeName(payload, "m");
      payload.appendByte((byte) 1);
      SpopWriter.writeName(payload, "a");
      payload.appendByte((byte) type);
      SpopException e = assertThrows(SpopException.class, () -> new NotifyScanner().scan(payload, 0, payload.length()));
      assertEquals(DisconnectStatus.INVALID_FRAME, e.status());
    }
  }

  @Test
  void nbArgsLargerThanWhatFollowsIsInvalid() {
    Buffer payload = Buffer.buffer();
    SpopWriter.writeName(payload, "m");
    payload.appendByte((byte) 2);
    SpopWriter.writeName(payload, "a");
    SpopWriter.writeBool(payload, true);
    SpopException e = assertThrows(SpopException.class, () -> new NotifyScanner().scan(payload, 0, payload.length()));
    assertEquals(DisconnectStatus.INVALID_FRAME, e.status());
  }
}
