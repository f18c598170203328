package io.spoavertx.testing;

import io.vertx.core.net.NetClientOptions;

import java.time.Duration;
import java.util.Objects;

/** Options of a {@link SpopTestClient}. */
public final class SpopTestClientOptions {

  /** How {@link SpopTestClient#notify(Message...)} picks stream-id and frame-id. */
  public enum IdStyle {
    /**
     * Like HAProxy 2.6: the stream-id comes from a JVM-wide counter starting at 0 (shared by all
     * clients, as HAProxy's stream counter is process-wide), frame-id 1: a new stream per NOTIFY.
     */
    HAPROXY_2_6,
    /** Like HAProxy 3.1+: per-connection odd stream-ids 1, 3, 5..., frame-id 1. */
    HAPROXY_3
  }

  private IdStyle idStyle = IdStyle.HAPROXY_3;
  private Duration requestTimeout = Duration.ofSeconds(10);
  private NetClientOptions netClientOptions = new NetClientOptions().setConnectTimeout(5000);

  /** {@return how stream-ids and frame-ids are picked} */
  public IdStyle idStyle() {
    return idStyle;
  }

  /**
   * Sets how stream-ids and frame-ids are picked; default {@link IdStyle#HAPROXY_3}.
   *
   * @param idStyle the id style
   * @return these options
   */
  public SpopTestClientOptions idStyle(IdStyle idStyle) {
    this.idStyle = Objects.requireNonNull(idStyle);
    return this;
  }

  /** {@return how long hello() and notify() wait for the answer; zero for no limit} */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /**
   * How long hello()/notify() wait for the answer before failing with a TimeoutException; zero for
   * no limit. Default 10 s.
   *
   * @param requestTimeout the timeout
   * @return these options
   */
  public SpopTestClientOptions requestTimeout(Duration requestTimeout) {
    this.requestTimeout = Objects.requireNonNull(requestTimeout);
    return this;
  }

  /** {@return the options of the underlying Vert.x {@code NetClient}} */
  public NetClientOptions netClientOptions() {
    return netClientOptions;
  }

  /**
   * Sets the options of the underlying Vert.x {@code NetClient}; default a 5 s connect timeout.
   *
   * @param netClientOptions the options
   * @return these options
   */
  public SpopTestClientOptions netClientOptions(NetClientOptions netClientOptions) {
    this.netClientOptions = Objects.requireNonNull(netClientOptions);
    return this;
  }
}
