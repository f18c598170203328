package io.spoavertx.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoavertx.config.AgentConfig;
import io.spoavertx.config.ListenerOptions;
import io.spoavertx.testing.SpopTestClient;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Why HAProxy dropped the agent reaches the log: a HAPROXY-DISCONNECT with an error status is a WARN line. */
class HaproxyDisconnectLogTest {

  private Vertx vertx;
  private SpoaAgent agent;
  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private final Logger logger = Logger.getLogger("io.spoavertx.agent.impl.SpopConnection");
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
        warnings.add(r.getMessage());
      }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    agent = SpoaAgent.create(vertx, AgentConfig.DEFAULT.withListener(ListenerOptions.DEFAULT.withPort(0)));
    agent.start().await(10, TimeUnit.SECONDS);
    logger.addHandler(capture);
    Thread.sleep(1100); // past the rate limit's window of an earlier test in this JVM
  }

  @AfterEach
  void tearDown() throws Exception {
    logger.removeHandler(capture);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void disconnect(int status, String message) throws Exception {
    SpopTestClient client = SpopTestClient.connect(vertx, "127.0.0.1", agent.port()).await(10, TimeUnit.SECONDS);
    client.hello().await(10, TimeUnit.SECONDS);
    assertEquals(0, client.disconnect(status, message).await(10, TimeUnit.SECONDS).statusCode());
    client.closed().await(10, TimeUnit.SECONDS);
  }

  @Test
  void anErrorStatusIsWarnedWithItsStatusAndMessageRateLimited() throws Exception {
    disconnect(3, "frame is too big");
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).matches("connection \\d+ from 127\\.0\\.0\\.1:\\d+ engine-id \\S+: HAPROXY-DISCONNECT status 3 "
        + "\\(frame is too big\\)( \\(\\d+ similar lines suppressed\\))?"), warnings.get(0)); // earlier tests' lines
    for (int i = 0; i < 4; i++) {
      disconnect(9, "max-frame-size too big or too small");
    }
    assertEquals(1, warnings.size(), "one line per second at most: " + warnings);
    Thread.sleep(1100);
    disconnect(10, "fragmentation not supported");
    assertEquals(2, warnings.size(), warnings.toString());
    assertTrue(warnings.get(1).contains("HAPROXY-DISCONNECT status 10 (fragmentation not supported) (4 similar lines suppressed)"),
        warnings.get(1));
    assertEquals(4, agent.stats().haproxyDisconnects(9), "every one is counted");
  }

  @Test
  void aNormalCloseAndAnIdleTimeoutAreNotWarnings() throws Exception {
    disconnect(0, "normal");
    disconnect(2, "a timeout occurred"); // HAProxy 2.6's "timeout idle", nothing in flight
    assertEquals(List.of(), warnings);
    assertEquals(1, agent.stats().haproxyDisconnects(2));
  }
}
