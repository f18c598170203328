package io.spoavertx.examples.routing;

import io.spoavertx.handler.Actions;
import io.spoavertx.handler.DataType;
import io.spoavertx.handler.MessageSpec;
import io.spoavertx.handler.Scope;
import io.spoavertx.agent.SpoeHandlers;
import io.spoavertx.handler.SpoeMessage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.net.InetAddress;

/**
 * A/B routing: answers {@code route} (arguments {@code cookie}, e.g. {@code req.cook(uid)};
 * {@code path}; {@code ip}, e.g. {@code src}) with {@code txn.<prefix>.variant} (a string such as
 * {@code "a"} or {@code "b"}), which HAProxy turns into a backend:
 * {@code use_backend be_b if { var(txn.spoa.variant) -m str b }}.
 *
 * <p>The visitor's cookie is the sticky key; without one, its address is. Weights, salt and path
 * overrides come from the config (see {@link VariantPicker}); {@code "message"} renames the message.
 * With neither cookie nor address no variable is set and HAProxy's default backend answers.
 */
public class AbRoutingVerticle extends VerticleBase {

  public static final String MESSAGE = "route";

  private VariantPicker picker;

  @Override
  public Future<?> start() {
    try {
      picker = VariantPicker.fromJson(config());
    } catch (IllegalArgumentException | ClassCastException e) {
      return Future.failedFuture(new IllegalArgumentException("AbRoutingVerticle config: " + e.getMessage(), e));
    }
    String[] variants = picker.variants().stream().map(VariantPicker.Variant::name).toArray(String[]::new);
    return SpoeHandlers.register(vertx, spec(config().getString("message", MESSAGE), variants), this::route).completion();
  }

  /**
   * What HAProxy sends and gets: the uid cookie, the path and the client address; {@code variant},
   * one of {@code variants}, each the name of a backend for HAProxy.
   */
  static MessageSpec spec(String message, String... variants) {
    return MessageSpec.builder(message)
        .arg("cookie", "req.cook(uid)", DataType.STRING)
        .arg("path", "path", DataType.STRING)
        .arg("ip", "src", DataType.IPV4, DataType.IPV6)
        .sets(Scope.TXN, "variant", DataType.STRING)
        .choosesBackend("variant", variants)
        .responseHeader("variant", "X-Variant")
        .build();
  }

  Future<Actions> route(SpoeMessage message) {
    String key = stickyKey(message);
    if (key == null) {
      return Future.succeededFuture(Actions.none());
    }
    String variant = picker.pick(key, message.getString("path"));
    return Future.succeededFuture(Actions.create().setVar(Scope.TXN, "variant", variant));
  }

  /** {@code c:<cookie>} when the cookie is set, else {@code ip:<address>}, else null. */
  static String stickyKey(SpoeMessage message) {
    String cookie = message.getString("cookie");
    if (cookie != null && !cookie.isEmpty()) {
      return "c:" + cookie;
    }
    InetAddress ip = message.getAddress("ip");
    return ip == null ? null : "ip:" + ip.getHostAddress();
  }
}
